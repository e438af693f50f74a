#include "api/cloudflare/credentials.hpp"

#include "api/cloudflare/envelope.hpp"
#include "api/cloudflare/errors.hpp"

namespace tessera::api::cloudflare {
namespace {

// §7: a malformed credential header, with the header's own code in the chain.
http::Response invalid_header(int code, std::string message) {
    return failure(400, {{6003, "Invalid request headers", std::nullopt, {{code, std::move(message)}}}});
}

bool has_control_or_space(std::string_view text) {
    for (unsigned char c : text)
        if (c <= 0x20 || c == 0x7f) return true;
    return false;
}

}  // namespace

std::variant<core::Caller, http::Response> Credentials::authenticate(
    const http::Request& request) const {
    const auto& headers = request.headers;
    Result<core::Caller> caller = make_error(Code::unauthenticated, "no credentials");
    if (auto authorization = headers.get("Authorization")) {
        constexpr std::string_view kBearer = "Bearer ";
        if (authorization->size() <= kBearer.size() ||
            !http::iequals(authorization->substr(0, kBearer.size()), kBearer) ||
            has_control_or_space(authorization->substr(kBearer.size())))
            return invalid_header(6111, "Invalid format for Authorization header");
        caller = tokens_.authenticate(authorization->substr(kBearer.size()));
    } else if (headers.get("X-Auth-Email") || headers.get("X-Auth-Key")) {
        auto email = headers.get("X-Auth-Email");
        auto key = headers.get("X-Auth-Key");
        if (!email || email->empty() || has_control_or_space(*email))
            return invalid_header(6102, "Invalid format for X-Auth-Email header");
        if (!key || key->empty() || has_control_or_space(*key))
            return invalid_header(6103, "Invalid format for X-Auth-Key header");
        caller = keys_.authenticate(*email, *key);
    } else if (headers.get("X-Auth-User-Service-Key")) {
        return authentication_error(403);
    }
    if (!caller) return error_response(request, caller.error());
    if (auto taken = limiter_.take(caller->user_id); !taken)
        return error_response(request, taken.error());
    return std::move(*caller);
}

}  // namespace tessera::api::cloudflare
