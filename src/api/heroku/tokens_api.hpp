#pragma once

#include "api/heroku/conventions.hpp"
#include "core/oauth/revocation.hpp"
#include "http/router.hpp"

namespace tessera::api::heroku {

// Heroku spec §4: OAuth tokens. Today `DELETE /oauth/tokens/{id}` (§4.3);
// `POST /oauth/tokens` needs the authorization code flow. Thread-safe.
class TokensApi {
public:
    TokensApi(const Conventions& conventions, core::Revoker& revoker, const Clock& clock)
        : conventions_(conventions), revoker_(revoker), clock_(clock) {}

    void add_routes(http::Router& router);
    http::Response remove(const http::Request& request);

private:
    const Conventions& conventions_;
    core::Revoker& revoker_;
    const Clock& clock_;
};

}  // namespace tessera::api::heroku
