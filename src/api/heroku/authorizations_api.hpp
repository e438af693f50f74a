#pragma once

#include "api/heroku/conventions.hpp"
#include "core/accounts/user_service.hpp"
#include "core/authorizations/authorization_service.hpp"
#include "core/clients/client_service.hpp"
#include "core/oauth/authorize/authorization_endpoint.hpp"
#include "http/router.hpp"

namespace tessera::api::heroku {

// Heroku spec §3 (direct authorizations: personal API tokens; a client's
// authorization: its standing grant, created here with a code for
// POST /oauth/tokens) and the `GET /account` the CLI uses to check a login.
// Each handler parses, makes one core call, and renders. Thread-safe.
class AuthorizationsApi {
public:
    AuthorizationsApi(const Conventions& conventions, core::AuthorizationService& authorizations,
                      core::AuthorizationEndpoint& grants, core::ClientService& clients,
                      core::UserService& users, const Clock& clock)
        : conventions_(conventions),
          authorizations_(authorizations),
          grants_(grants),
          clients_(clients),
          users_(users),
          clock_(clock) {}

    void add_routes(http::Router& router);

    http::Response create(const http::Request& request);
    http::Response list(const http::Request& request);
    http::Response info(const http::Request& request);
    http::Response update(const http::Request& request);
    http::Response remove(const http::Request& request);
    http::Response regenerate_tokens(const http::Request& request);
    http::Response account(const http::Request& request);

private:
    http::Response create_as(const http::Request& request, const core::Caller& caller);
    // §3.1 for an authorization as its owner sees it.
    Result<boost::json::object> render(const core::AuthorizationView& view, const core::User& user);

    const Conventions& conventions_;
    core::AuthorizationService& authorizations_;
    core::AuthorizationEndpoint& grants_;
    core::ClientService& clients_;
    core::UserService& users_;
    const Clock& clock_;
};

}  // namespace tessera::api::heroku
