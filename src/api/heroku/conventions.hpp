#pragma once

#include <optional>
#include <string_view>
#include <variant>

#include "base/result.hpp"
#include "core/accounts/password_authenticator.hpp"
#include "core/auth/caller.hpp"
#include "core/auth/token_authenticator.hpp"
#include "core/limits/rate_limiter.hpp"
#include "http/message.hpp"

namespace boost::json {
class object;
}

namespace tessera::api::heroku {

// What every handler of this surface shares: who is calling, the rate limit,
// and the transport conventions of Heroku spec §1.
class Conventions {
public:
    Conventions(const core::TokenAuthenticator& authenticator, core::RateLimiter& limiter,
                core::PasswordAuthenticator& passwords)
        : authenticator_(authenticator), limiter_(limiter), passwords_(passwords) {}

    // §1.1 Accept, §1.2 credentials (Bearer, or Basic with the token as
    // password), §1.7 rate limit, and the scope the action needs (`global`
    // for managing clients and authorizations, §1.2; `identity` for reading
    // the account, §7). On failure the finished error response. `remaining`
    // receives RateLimit-Remaining.
    std::variant<core::Caller, http::Response> authenticate(
        const http::Request& request, int& remaining,
        std::string_view required_scope = "global") const;

    // As authenticate(), but also accepting `Basic email:password` (§1.2 item 3:
    // only for POST /oauth/authorizations, the CLI's `login -i`). Argon2id:
    // the route must run off the I/O threads.
    std::variant<core::Caller, http::Response> authenticate_with_password(
        const http::Request& request, int& remaining) const;

    // §1.1 Accept: nullopt when acceptable, else the 406.
    std::optional<http::Response> check_accept(const http::Request& request) const;

    // Takes one call from an unauthenticated caller's (per address) bucket.
    std::variant<int, http::Response> limit_anonymous(const http::Request& request) const;

    // §1.3: Content-Type, RateLimit-Remaining, Cache-Control, and for 2xx GETs
    // ETag with If-None-Match → 304.
    http::Response finish(const http::Request& request, http::Response response,
                          int remaining) const;

private:
    const core::TokenAuthenticator& authenticator_;
    core::RateLimiter& limiter_;
    core::PasswordAuthenticator& passwords_;
};

// The request body as a JSON object: an empty body is `{}` (heroku-client
// sends Content-Type: application/json with no body on GET/DELETE).
// `invalid_request` when the body is not JSON or not an object.
Result<boost::json::object> parse_object(const http::Request& request);

// A JSON response with a sorted-key object or array already serialised.
http::Response json_response(int status, std::string body);

// An optional string field: absent → nullopt; present but not a string →
// `invalid_params` naming it.
Result<std::optional<std::string>> string_field(const boost::json::object& body,
                                                std::string_view name);

// Runs the shared preamble (Accept, credentials, rate limit, scope global)
// and then `body(caller)`, finishing the response with the conventions of §1.3.
template <typename Body>
http::Response authenticated(const Conventions& conventions, const http::Request& request,
                             Body&& body, std::string_view required_scope = "global") {
    int remaining = -1;
    auto caller = conventions.authenticate(request, remaining, required_scope);
    if (auto* refused = std::get_if<http::Response>(&caller))
        return conventions.finish(request, std::move(*refused), remaining);
    auto result = body(std::get<core::Caller>(caller));
    return conventions.finish(request, std::move(result), remaining);
}

}  // namespace tessera::api::heroku
