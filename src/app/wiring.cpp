#include "app/wiring.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>

#include "api/cloudflare/credentials.hpp"
#include "api/cloudflare/envelope.hpp"
#include "api/cloudflare/errors.hpp"
#include "api/cloudflare/oauth_clients_api.hpp"
#include "api/heroku/authorizations_api.hpp"
#include "api/heroku/clients_api.hpp"
#include "api/heroku/conventions.hpp"
#include "api/heroku/errors.hpp"
#include "api/heroku/sessions_api.hpp"
#include "api/heroku/tokens_api.hpp"
#include "api/oauth/authorize_api.hpp"
#include "api/oauth/oauth_api.hpp"
#include "api/oauth/oidc_api.hpp"
#include "api/oauth/registration_api.hpp"
#include "base/encoding.hpp"
#include "app/scope_file.hpp"
#include "base/random.hpp"
#include "core/accounts/account_access.hpp"
#include "core/clients/account_client_service.hpp"
#include "core/accounts/password_authenticator.hpp"
#include "core/auth/token_authenticator.hpp"
#include "core/limits/rate_limiter.hpp"
#include "core/oauth/client_authenticator.hpp"
#include "core/oauth/id_token.hpp"
#include "core/oauth/introspection.hpp"
#include "core/oauth/registration.hpp"
#include "core/oauth/revocation.hpp"
#include "core/oauth/token/jwt_access_token.hpp"
#include "core/oauth/token/token_service.hpp"
#include "core/oauth/userinfo.hpp"
#include "core/scopes/scope_catalog.hpp"
#include "core/sessions/session_service.hpp"
#include "crypto/digest.hpp"
#include "crypto/secret_box.hpp"
#include "dns/txt_resolver.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "storage/cached/cached_store.hpp"
#include "storage/postgres/change_channel.hpp"
#include "storage/postgres/database.hpp"
#include "storage/postgres/migrate.hpp"
#include "storage/postgres/postgres_store.hpp"
#include "storage/sqlite/database.hpp"
#include "storage/sqlite/migrate.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace tessera::app {
namespace {

// "sqlite://PATH" (relative or absolute), "sqlite://:memory:", or a bare path.
Result<std::string> sqlite_path(const std::string& url) {
    std::string path = url.starts_with("sqlite://") ? url.substr(9) : url;
    if (path.empty() || (url.find("://") != std::string::npos && !url.starts_with("sqlite://")))
        return make_error(Code::invalid_params,
                          "database: expected sqlite://PATH, e.g. sqlite://./data/tessera.db", {},
                          "database");
    return path;
}

// The digest key: configured (hex or base64url), else generated once and
// kept in the database so every node and restart agrees.
Result<Secret> digest_key(const Config& config, core::SettingStore& settings, Random& random) {
    if (config.digest_key) {
        auto bytes = hex_decode(*config.digest_key);
        if (!bytes) bytes = base64url_decode(*config.digest_key);
        if (!bytes || bytes->size() < 32)
            return make_error(Code::invalid_params,
                              "digest_key: must be at least 32 bytes, as hex or base64url", {},
                              "digest_key");
        return Secret(std::string(bytes->begin(), bytes->end()));
    }
    std::array<std::uint8_t, 32> fresh{};
    random.fill(fresh);
    TESSERA_TRY_ASSIGN(std::string stored,
                       settings.get_or_put_setting("digest_key", hex_encode(fresh)));
    auto bytes = hex_decode(stored);
    if (!bytes || bytes->size() < 32)
        return make_error(Code::internal, "the stored digest key is damaged");
    return Secret(std::string(bytes->begin(), bytes->end()));
}

// The registration policy: the mode, and the account of the configured
// owner, who must exist unless registration is off.
Result<core::RegistrationPolicy> registration_policy(const Config& config,
                                                     core::UserService& users) {
    core::RegistrationPolicy policy;
    if (config.registration == "off") return policy;
    policy.mode = config.registration == "open" ? core::RegistrationMode::open
                                                : core::RegistrationMode::token;
    auto owner = users.find_by_email(config.registration_owner);
    if (!owner) {
        if (owner.error().code != Code::not_found) return std::move(owner).error();
        return make_error(Code::invalid_params,
                          "registration_owner: no user has the email " + config.registration_owner +
                              " (create it with `tessera admin users create`, or set "
                              "registration = off)",
                          {}, "registration_owner");
    }
    policy.owner_id = owner->id;
    policy.account_id = owner->account_id;
    return policy;
}

// How long an ID token lives.
constexpr std::int64_t kIdTokenTtl = 3600;
// Access tokens of the implicit and hybrid response types (no refresh
// token: the client comes back through the browser for another).
constexpr std::int64_t kImplicitAccessTokenTtl = 3600;

// How long a retired signing key stays published after its last signature:
// the longest life of anything it signs, ID tokens and JWT access tokens
// (RFC 9068) alike, so no token in flight stops verifying at a rotation.
std::int64_t signed_token_ttl(const Config& config) {
    return std::max({kIdTokenTtl, config.access_token_ttl, config.user_access_token_ttl});
}

// The PostgreSQL pool: as configured, else one connection per worker thread
// of the server, since every handler runs on a worker with PostgreSQL.
int database_pool_size(const Config& config) {
    if (config.database_pool_size > 0) return config.database_pool_size;
    http::ServerOptions server;
    server.worker_threads = config.worker_threads;
    return http::worker_thread_count(server);
}

}  // namespace

