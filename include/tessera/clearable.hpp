#pragma once

#include <concepts>
#include <optional>
#include <stdexcept>
#include <utility>

namespace tessera::sdk {

// The tag that clears a Clearable field: `.logo_uri = tessera::sdk::null`.
struct Null {
    explicit constexpr Null(int) {}
};
inline constexpr Null null{0};

// A field of a partial update that can be left out (unchanged), set to a
// value, or cleared (sent as JSON null). Assign a value or `null`.
template <typename T>
class Clearable {
public:
    Clearable() = default;
    Clearable(Null) : state_(State::cleared) {}
    template <typename U>
    requires std::constructible_from<T, U&&> Clearable(U&& value)
        : state_(State::set), value_(std::forward<U>(value)) {}

    // Neither set nor cleared: the field is not sent.
    bool is_absent() const { return state_ == State::absent; }
    bool is_null() const { return state_ == State::cleared; }
    bool has_value() const { return state_ == State::set; }
    // The value; throws std::logic_error unless has_value().
    const T& value() const {
        if (!has_value()) throw std::logic_error("Clearable holds no value");
        return *value_;
    }

private:
    enum class State { absent, cleared, set };
    State state_ = State::absent;
    std::optional<T> value_;
};

}  // namespace tessera::sdk
