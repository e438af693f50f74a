#pragma once

#include <cassert>
#include <type_traits>
#include <utility>
#include <variant>

#include "base/error.hpp"

namespace tessera {

// Result<T> holds a T or an Error. Member names follow std::expected so the
// move to C++23 is a rename. Result<void> holds nothing or an Error.
template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}

    bool has_value() const { return state_.index() == 0; }
    explicit operator bool() const { return has_value(); }

    T& value() & {
        assert(has_value());
        return std::get<0>(state_);
    }
    const T& value() const& {
        assert(has_value());
        return std::get<0>(state_);
    }
    T&& value() && {
        assert(has_value());
        return std::get<0>(std::move(state_));
    }
    const Error& error() const& {
        assert(!has_value());
        return std::get<1>(state_);
    }
    Error&& error() && {
        assert(!has_value());
        return std::get<1>(std::move(state_));
    }

    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T&& operator*() && { return std::move(*this).value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

private:
    std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : error_(std::move(error)), failed_(true) {}

    bool has_value() const { return !failed_; }
    explicit operator bool() const { return has_value(); }
    void value() const { assert(has_value()); }
    const Error& error() const& {
        assert(failed_);
        return error_;
    }
    Error&& error() && {
        assert(failed_);
        return std::move(error_);
    }

private:
    Error error_{Code::internal, {}};
    bool failed_ = false;
};

inline Error make_error(Code code, std::string description, std::string log_detail = {},
                        std::string subject = {}) {
    return Error{code, std::move(description), std::move(log_detail), std::move(subject)};
}

}  // namespace tessera

#define TESSERA_CONCAT_INNER(a, b) a##b
#define TESSERA_CONCAT(a, b) TESSERA_CONCAT_INNER(a, b)

// Returns the error of `expr` (a Result) from the enclosing function.
#define TESSERA_TRY(expr)                                                                    \
    do {                                                                                     \
        auto&& tessera_try_result_ = (expr);                                                 \
        if (!tessera_try_result_.has_value()) return std::move(tessera_try_result_).error(); \
    } while (0)

// Declares `var` from the value of `expr`, or returns its error.
#define TESSERA_TRY_ASSIGN(var, expr)                                     \
    auto TESSERA_CONCAT(tessera_try_, __LINE__) = (expr);                 \
    if (!TESSERA_CONCAT(tessera_try_, __LINE__).has_value())              \
        return std::move(TESSERA_CONCAT(tessera_try_, __LINE__)).error(); \
    var = std::move(TESSERA_CONCAT(tessera_try_, __LINE__)).value()
