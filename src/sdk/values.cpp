// The small value types of the public headers: Secret, Credentials, Range,
// ApiError, and the internal HttpResponse.
#include <string>

#include "sdk/http_types.hpp"
#include "tessera/options.hpp"
#include "tessera/pagination.hpp"
#include "tessera/result.hpp"
#include "tessera/secret.hpp"

namespace tessera::sdk {

std::string Secret::masked(std::size_t keep) const {
    if (value_.empty()) return "";
    if (value_.size() <= keep) return std::string(value_.size(), '*');
    return value_.substr(0, keep) + "…";
}

bool Secret::equals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    // Keep the compiler from turning the loop into an early exit.
    volatile unsigned char result = diff;
    return result == 0;
}

Credentials Credentials::token(Secret token) {
    Credentials c;
    c.kind_ = Kind::token;
    c.secret_ = std::move(token);
    return c;
}

Credentials Credentials::api_key(std::string email, Secret key) {
    Credentials c;
    c.kind_ = Kind::api_key;
    c.email_ = std::move(email);
    c.secret_ = std::move(key);
    return c;
}

Credentials Credentials::password(std::string email, Secret password) {
    Credentials c;
    c.kind_ = Kind::password;
    c.email_ = std::move(email);
    c.secret_ = std::move(password);
    return c;
}

std::string Range::header() const {
    std::string out = field + " ..; max=" + std::to_string(max);
    if (descending) out += ", order=desc";
    return out;
}

const char* to_string(ErrorKind kind) {
    switch (kind) {
        case ErrorKind::api:
            return "api";
        case ErrorKind::network:
            return "network";
        case ErrorKind::timeout:
            return "timeout";
        case ErrorKind::tls:
            return "tls";
        case ErrorKind::protocol:
            return "protocol";
        case ErrorKind::usage:
            return "usage";
    }
    return "unknown";
}

std::string ApiError::to_string() const {
    std::string out;
    if (kind == ErrorKind::api) {
        // Status 0: an error the server sent through the browser (a redirect).
        if (status != 0) out = std::to_string(status);
        if (!id.empty()) out += (out.empty() ? "" : " ") + id;
        if (code != 0) out += " (code " + std::to_string(code) + ")";
        out += ": " + message;
        for (std::size_t i = 1; i < details.size(); ++i) out += "; " + details[i].message;
        if (!request_id.empty()) out += " (request id " + request_id + ")";
    } else {
        out = std::string(sdk::to_string(kind)) + ": " + message;
    }
    return out;
}

namespace detail {

std::string HttpResponse::header(std::string_view name) const {
    for (const auto& [key, value] : headers)
        if (key == name) return value;
    return {};
}

bool HttpResponse::has_header(std::string_view name) const {
    for (const auto& [key, value] : headers)
        if (key == name) return true;
    return false;
}

}  // namespace detail
}  // namespace tessera::sdk
