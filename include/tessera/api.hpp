#pragma once

#include <memory>
#include <string>

#include "tessera/endpoints.hpp"
#include "tessera/iam.hpp"
#include "tessera/oauth.hpp"
#include "tessera/options.hpp"
#include "tessera/result.hpp"

namespace tessera::sdk {

// GET /account: the user the credentials belong to (scope `identity`).
class AccountRef {
public:
    explicit AccountRef(ChannelPtr channel) : channel_(std::move(channel)) {}

    Result<Account> info() const;

private:
    ChannelPtr channel_;
};

// A Tessera server: the entry point of the SDK.
//
//   tessera::sdk::Api api{"https://id.example.com",
//                         tessera::sdk::Credentials::token(tessera::sdk::Secret(token))};
//   auto client = api.oauth().clients().create({.name = "My app",
//                                               .redirect_uri = "https://app.example.com/cb"});
//   if (!client) std::cerr << client.error().to_string() << "\n";
//
// `base_url` is the server's origin (http or https, optional port), with an
// optional path prefix when the server sits behind one; the resources' paths
// are appended. The constructor never fails: with a malformed URL every call
// returns a `usage` error. Connections are opened on first use and kept alive
// for reuse (Options::max_idle_connections). Thread-safe: one Api may serve
// many threads; each call uses its own connection from the pool.
class Api {
public:
    explicit Api(std::string base_url, Credentials credentials = {}, Options options = {});

    // The Heroku-compatible resources: clients, authorizations, tokens, sessions.
    OAuth oauth() const { return OAuth(channel_); }
    // The Cloudflare-compatible resources: account OAuth clients, scopes.
    Iam iam() const { return Iam(channel_); }
    // The standard OAuth endpoints: token, introspect, revoke, discovery.
    Endpoints endpoints() const { return Endpoints(channel_); }
    // The caller's user.
    AccountRef account() const { return AccountRef(channel_); }

    // The base URL as given.
    const std::string& base_url() const;

private:
    ChannelPtr channel_;
};

}  // namespace tessera::sdk
