#pragma once

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace tessera::sdk {

// What went wrong, in broad classes a caller can act on.
enum class ErrorKind {
    api,       // the server answered with an error status (see ApiError::status, id, code)
    network,   // no answer: DNS, connection refused or reset, connection closed early
    timeout,   // the connect or request timeout ran out
    tls,       // TLS handshake failed, e.g. the certificate did not verify
    protocol,  // an answer that is not what the API documents (not JSON, wrong shape)
    usage,     // the call was refused before sending: a bad base URL or argument
};

// "api", "network", ...
const char* to_string(ErrorKind kind);

// One entry of a Cloudflare v4 envelope's `errors` (spec §1.5), or of its
// nested `error_chain`.
struct ErrorDetail {
    int code = 0;
    std::string message;
    std::string pointer;  // source.pointer into the request body; "" when absent
    std::vector<ErrorDetail> error_chain;
};

// The error of a failed call, as the API reported it. Never holds a secret:
// the server's messages carry none and the SDK adds none.
struct ApiError {
    ErrorKind kind = ErrorKind::api;
    int status = 0;          // HTTP status; 0 when no answer arrived, or for an error the
                             // server sent through the browser (LoopbackRedirect::wait)
    std::string id;          // Heroku `id` ("not_found") or OAuth `error` ("invalid_client")
    int code = 0;            // Cloudflare: the first error's numeric code (1004, 10000, ...)
    std::string message;     // human text from the server, or the SDK's for other kinds
    std::string request_id;  // the response's Request-Id header; "" when none
    std::string resource;    // Heroku 404: "client", "authorization", "token" or "session"
    std::vector<ErrorDetail> details;  // Cloudflare: every entry of `errors`
    // The server's Retry-After (429, 503), when it sent one.
    std::optional<std::chrono::seconds> retry_after;

    bool is_not_found() const { return kind == ErrorKind::api && status == 404; }
    // 401: missing, invalid, expired or revoked credentials.
    bool is_unauthenticated() const { return kind == ErrorKind::api && status == 401; }
    bool is_rate_limited() const { return kind == ErrorKind::api && status == 429; }
    // One line for people: "404 not_found: Couldn't find that OAuth client.
    // (request id 0123…)", or "network: connection refused".
    std::string to_string() const;
};

// Access to the value of a Result that holds an error (or the error of one
// that holds a value): a programmer error.
class BadResultAccess : public std::logic_error {
public:
    using std::logic_error::logic_error;
};

// A T or the ApiError that prevented it. Member names follow std::expected
// (has_value, value, error, *, ->) so code reads the same as with C++23.
// Reading the wrong side throws BadResultAccess.
template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
    Result(ApiError error) : state_(std::in_place_index<1>, std::move(error)) {}

    bool has_value() const { return state_.index() == 0; }
    explicit operator bool() const { return has_value(); }

    T& value() & { return check(), std::get<0>(state_); }
    const T& value() const& { return check(), std::get<0>(state_); }
    T&& value() && { return check(), std::get<0>(std::move(state_)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T&& operator*() && { return std::move(*this).value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    const ApiError& error() const& {
        if (has_value()) throw BadResultAccess("Result holds a value, not an error");
        return std::get<1>(state_);
    }
    ApiError&& error() && {
        if (has_value()) throw BadResultAccess("Result holds a value, not an error");
        return std::get<1>(std::move(state_));
    }

private:
    void check() const {
        if (!has_value())
            throw BadResultAccess("Result holds an error: " + std::get<1>(state_).to_string());
    }
    std::variant<T, ApiError> state_;
};

// Success with nothing to return, or the error.
template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(ApiError error) : error_(std::move(error)) {}

    bool has_value() const { return !error_; }
    explicit operator bool() const { return has_value(); }
    void value() const {
        if (error_) throw BadResultAccess("Result holds an error: " + error_->to_string());
    }
    const ApiError& error() const {
        if (!error_) throw BadResultAccess("Result holds a value, not an error");
        return *error_;
    }

private:
    std::optional<ApiError> error_;
};

}  // namespace tessera::sdk
