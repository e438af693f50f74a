#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/clock.hpp"
#include "base/random.hpp"
#include "base/result.hpp"
#include "base/secret.hpp"
#include "core/model/authorization.hpp"
#include "core/scopes/scope_catalog.hpp"
#include "core/store/authorization_store.hpp"
#include "crypto/digest.hpp"

namespace tessera::core {

struct NewDirectAuthorization {
    Id user_id;
    std::vector<std::string> scope;  // empty: ["global"] (Heroku spec §3.2)
    std::string description;
    std::optional<std::int64_t> expires_in;  // seconds; nullopt: never expires
    bool is_api_key = false;
};

// An authorization together with the raw access token minted for it. The
// raw token exists only here, on the way to the one response that shows it.
struct MintedAuthorization {
    Authorization authorization;
    AccessToken access_token;
    Secret raw_access_token;
};

// Authorizations: standing grants and direct (personal) tokens. Thread-safe.
class AuthorizationService {
public:
    AuthorizationService(AuthorizationStore& store, const ScopeCatalog& scopes, const Clock& clock,
                         Random& random, const crypto::Digester& digester)
        : store_(store), scopes_(scopes), clock_(clock), random_(random), digester_(digester) {}

    // A direct authorization with a fresh `HRKU-` access token.
    // `invalid_params` (subject "scope", "description" or "expires_in").
    Result<MintedAuthorization> create_direct(const NewDirectAuthorization& input);

private:
    AuthorizationStore& store_;
    const ScopeCatalog& scopes_;
    const Clock& clock_;
    Random& random_;
    const crypto::Digester& digester_;
};

// Heroku spec §3.2: 1..31536000 seconds.
inline constexpr std::int64_t kMaxExpiresIn = 31536000;

}  // namespace tessera::core