struct Application::Parts {
    explicit Parts(const Clock* given) : clock(given ? *given : system_clock) {}

    // One of the two, as config.database says.
    std::unique_ptr<storage::sqlite::Database> database;
    std::unique_ptr<storage::postgres::Database> postgres;
    std::unique_ptr<core::Store> store;
    std::unique_ptr<storage::CachedStore> cached;
    // PostgreSQL only: other nodes' cache invalidations (after `cached`, so
    // it stops before the cache it writes to goes).
    std::unique_ptr<storage::postgres::ChangeChannel> changes;
    int migrations_applied = 0;
    SystemClock system_clock;
    const Clock& clock;  // system_clock unless open() was given one
    SystemRandom random;
    std::unique_ptr<crypto::Digester> digester;
    std::unique_ptr<crypto::SecretBox> secret_box;  // only with retrievable client secrets
    std::unique_ptr<crypto::SecretBox> key_box;     // seals signing keys' private parts
    std::unique_ptr<core::KeyRing> keys;
    std::unique_ptr<core::IdTokenIssuer> id_tokens;
    std::unique_ptr<core::JwtAccessTokenSigner> jwt_access_tokens;
    std::unique_ptr<core::UserInfoEndpoint> userinfo;
    std::unique_ptr<api::oauth::OidcApi> oidc;
    core::ScopeCatalog scopes = core::ScopeCatalog::heroku_default();
    std::unique_ptr<core::AccountAccess> account_access;
    std::unique_ptr<core::AccountService> accounts;
    std::unique_ptr<core::ApiKeyAuthenticator> api_keys;
    std::unique_ptr<core::AccountClientService> account_clients;
    std::unique_ptr<api::cloudflare::Credentials> cloudflare_credentials;
    std::unique_ptr<api::cloudflare::OAuthClientsApi> cloudflare_clients;
    std::unique_ptr<core::RateLimiter> limiter;
    // Password sign-in attempts: 10 per account and 30 per address, each
    // refilled at that many a minute.
    std::unique_ptr<core::RateLimiter> login_per_account;
    std::unique_ptr<core::RateLimiter> login_per_address;
    std::unique_ptr<core::PasswordAuthenticator> passwords;
    std::unique_ptr<core::UserService> users;
    std::unique_ptr<core::ClientService> clients;
    std::unique_ptr<core::AuthorizationService> authorizations;
    std::unique_ptr<core::TokenAuthenticator> authenticator;
    std::unique_ptr<api::heroku::Conventions> heroku;
    std::unique_ptr<api::heroku::ClientsApi> heroku_clients;
    std::unique_ptr<api::heroku::AuthorizationsApi> heroku_authorizations;
    std::unique_ptr<api::heroku::TokensApi> heroku_tokens;
    std::unique_ptr<core::SessionService> sessions;
    std::unique_ptr<api::heroku::SessionsApi> heroku_sessions;
    std::unique_ptr<core::ClientAuthenticator> client_authenticator;
    std::unique_ptr<core::TokenService> token_service;
    std::unique_ptr<core::Introspector> introspector;
    std::unique_ptr<core::Revoker> revoker;
    std::unique_ptr<api::oauth::OAuthApi> oauth;
    std::unique_ptr<core::RateLimiter> registration_per_address;
    std::unique_ptr<core::RegistrationService> registration;
    std::unique_ptr<api::oauth::RegistrationApi> registration_api;
    std::unique_ptr<core::FrontChannelTokens> front_channel;
    std::unique_ptr<core::AuthorizationEndpoint> authorize_endpoint;
    std::unique_ptr<core::BrowserSignIn> browser_sign_in;
    std::unique_ptr<core::EndSession> end_session;
    std::unique_ptr<api::oauth::AuthorizeApi> authorize;
    std::unique_ptr<core::Janitor> janitor;
    std::unique_ptr<dns::TxtResolver> dns;
    std::unique_ptr<core::UriVerifier> uri_verifier;
    http::Router router;
};

