#pragma once

#include "api/heroku/conventions.hpp"
#include "core/oauth/client_authenticator.hpp"
#include "core/oauth/revocation.hpp"
#include "core/oauth/token/token_service.hpp"
#include "http/router.hpp"

namespace tessera::api::heroku {

// Heroku spec §4: OAuth tokens. `POST /oauth/tokens` (§4.2) exchanges a code
// or refresh token for the client that proves itself with `client.secret`;
// `DELETE /oauth/tokens/{id}` (§4.3) revokes one of the caller's access
// tokens. Thread-safe.
class TokensApi {
public:
    TokensApi(const Conventions& conventions, const core::ClientAuthenticator& clients,
              core::TokenService& tokens, core::Revoker& revoker, const Clock& clock)
        : conventions_(conventions),
          clients_(clients),
          tokens_(tokens),
          revoker_(revoker),
          clock_(clock) {}

    void add_routes(http::Router& router);
    http::Response create(const http::Request& request);
    http::Response remove(const http::Request& request);

private:
    http::Response exchange(const http::Request& request);

    const Conventions& conventions_;
    const core::ClientAuthenticator& clients_;
    core::TokenService& tokens_;
    core::Revoker& revoker_;
    const Clock& clock_;
};

}  // namespace tessera::api::heroku
