#pragma once

#include "api/cloudflare/credentials.hpp"
#include "core/clients/account_client_service.hpp"
#include "core/scopes/scope_catalog.hpp"
#include "http/router.hpp"

namespace tessera::api::cloudflare {

// Cloudflare spec §1.2: /client/v4/accounts/{account_id}/oauth_clients[...]
// and /client/v4/oauth/scopes. Each handler authenticates, parses, makes one
// core call and renders it in the v4 envelope. Thread-safe.
class OAuthClientsApi {
public:
    OAuthClientsApi(const Credentials& credentials, core::AccountClientService& clients,
                    const core::ScopeCatalog& catalog)
        : credentials_(credentials), clients_(clients), catalog_(catalog) {}

    void add_routes(http::Router& router);

    http::Response list(const http::Request& request);
    http::Response get(const http::Request& request);
    http::Response create(const http::Request& request);
    http::Response update(const http::Request& request);
    http::Response remove(const http::Request& request);
    http::Response rotate_secret(const http::Request& request);
    http::Response delete_rotated_secret(const http::Request& request);
    http::Response list_scopes(const http::Request& request);

private:
    const Credentials& credentials_;
    core::AccountClientService& clients_;
    const core::ScopeCatalog& catalog_;
};

// True for paths this surface owns (errors there use its envelope).
bool owns_path(std::string_view path);

}  // namespace tessera::api::cloudflare
