#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.hpp"
#include "base/random.hpp"
#include "base/result.hpp"
#include "base/secret.hpp"
#include "core/model/client.hpp"
#include "core/scopes/scope_catalog.hpp"
#include "core/store/token_store.hpp"
#include "crypto/digest.hpp"

namespace tessera::core {

// A parsed token request (RFC 6749 §4.x), after client authentication.
struct TokenRequest {
    std::string grant_type;
    std::optional<std::string> scope;  // space-delimited, as sent
};

// What the token endpoint answers (RFC 6749 §5.1). The raw token exists only
// here, on its way to the one response that shows it.
struct IssuedToken {
    Secret access_token;
    std::int64_t expires_in = 0;
    std::vector<std::string> scope;
};

struct TokenPolicy {
    std::int64_t access_token_ttl = 3600;  // seconds
};

// The token endpoint's rules: one grant per grant_type, each in its own file.
// Today: client_credentials. Thread-safe.
class TokenService {
public:
    TokenService(TokenStore& tokens, const ScopeCatalog& scopes, const Clock& clock, Random& random,
                 const crypto::Digester& digester, TokenPolicy policy = {})
        : tokens_(tokens),
          scopes_(scopes),
          clock_(clock),
          random_(random),
          digester_(digester),
          policy_(policy) {}

    // `unsupported_grant_type` for a grant type this server does not offer;
    // otherwise what the grant returns.
    Result<IssuedToken> exchange(const Client& client, const TokenRequest& request);

    // The grant types exchange() supports, for the RFC 8414 metadata.
    static std::vector<std::string> supported_grant_types();

    // RFC 6749 §4.4: a confidential client registered for client_credentials
    // gets an access token for the requested scopes (default: its registered
    // scopes), with no refresh token and no user.
    // `unauthorized_client`, `invalid_scope`.
    Result<IssuedToken> client_credentials(const Client& client, const TokenRequest& request);

private:
    TokenStore& tokens_;
    const ScopeCatalog& scopes_;
    const Clock& clock_;
    Random& random_;
    const crypto::Digester& digester_;
    const TokenPolicy policy_;
};

// Splits a space-delimited scope parameter (RFC 6749 §3.3); duplicates are
// dropped, order kept. `invalid_scope` for an empty element (two spaces).
Result<std::vector<std::string>> parse_scope_parameter(const std::string& scope);

// RFC 6749 §3.3: every requested scope must be registered for the client (an
// empty registration allows the whole catalog) and offered by the catalog.
Result<void> check_scope(const Client& client, const ScopeCatalog& catalog,
                         const std::vector<std::string>& requested);

}  // namespace tessera::core
