#pragma once

#include "api/heroku/conventions.hpp"
#include "core/sessions/session_service.hpp"
#include "http/router.hpp"

namespace tessera::api::heroku {

// Heroku spec §5: the caller's OAuth sessions; `~` names the session of the
// presented token (the CLI's logout deletes it). Each handler parses, makes
// one core call, and renders. Thread-safe.
class SessionsApi {
public:
    SessionsApi(const Conventions& conventions, core::SessionService& sessions, const Clock& clock)
        : conventions_(conventions), sessions_(sessions), clock_(clock) {}

    void add_routes(http::Router& router);
    http::Response list(const http::Request& request);
    http::Response info(const http::Request& request);
    http::Response remove(const http::Request& request);

private:
    const Conventions& conventions_;
    core::SessionService& sessions_;
    const Clock& clock_;
};

}  // namespace tessera::api::heroku
