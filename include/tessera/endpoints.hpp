#pragma once

#include <optional>
#include <string>

#include "tessera/endpoint_types.hpp"
#include "tessera/oauth.hpp"
#include "tessera/result.hpp"

// The standard OAuth 2.0 endpoints, reached through Api::endpoints(). They
// authenticate the client (ClientAuth) rather than the Api's credentials,
// except introspect() without a ClientAuth. A failure's ApiError has the
// RFC 6749 §5.2 `error` in `id` ("invalid_client", "invalid_grant",
// "invalid_request", "unsupported_grant_type", "invalid_scope", ...) and the
// error_description in `message`.
namespace tessera::sdk {

class Endpoints {
public:
    explicit Endpoints(ChannelPtr channel) : channel_(std::move(channel)) {}

    // POST /oauth/token (RFC 6749 §4.1.3, §4.4, §6): tokens for a grant.
    Result<TokenResponse> token(const TokenRequest& request) const;
    // POST /oauth/introspect (RFC 7662) as the client: is `token` active,
    // and what is it? A token of another client is reported inactive.
    Result<Introspection> introspect(const Secret& token, const ClientAuth& client) const;
    // As above, authenticated with the Api's own token (which needs scope
    // `global`): 401 invalid_token / 403 insufficient_scope otherwise.
    Result<Introspection> introspect(const Secret& token) const;
    // POST /oauth/revoke (RFC 7009): revokes the token if it is the
    // client's; succeeds for unknown tokens too. `hint`: "access_token" or
    // "refresh_token".
    Result<void> revoke(const Secret& token, const ClientAuth& client,
                        const std::optional<std::string>& hint = std::nullopt) const;
    // GET /.well-known/oauth-authorization-server (RFC 8414); needs no
    // credentials.
    Result<ServerMetadata> discovery() const;

private:
    ChannelPtr channel_;
};

}  // namespace tessera::sdk
