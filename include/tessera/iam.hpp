#pragma once

#include <string>
#include <vector>

#include "tessera/iam_types.hpp"
#include "tessera/oauth.hpp"
#include "tessera/result.hpp"

// The Cloudflare API v4 surface (spec cloudflare-oauth-clients.md) under
// /client/v4, reached through Api::iam(). Calls send the Api's credentials
// (a token, or a global API key with its email) and unwrap the v4 envelope.
// A failure's ApiError carries the first error's `code` and message and
// every entry in `details` (with `pointer` into the request body): 400
// codes 1001–1006 for invalid bodies, 401/403 code 10000 for credentials and
// roles, 404 code 7003 for an unknown, foreign or malformed id, 429 code
// 10429; or a network, timeout, tls or protocol error. Handles behave as in
// oauth.hpp.
namespace tessera::sdk {

// /accounts/{account_id}/oauth_clients: the OAuth clients of one account.
// Reading needs the OAuth Client Read role, writing OAuth Client Write (or
// an administrator).
class AccountOAuthClients {
public:
    AccountOAuthClients(ChannelPtr channel, std::string account_id)
        : channel_(std::move(channel)), account_id_(std::move(account_id)) {}

    // GET (§2.2): every client, oldest first, never with a secret.
    Result<std::vector<AccountOAuthClient>> list() const;
    // GET …/{id} (§2.3).
    Result<AccountOAuthClient> get(const std::string& client_id) const;
    // POST (§2.1): a private client; client_secret set unless the client is
    // public (token_endpoint_auth_method "none"). 400 code 1006 past 200
    // clients per account.
    Result<AccountOAuthClient> create(const AccountOAuthClientCreate& body) const;
    // PATCH …/{id} (§2.4): only the fields set change; the result must pass
    // every rule of §4 (promotion preconditions: code 1005).
    Result<AccountOAuthClient> update(const std::string& client_id,
                                      const AccountOAuthClientUpdate& changes) const;
    // DELETE …/{id} (§2.5): deletes it and revokes everything issued to it.
    // Returns the deleted client's id.
    Result<std::string> remove(const std::string& client_id) const;
    // POST …/{id}/rotate_secret (§2.6): a second secret, returned once; the
    // old one keeps working until delete_rotated_secret(). 409 code 1409
    // when already rotated, 400 code 1400 for a public client.
    Result<Secret> rotate_secret(const std::string& client_id) const;
    // DELETE …/{id}/rotate_secret (§2.7): the old secret stops working.
    // Returns the client's id; 404 code 1404 when there is none.
    Result<std::string> delete_rotated_secret(const std::string& client_id) const;

private:
    ChannelPtr channel_;
    std::string account_id_;
};

// /oauth/scopes: the deployment's scope catalog; any valid credential.
class OAuthScopes {
public:
    explicit OAuthScopes(ChannelPtr channel) : channel_(std::move(channel)) {}

    // GET /client/v4/oauth/scopes (§6).
    Result<std::vector<OAuthScope>> list() const;

private:
    ChannelPtr channel_;
};

// api.iam().oauth_clients(account_id).list(), api.iam().oauth_scopes().list().
class Iam {
public:
    explicit Iam(ChannelPtr channel) : channel_(std::move(channel)) {}

    AccountOAuthClients oauth_clients(std::string account_id) const {
        return {channel_, std::move(account_id)};
    }
    OAuthScopes oauth_scopes() const { return OAuthScopes(channel_); }

private:
    ChannelPtr channel_;
};

}  // namespace tessera::sdk