Result<std::unique_ptr<Application>> Application::open(const Config& config,
                                                       const Clock* clock) {
    auto parts = std::make_unique<Parts>(clock);
    // PostgreSQL for a postgres:// URL or libpq key=value words, else SQLite.
    if (storage::postgres::is_conninfo(config.database)) {
        storage::postgres::DatabaseOptions options;
        options.max_connections = database_pool_size(config);
        TESSERA_TRY_ASSIGN(parts->postgres,
                           storage::postgres::Database::open(config.database, options));
        TESSERA_TRY_ASSIGN(parts->migrations_applied, storage::postgres::migrate(*parts->postgres));
        parts->store = std::make_unique<storage::postgres::PostgresStore>(*parts->postgres);
    } else {
        auto sqlite_file = sqlite_path(config.database);
        if (!sqlite_file) return std::move(sqlite_file).error();
        const std::string& path = *sqlite_file;
        if (path != ":memory:") {
            std::error_code ec;
            auto folder = std::filesystem::path(path).parent_path();
            if (!folder.empty()) std::filesystem::create_directories(folder, ec);
        }
        TESSERA_TRY_ASSIGN(parts->database, storage::sqlite::Database::open(path));
        TESSERA_TRY_ASSIGN(parts->migrations_applied, storage::sqlite::migrate(*parts->database));
        parts->store = std::make_unique<storage::sqlite::SqliteStore>(*parts->database);
    }
    TESSERA_TRY_ASSIGN(Secret key, digest_key(config, *parts->store, parts->random));
    parts->digester = std::make_unique<crypto::Digester>(std::move(key));

    auto& p = *parts;
    std::vector<core::Scope> account_scopes = core::ScopeCatalog::account_default();
    if (!config.scope_catalog.empty()) {
        TESSERA_TRY_ASSIGN(account_scopes, load_scope_file(config.scope_catalog));
    }
    p.scopes = core::ScopeCatalog::combined(core::ScopeCatalog::heroku_default(),
                                            std::move(account_scopes));
    p.cached =
        std::make_unique<storage::CachedStore>(*p.store, *p.store, *p.store, *p.store, *p.store,
                                              *p.store);
    if (p.postgres) {
        storage::CachedStore& cache = *p.cached;
        p.changes = std::make_unique<storage::postgres::ChangeChannel>(
            *p.postgres, config.database,
            [&cache](std::string_view message) { cache.apply_remote(message); },
            [&cache] { cache.forget_all(); });
        cache.set_publisher([&changes = *p.changes](std::string_view message) {
            if (auto sent = changes.publish(message); !sent)
                spdlog::debug("cache invalidation not sent: {}", sent.error().log_detail);
        });
    }
    p.limiter = std::make_unique<core::RateLimiter>(p.clock, config.rate_limit_capacity,
                                                    config.rate_limit_per_minute);
    p.users = std::make_unique<core::UserService>(*p.store, p.clock, p.random);
    if (config.retrievable_client_secrets) {
        // A key of its own, derived from the digest key (HMAC as a KDF).
        p.secret_box = std::make_unique<crypto::SecretBox>(
            Secret(p.digester->digest("tessera/secret-box/v1")));
    }
    // OpenID Connect: signing keys sealed under a key of their own, derived
    // from the digest key like the secret box's.
    p.key_box =
        std::make_unique<crypto::SecretBox>(Secret(p.digester->digest("tessera/signing-keys/v1")));
    p.keys = std::make_unique<core::KeyRing>(*p.store, *p.key_box, p.clock, p.random,
                                             core::KeyPolicy{signed_token_ttl(config)});
    TESSERA_TRY(p.keys->ensure_key());
    // Before the clients: a client may choose only an algorithm that has a key.
    p.clients = std::make_unique<core::ClientService>(*p.cached, p.clock, p.random, *p.digester,
                                                      p.secret_box.get(), p.keys.get());
    p.authorizations = std::make_unique<core::AuthorizationService>(*p.cached, *p.cached, p.scopes,
                                                                    p.clock, p.random, *p.digester);
    p.authenticator = std::make_unique<core::TokenAuthenticator>(*p.cached, p.clock, *p.digester);
    p.login_per_account = std::make_unique<core::RateLimiter>(p.clock, 10, 10);
    p.login_per_address = std::make_unique<core::RateLimiter>(p.clock, 30, 30);
    p.passwords = std::make_unique<core::PasswordAuthenticator>(*p.store, *p.login_per_account,
                                                                *p.login_per_address);
    p.heroku =
        std::make_unique<api::heroku::Conventions>(*p.authenticator, *p.limiter, *p.passwords);
    p.heroku_clients = std::make_unique<api::heroku::ClientsApi>(*p.heroku, *p.clients, *p.store);
    p.heroku_clients->add_routes(p.router);
    p.client_authenticator = std::make_unique<core::ClientAuthenticator>(*p.cached, *p.digester);
    p.id_tokens = std::make_unique<core::IdTokenIssuer>(config.issuer, *p.keys, *p.store, p.clock,
                                                        kIdTokenTtl);
    // RFC 9068 §3: no resource indicators here, so `aud` is the issuer,
    // whose origin serves the APIs these tokens are for.
    p.jwt_access_tokens =
        std::make_unique<core::JwtAccessTokenSigner>(config.issuer, config.issuer, *p.keys);
    core::TokenPolicy token_policy{config.access_token_ttl, config.user_access_token_ttl,
                                   config.refresh_token_ttl, config.refresh_grace};
    p.token_service = std::make_unique<core::TokenService>(
        *p.cached, *p.cached, p.scopes, p.clock, p.random, *p.digester, token_policy,
        p.id_tokens.get(), p.jwt_access_tokens.get());
    p.introspector = std::make_unique<core::Introspector>(*p.cached, *p.cached, *p.cached, *p.store,
                                                          p.clock, *p.digester);
    p.revoker = std::make_unique<core::Revoker>(*p.cached, *p.cached, *p.cached, *p.digester);
    TESSERA_TRY_ASSIGN(core::RegistrationPolicy registration,
                       registration_policy(config, *p.users));
    // Open registration: registration_rate_limit per address an hour.
    p.registration_per_address = std::make_unique<core::RateLimiter>(
        p.clock, config.registration_rate_limit, config.registration_rate_limit / 60.0);
    p.registration = std::make_unique<core::RegistrationService>(
        *p.clients, *p.cached, *p.cached, p.scopes, p.clock, p.random, *p.digester, registration,
        p.registration_per_address.get());
    p.registration_api =
        std::make_unique<api::oauth::RegistrationApi>(config.issuer, *p.registration);
    p.registration_api->add_routes(p.router);
    p.oauth = std::make_unique<api::oauth::OAuthApi>(
        config.issuer, *p.client_authenticator, *p.authenticator, *p.token_service, *p.introspector,
        *p.revoker, p.scopes, p.keys.get(), registration.mode != core::RegistrationMode::off);
    p.oauth->add_routes(p.router);
    p.userinfo = std::make_unique<core::UserInfoEndpoint>(*p.authenticator, *p.store);
    p.oidc = std::make_unique<api::oauth::OidcApi>(*p.keys, *p.userinfo);
    p.oidc->add_routes(p.router);
    // Implicit and hybrid response types (per client, off by default).
    p.front_channel = std::make_unique<core::FrontChannelTokens>(
        *p.cached, *p.id_tokens, p.random, *p.digester, kImplicitAccessTokenTtl);
    p.authorize_endpoint = std::make_unique<core::AuthorizationEndpoint>(
        config.issuer, *p.cached, *p.cached, p.scopes, p.clock, p.random, *p.digester,
        core::AuthorizePolicy{config.code_ttl}, p.store.get(), p.front_channel.get());
    p.browser_sign_in =
        std::make_unique<core::BrowserSignIn>(*p.passwords, *p.store, *p.cached, p.clock, p.random,
                                              *p.digester, core::SignInPolicy{config.session_ttl});
    p.end_session = std::make_unique<core::EndSession>(config.issuer, *p.keys, *p.cached);
    p.authorize = std::make_unique<api::oauth::AuthorizeApi>(
        *p.authorize_endpoint, *p.browser_sign_in, p.scopes, p.end_session.get());
    p.authorize->add_routes(p.router);
    p.heroku_authorizations = std::make_unique<api::heroku::AuthorizationsApi>(
        *p.heroku, *p.authorizations, *p.authorize_endpoint, *p.clients, *p.users, p.clock);
    p.heroku_authorizations->add_routes(p.router);
    p.heroku_tokens = std::make_unique<api::heroku::TokensApi>(
        *p.heroku, *p.client_authenticator, *p.token_service, *p.revoker, p.clock);
    p.heroku_tokens->add_routes(p.router);
    p.sessions = std::make_unique<core::SessionService>(*p.cached);
    p.heroku_sessions = std::make_unique<api::heroku::SessionsApi>(*p.heroku, *p.sessions, p.clock);
    p.heroku_sessions->add_routes(p.router);
    // Cloudflare spec: account OAuth clients under /client/v4.
    p.account_access = std::make_unique<core::AccountAccess>(*p.store);
    p.accounts = std::make_unique<core::AccountService>(*p.store, *p.store, p.clock, p.random);
    p.api_keys = std::make_unique<core::ApiKeyAuthenticator>(*p.store, p.clock, p.random,
                                                             *p.digester);
    p.account_clients = std::make_unique<core::AccountClientService>(
        *p.cached, *p.account_access, p.scopes, p.clock, p.random, *p.digester);
    p.cloudflare_credentials = std::make_unique<api::cloudflare::Credentials>(
        *p.authenticator, *p.api_keys, *p.limiter);
    p.cloudflare_clients = std::make_unique<api::cloudflare::OAuthClientsApi>(
        *p.cloudflare_credentials, *p.account_clients, p.scopes);
    p.cloudflare_clients->add_routes(p.router);
    p.janitor = std::make_unique<core::Janitor>(*p.cached, *p.cached, p.clock, 1000, p.store.get());
    // Cloudflare spec §4.6. On the uncached store: the verifier's
    // compare-and-set must see what API calls wrote a moment ago.
    p.dns = std::make_unique<dns::TxtResolver>(config.dns_resolver);
    p.uri_verifier = std::make_unique<core::UriVerifier>(
        *p.cached, *p.dns, p.clock,
        core::UriVerifierOptions{.recheck_after = config.uri_verification_interval});

    core::UserStore& user_store = *p.store;
    auto health = [](int status, const char* text) {
        http::Response r;
        r.status = status;
        r.headers.set("Content-Type", "application/json; charset=utf-8");
        r.headers.set("Cache-Control", "no-store");
        r.body = std::string("{\"status\":\"") + text + "\"}";
        return r;
    };
    p.router.add("GET", "/health/alive",
                 [health](const http::Request&) { return health(200, "alive"); });
    p.router.add("GET", "/health/ready", [health, &user_store](const http::Request&) {
        // A lookup that touches the database: not_found means it answered.
        auto probe = user_store.find_user(Id{});
        bool ready = probe.has_value() || probe.error().code == Code::not_found;
        return ready ? health(200, "ready") : health(503, "unavailable");
    });
    return std::unique_ptr<Application>(new Application(std::move(parts)));
}

