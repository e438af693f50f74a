#pragma once

#include <memory>
#include <string_view>

#include "app/config.hpp"
#include "base/clock.hpp"
#include "base/result.hpp"
#include "core/accounts/account_service.hpp"
#include "core/accounts/user_service.hpp"
#include "core/auth/api_key_authenticator.hpp"
#include "core/authorizations/authorization_service.hpp"
#include "core/clients/client_service.hpp"
#include "core/clients/uri_verification.hpp"
#include "core/keys/key_ring.hpp"
#include "core/oauth/registration.hpp"
#include "core/scopes/scope_catalog.hpp"
#include "core/tokens/janitor.hpp"
#include "http/message.hpp"

namespace tessera::app {

// Everything a running Tessera is made of: the store, the core services and
// the surfaces, wired together. The only place that names concrete stores.
// After open() it is immutable apart from the services' own thread-safe
// state, so handle() may run on many threads at once.
class Application {
public:
    // Opens the database named by config.database (a postgres:// URL or
    // libpq key=value words: PostgreSQL; else an SQLite file, its folder and
    // file created when needed), applies pending migrations and, when the database
    // has no signing key yet, creates the first (ES256, current). `unavailable` when the
    // database cannot be opened, `invalid_params` for a bad URL or, unless
    // registration is off, a registration_owner that names no user.
    // `clock`, which must outlive the Application, replaces the system clock
    // (tests); nullptr: the system clock.
    static Result<std::unique_ptr<Application>> open(const Config& config,
                                                     const Clock* clock = nullptr);
    ~Application();

    // Number of migrations applied by open().
    int migrations_applied() const;

    core::UserService& users();
    core::ClientService& clients();
    core::AuthorizationService& authorizations();
    const Clock& clock() const;
    const core::ScopeCatalog& scopes() const;
    core::Janitor& janitor();
    core::KeyRing& keys();
    core::RegistrationService& registration();
    core::AccountService& accounts();
    core::ApiKeyAuthenticator& api_keys();
    // Polls DNS for client URI verifications (`serve` runs it in the
    // background); its writes erase the client from the cache, so the API
    // shows a result at once.
    core::UriVerifier& uri_verifier();

    // Routes one request to its surface (the server's handler).
    http::Response handle(http::Request& request) const;
    // True when `request`'s handler cannot block (everything on the embedded
    // SQLite file but password sign-in; nothing on PostgreSQL), so the server
    // may run it on the I/O thread.
    bool runs_inline(const http::Request& request) const;
    // Renders a transport-level failure (413, 431, 400, 500) in the shape of
    // the surface the path belongs to.
    http::Response render_transport_error(const http::Request& request, int status,
                                          std::string_view message) const;

private:
    struct Parts;
    explicit Application(std::unique_ptr<Parts> parts);
    std::unique_ptr<Parts> parts_;
};

}  // namespace tessera::app
