#pragma once

#include <optional>
#include <string>

#include "tessera/endpoint_types.hpp"
#include "tessera/oauth.hpp"
#include "tessera/result.hpp"

// The standard OAuth 2.0 endpoints, reached through Api::endpoints(). They
// authenticate the client (ClientAuth), a token given to the call, or
// nobody, rather than the Api's credentials, except introspect() and
// userinfo() without a token argument. A failure's ApiError has the
// RFC 6749 §5.2 (or RFC 6750 §3.1, RFC 7591 §3.2.2) `error` in `id`
// ("invalid_client", "invalid_grant", "invalid_request",
// "unsupported_grant_type", "invalid_scope", "invalid_token", ...) and the
// error_description in `message`; or a network, timeout, tls or protocol
// error. Handles behave as in oauth.hpp.
namespace tessera::sdk {

// /oauth/register/{client_id} (RFC 7592): one dynamically registered
// client, managed with its registration access token (sent as Bearer). A
// wrong or another client's token, or an unknown client id, is the same
// 401 `invalid_token`, so nothing tells whether a client exists.
class ClientRegistrationRef {
public:
    ClientRegistrationRef(ChannelPtr channel, std::string client_id,
                          Secret registration_access_token)
        : channel_(std::move(channel)),
          client_id_(std::move(client_id)),
          token_(std::move(registration_access_token)) {}

    // GET (§2.1): the registration, without client_secret (the server keeps
    // only a digest).
    Result<ClientRegistration> read() const;
    // PUT (§2.2): replaces the metadata; fields left unset return to their
    // defaults. The SDK sends the client_id; `client_secret`, when given,
    // must be the current one. The client keeps its id, secret and
    // registration access token, and cannot move between "none" and a
    // secret method. 400 `invalid_client_metadata` / `invalid_redirect_uri`
    // for metadata that breaks a rule.
    Result<ClientRegistration> update(const ClientMetadata& metadata,
                                      const std::optional<Secret>& client_secret = {}) const;
    // DELETE (§2.3): deletes the client and revokes everything issued to it.
    Result<void> remove() const;

private:
    ChannelPtr channel_;
    std::string client_id_;
    Secret token_;
};

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
    // GET /.well-known/openid-configuration (OpenID Connect Discovery 1.0
    // §4): the same document; 404 when the server is no OpenID Provider.
    Result<ServerMetadata> openid_configuration() const;
    // GET /.well-known/jwks.json (RFC 7517): the keys that verify ID tokens
    // and JWT access tokens; needs no credentials.
    Result<JwkSet> jwks() const;

    // GET /userinfo (OpenID Connect Core §5.3) with `access_token` as
    // Bearer: the claims of the token's user. 401 `invalid_token` for a bad,
    // expired or revoked token (401 without an `id` when none was sent), 403
    // `insufficient_scope` for a token without `openid`.
    Result<UserInfo> userinfo(const Secret& access_token) const;
    // As above, with the Api's own token.
    Result<UserInfo> userinfo() const;

    // POST /oauth/register (RFC 7591 §3): registers a client. The answer
    // holds the client_secret (shown once; none for "none") and the
    // registration access token that registration() needs. When the
    // server's registration is `token`, `initial_access_token` (from `tessera
    // admin registration-tokens create`) is required: 401 `invalid_token`
    // when it is missing, unknown, expired or used up. 400
    // `invalid_client_metadata` or `invalid_redirect_uri` for metadata that
    // breaks a rule; 404 when the server has registration off; 429 when an
    // open server limits registrations from one address.
    Result<ClientRegistration> register_client(
        const ClientMetadata& metadata,
        const std::optional<Secret>& initial_access_token = std::nullopt) const;
    // The registration of `client_id`, managed with its registration access
    // token. Sends nothing until a call.
    ClientRegistrationRef registration(std::string client_id,
                                       Secret registration_access_token) const {
        return {channel_, std::move(client_id), std::move(registration_access_token)};
    }

private:
    ChannelPtr channel_;
};

}  // namespace tessera::sdk