Application::Application(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}
Application::~Application() = default;

int Application::migrations_applied() const { return parts_->migrations_applied; }
core::UserService& Application::users() { return *parts_->users; }
core::ClientService& Application::clients() { return *parts_->clients; }
core::AuthorizationService& Application::authorizations() { return *parts_->authorizations; }
const Clock& Application::clock() const { return parts_->clock; }
const core::ScopeCatalog& Application::scopes() const { return parts_->scopes; }
core::Janitor& Application::janitor() { return *parts_->janitor; }
core::KeyRing& Application::keys() { return *parts_->keys; }
core::RegistrationService& Application::registration() { return *parts_->registration; }
core::AccountService& Application::accounts() { return *parts_->accounts; }
core::ApiKeyAuthenticator& Application::api_keys() { return *parts_->api_keys; }
core::UriVerifier& Application::uri_verifier() { return *parts_->uri_verifier; }

http::Response Application::handle(http::Request& request) const {
    auto match = parts_->router.match(request.method, request.path);
    if (auto* found = std::get_if<http::Router::Found>(&match)) {
        request.params = std::move(found->params);
        return (*found->handler)(request);
    }
    if (api::cloudflare::owns_path(request.path)) {
        // Cloudflare spec §7: this surface's own shapes for routing errors.
        if (auto* not_allowed = std::get_if<http::Router::MethodNotAllowed>(&match)) {
            auto r = api::cloudflare::failure(405, {{10405, "Method not allowed"}});
            r.headers.set("Allow", not_allowed->allow);
            return r;
        }
        if (auto* bad = std::get_if<http::Router::BadPath>(&match))
            return api::cloudflare::failure(400, {{1400, bad->reason}});
        return api::cloudflare::failure(404, {{7003, "No route for the URI"}});
    }
    if (auto* not_allowed = std::get_if<http::Router::MethodNotAllowed>(&match)) {
        auto r = api::heroku::error_response(405, "method_not_allowed",
                                             "This endpoint does not support " + request.method +
                                                 "; it supports " + not_allowed->allow + ".");
        r.headers.set("Allow", not_allowed->allow);
        return r;
    }
    if (auto* bad = std::get_if<http::Router::BadPath>(&match))
        return api::heroku::error_response(400, "bad_request", bad->reason);
    return api::heroku::error_response(404, "not_found",
                                       "The requested API endpoint was not found.");
}

bool Application::runs_inline(const http::Request& request) const {
    // On PostgreSQL every route waits for network round trips: all go to the
    // worker pool (STYLE.md §3).
    if (parts_->postgres) return false;
    // Every route does microseconds of work on the embedded database, except
    // password sign-in (Argon2id, tens of milliseconds) on the Heroku API and
    // on the sign-in page: those go to the worker pool so they never hold an
    // I/O thread.
    return !(request.method == "POST" &&
             (request.path == "/oauth/authorizations" || request.path == "/oauth/authorize"));
}

http::Response Application::render_transport_error(const http::Request& request, int status,
                                                   std::string_view message) const {
    if (api::cloudflare::owns_path(request.path))
        return api::cloudflare::failure(status, {{status >= 500 ? 10001 : 1400, std::string(message)}});
    std::string_view id = status == 413   ? "request_too_large"
                          : status == 431 ? "request_header_too_large"
                          : status >= 500 ? "internal_server_error"
                                          : "bad_request";
    return api::heroku::error_response(status, id, message);
}

}  // namespace tessera::app
