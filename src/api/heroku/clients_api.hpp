#pragma once

#include "api/heroku/conventions.hpp"
#include "core/clients/client_service.hpp"
#include "core/store/user_store.hpp"
#include "http/router.hpp"

namespace tessera::api::heroku {

// Heroku spec §2: /oauth/clients. Each handler parses, makes one core call,
// and renders. Thread-safe (holds only references to thread-safe services).
class ClientsApi {
public:
    ClientsApi(const Conventions& conventions, core::ClientService& clients, core::UserStore& users)
        : conventions_(conventions), clients_(clients), users_(users) {}

    void add_routes(http::Router& router);

    http::Response create(const http::Request& request);
    http::Response list(const http::Request& request);
    http::Response info(const http::Request& request);
    http::Response update(const http::Request& request);
    http::Response remove(const http::Request& request);
    http::Response rotate_credentials(const http::Request& request);

private:
    const Conventions& conventions_;
    core::ClientService& clients_;
    core::UserStore& users_;
};

}  // namespace tessera::api::heroku
