#pragma once

#include <variant>

#include "core/auth/api_key_authenticator.hpp"
#include "core/auth/caller.hpp"
#include "core/auth/token_authenticator.hpp"
#include "core/limits/rate_limiter.hpp"
#include "http/message.hpp"

namespace tessera::api::cloudflare {

// Who is calling the Cloudflare surface (Cloudflare spec §1.3): a Bearer
// token decides when present (decision C5); otherwise X-Auth-Email with
// X-Auth-Key (a user's global API key). X-Auth-User-Service-Key is refused.
// Then one call is taken from the caller's rate limit bucket. Thread-safe.
class Credentials {
public:
    Credentials(const core::TokenAuthenticator& tokens, const core::ApiKeyAuthenticator& keys,
                core::RateLimiter& limiter)
        : tokens_(tokens), keys_(keys), limiter_(limiter) {}

    // The caller, or the finished error response: 400 code 6003 for a
    // malformed header, 401 (no or bad credentials), 403 for a service key,
    // 429 past the rate limit.
    std::variant<core::Caller, http::Response> authenticate(const http::Request& request) const;

private:
    const core::TokenAuthenticator& tokens_;
    const core::ApiKeyAuthenticator& keys_;
    core::RateLimiter& limiter_;
};

}  // namespace tessera::api::cloudflare
