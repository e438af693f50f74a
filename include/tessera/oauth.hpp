#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tessera/oauth_types.hpp"
#include "tessera/pagination.hpp"
#include "tessera/result.hpp"

// The Heroku Platform API v3 OAuth surface (spec heroku-oauth.md), reached
// through Api::oauth(). Every call sends the Api's credentials (a token with
// scope `global`, except where noted) and returns the resource or an
// ApiError whose `id` is Heroku's: 401 `unauthorized` (bad credentials),
// 403 `forbidden` (scope too narrow), 404 `not_found` (unknown or someone
// else's; `resource` names the kind), 422 `invalid_params`, 429 `rate_limit`,
// 503 `service_unavailable`; or a network, timeout, tls or protocol error.
// Handles are cheap values that share the Api's connection; they stay valid
// after the Api is gone and may be used from several threads at once.
namespace tessera::sdk {

namespace detail {
class Channel;
}
using ChannelPtr = std::shared_ptr<const detail::Channel>;

// /oauth/clients: the caller's OAuth clients.
class OAuthClients {
public:
    explicit OAuthClients(ChannelPtr channel) : channel_(std::move(channel)) {}

    // POST /oauth/clients (§2.2). The answer holds the secret, shown once.
    // 422 when the name is empty or the redirect URI is not allowed.
    Result<OAuthClient> create(const OAuthClientCreate& body) const;
    // GET /oauth/clients (§2.3), every page: follows Next-Range to the end.
    Result<std::vector<OAuthClient>> list(const Range& range = {}) const;
    // One page: pass Range{...}.header() first, then the page's next_range
    // until it is nullopt. 400 for a malformed range, 416 for an unknown field.
    Result<Page<OAuthClient>> list_page(std::string_view range) const;

private:
    ChannelPtr channel_;
};

// /oauth/clients/{id}: one client (dashed uuid or 32 hex).
class OAuthClientRef {
public:
    OAuthClientRef(ChannelPtr channel, std::string id)
        : channel_(std::move(channel)), id_(std::move(id)) {}

    // GET (§2.4). No secret unless the server keeps retrievable secrets (D1).
    Result<OAuthClient> info() const;
    // PATCH (§2.5): only the fields set change; none set changes nothing.
    Result<OAuthClient> update(const OAuthClientUpdate& changes) const;
    // DELETE (§2.6): deletes the client and revokes everything issued to
    // it; returns the client as it was (no secret).
    Result<OAuthClient> remove() const;
    // POST …/actions/rotate-credentials (§2.7): a new secret, which the
    // answer holds; the old one stops working at once (D4).
    Result<OAuthClient> rotate_credentials() const;

private:
    ChannelPtr channel_;
    std::string id_;
};

// /oauth/authorizations: the caller's authorizations.
class OAuthAuthorizations {
public:
    explicit OAuthAuthorizations(ChannelPtr channel) : channel_(std::move(channel)) {}

    // POST /oauth/authorizations (§3.2). Also accepts password credentials
    // (a login): Credentials::password. Without `client` the answer holds
    // the new raw token in access_token->token; with `client`, a grant code
    // to exchange. 403 when `scope` exceeds the caller's, 404 (`client`)
    // for an unknown client, 422 for a bad scope or expires_in, 429 after
    // too many password attempts.
    Result<OAuthAuthorization> create(const OAuthAuthorizationCreate& body) const;
    // GET /oauth/authorizations (§3.3), every page. Tokens are redacted.
    Result<std::vector<OAuthAuthorization>> list(const Range& range = {}) const;
    // One page, as OAuthClients::list_page.
    Result<Page<OAuthAuthorization>> list_page(std::string_view range) const;

private:
    ChannelPtr channel_;
};

// /oauth/authorizations/{id}; "~" names the account's API key (§3.4).
class OAuthAuthorizationRef {
public:
    OAuthAuthorizationRef(ChannelPtr channel, std::string id)
        : channel_(std::move(channel)), id_(std::move(id)) {}

    // GET (§3.4). 404 (`authorization`) for "~" when there is no API key.
    Result<OAuthAuthorization> info() const;
    // PATCH (§3.5): renames, and/or re-associates it with one of the
    // caller's clients given that client's secret (422 when it is wrong).
    Result<OAuthAuthorization> update(const OAuthAuthorizationUpdate& changes) const;
    // DELETE (§3.6): revokes it and every grant and token under it.
    Result<OAuthAuthorization> remove() const;
    // POST …/actions/regenerate-tokens (§3.7): a new raw token, which the
    // answer holds; the old one fails at once. 403 for a client's.
    Result<OAuthAuthorization> regenerate_tokens() const;

private:
    ChannelPtr channel_;
    std::string id_;
};

// /oauth/tokens: exchanging grants (needs no Api credentials, §4.2).
class OAuthTokens {
public:
    explicit OAuthTokens(ChannelPtr channel) : channel_(std::move(channel)) {}

    // POST /oauth/tokens (§4.2): a grant code or refresh token plus the
    // client's secret give raw tokens. 401 `unauthorized` (one message) for
    // a bad code, refresh token or secret; 422 for a malformed body.
    Result<OAuthToken> create(const OAuthTokenCreate& body) const;

private:
    ChannelPtr channel_;
};

// /oauth/tokens/{id}: one of the caller's access tokens.
class OAuthTokenRef {
public:
    OAuthTokenRef(ChannelPtr channel, std::string id)
        : channel_(std::move(channel)), id_(std::move(id)) {}

    // DELETE (§4.3): revokes the access token; returns it redacted.
    Result<OAuthToken> remove() const;

private:
    ChannelPtr channel_;
    std::string id_;
};

// /oauth/sessions: the caller's sessions (refresh-token families).
class OAuthSessions {
public:
    explicit OAuthSessions(ChannelPtr channel) : channel_(std::move(channel)) {}

    // GET /oauth/sessions (§5.2), every page.
    Result<std::vector<OAuthSession>> list(const Range& range = {}) const;
    // One page, as OAuthClients::list_page.
    Result<Page<OAuthSession>> list_page(std::string_view range) const;

private:
    ChannelPtr channel_;
};

// /oauth/sessions/{id}; "~" names the session of the presented token.
class OAuthSessionRef {
public:
    OAuthSessionRef(ChannelPtr channel, std::string id)
        : channel_(std::move(channel)), id_(std::move(id)) {}

    // GET (§5.2). 404 (`session`) for "~" with a token outside any session.
    Result<OAuthSession> info() const;
    // DELETE (§5.2): revokes every token of the session.
    Result<OAuthSession> remove() const;

private:
    ChannelPtr channel_;
    std::string id_;
};

// The Heroku-compatible OAuth resources: api.oauth().clients().create(...).
class OAuth {
public:
    explicit OAuth(ChannelPtr channel) : channel_(std::move(channel)) {}

    OAuthClients clients() const { return OAuthClients(channel_); }
    OAuthClientRef clients(std::string id) const { return {channel_, std::move(id)}; }
    OAuthAuthorizations authorizations() const { return OAuthAuthorizations(channel_); }
    OAuthAuthorizationRef authorizations(std::string id) const { return {channel_, std::move(id)}; }
    OAuthTokens tokens() const { return OAuthTokens(channel_); }
    OAuthTokenRef tokens(std::string id) const { return {channel_, std::move(id)}; }
    OAuthSessions sessions() const { return OAuthSessions(channel_); }
    OAuthSessionRef sessions(std::string id) const { return {channel_, std::move(id)}; }

private:
    ChannelPtr channel_;
};

}  // namespace tessera::sdk
