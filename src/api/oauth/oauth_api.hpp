#pragma once

#include <string>

#include "api/oauth/form.hpp"
#include "core/auth/token_authenticator.hpp"
#include "core/keys/key_ring.hpp"
#include "core/oauth/client_authenticator.hpp"
#include "core/oauth/introspection.hpp"
#include "core/oauth/revocation.hpp"
#include "core/oauth/token/token_service.hpp"
#include "core/scopes/scope_catalog.hpp"
#include "http/router.hpp"

namespace tessera::api::oauth {

// The standard OAuth endpoints: token (RFC 6749 §3.2), revocation (RFC 7009),
// introspection (RFC 7662) and authorization server metadata (RFC 8414),
// which is also the OpenID Provider configuration (Discovery §3).
// Each handler parses, authenticates the client, makes one core call and
// renders. Thread-safe.
class OAuthApi {
public:
    OAuthApi(std::string issuer, const core::ClientAuthenticator& clients,
             const core::TokenAuthenticator& bearers, core::TokenService& tokens,
             const core::Introspector& introspector, core::Revoker& revoker,
             const core::ScopeCatalog& scopes, const core::KeyRing* keys = nullptr,
             bool has_registration = false)
        : issuer_(std::move(issuer)),
          clients_(clients),
          bearers_(bearers),
          tokens_(tokens),
          introspector_(introspector),
          revoker_(revoker),
          scopes_(scopes),
          keys_(keys),
          has_registration_(has_registration) {}

    void add_routes(http::Router& router);

    http::Response token(const http::Request& request);
    http::Response introspect(const http::Request& request);
    http::Response revoke(const http::Request& request);
    // GET /.well-known/oauth-authorization-server and (the same document)
    // /.well-known/openid-configuration. With a key ring, the OpenID fields:
    // jwks_uri, userinfo_endpoint, subject_types_supported, the algorithms
    // of the published keys and claims_supported, and the implicit and
    // hybrid response types (per client) with the implicit grant.
    http::Response metadata(const http::Request& request) const;

private:
    // A request whose form parsed: the client it authenticated, or why not
    // (`failure`, rendered with a Basic challenge when Basic was used).
    struct Authenticated {
        Form form;
        core::Client client;
        bool used_basic = false;
        std::optional<Error> failure;
    };
    Result<Authenticated> authenticate(const http::Request& request, bool with_query) const;
    // CORS preflight (OPTIONS) of the token, introspection and revocation
    // endpoints: 204, allowing POST from the asking origin.
    http::Response preflight(const http::Request& request) const;

    std::string issuer_;
    // The introspection endpoint's bearer-token path (RFC 7662 §2.1).
    http::Response introspect_with_bearer(const http::Request& request, std::string_view token);

    const core::ClientAuthenticator& clients_;
    const core::TokenAuthenticator& bearers_;
    core::TokenService& tokens_;
    const core::Introspector& introspector_;
    core::Revoker& revoker_;
    const core::ScopeCatalog& scopes_;
    const core::KeyRing* keys_;  // nullptr: no OpenID Connect
    bool has_registration_;      // dynamic client registration is not off
};

}  // namespace tessera::api::oauth
