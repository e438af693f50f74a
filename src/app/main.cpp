// The `tessera` binary: serve, migrate and the admin commands that work
// straight on the database (bootstrap, scripts, CI), plus the API commands
// of src/cli (login, clients, ...) that talk to a server through the SDK.
#include <CLI/CLI.hpp>

#include <iostream>
#include <map>
#include <optional>
#include <string>

#include "app/commands.hpp"
#include "cli/commands.hpp"

namespace {

// Flags every database-touching command shares: --config and --database.
struct DatabaseFlags {
    std::optional<std::string> config_file;
    std::optional<std::string> database;

    void add_to(CLI::App& command) {
        command.add_option("--config", config_file, "TOML configuration file")
            ->envname("TESSERA_CONFIG");
        command.add_option("--database", database, "Database URL, e.g. sqlite://./data/tessera.db");
    }
    std::map<std::string, std::string> flags() const {
        std::map<std::string, std::string> out;
        if (database) out["database"] = *database;
        return out;
    }
};

}  // namespace

int main(int argc, char** argv) {
    using namespace tessera::app;
    CLI::App app{"Tessera: an OAuth 2.0 / OpenID Connect authorization server", "tessera"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "tessera 0.1.0");
    int exit_code = 0;

    // tessera serve
    auto* serve = app.add_subcommand("serve", "Run the server (applies migrations first)");
    DatabaseFlags serve_db;
    serve_db.add_to(*serve);
    std::map<std::string, std::string> serve_flags;
    struct Flag {
        const char* name;
        const char* key;
        const char* help;
    };
    static const Flag kServeFlags[] = {
        {"--listen", "listen", "HOST:PORT to listen on (default 127.0.0.1:8080)"},
        {"--issuer", "issuer", "Public base URL of this server (default http://127.0.0.1:8080)"},
        {"--tls-cert", "tls_cert", "PEM certificate chain: serve HTTPS"},
        {"--tls-key", "tls_key", "PEM private key for --tls-cert"},
        {"--io-threads", "io_threads", "I/O threads (default: one per core)"},
        {"--worker-threads", "worker_threads", "Handler threads (default: four per core)"},
        {"--database-pool-size", "database_pool_size",
         "PostgreSQL connections per node (default: one per worker thread)"},
        {"--body-limit", "body_limit", "Largest request body in bytes (default 1048576)"},
        {"--access-log", "access_log", "true|false: one JSON line per request on stdout"},
        {"--rate-limit-capacity", "rate_limit_capacity", "API calls per account bucket (4500)"},
        {"--rate-limit-per-minute", "rate_limit_per_minute", "Bucket refill per minute (75)"},
        {"--retrievable-client-secrets", "retrievable_client_secrets",
         "true|false: keep sealed client secrets so owners can read them again (Heroku D1)"},
        {"--access-token-ttl", "access_token_ttl", "client_credentials token life, s (3600)"},
        {"--user-access-token-ttl", "user_access_token_ttl",
         "life of tokens from a code or refresh token, s (28800)"},
        {"--refresh-token-ttl", "refresh_token_ttl", "session life, s; 0: no expiry (0)"},
        {"--refresh-grace", "refresh_grace", "retry window of a spent refresh token, s (10)"},
        {"--code-ttl", "code_ttl", "authorization code life, s (60)"},
        {"--session-ttl", "session_ttl", "browser sign-in life, s (28800)"},
        {"--registration", "registration",
         "dynamic client registration: off (default), token or open"},
        {"--registration-owner", "registration_owner",
         "email of the user who owns dynamically registered clients"},
        {"--registration-rate-limit", "registration_rate_limit",
         "open registration: registrations per address an hour (10)"},
        {"--scope-catalog", "scope_catalog",
         "TOML file of Cloudflare-style scopes (built-in: config/scopes.toml)"},
        {"--dns-resolver", "dns_resolver",
         "DNS server for client URI verification, IP:PORT or [IPv6]:PORT (system's)"},
        {"--uri-verification-interval", "uri_verification_interval",
         "seconds between DNS lookups of one client URI verification (300)"},
    };
    static std::map<std::string, std::string> given;
    for (const auto& f : kServeFlags) {
        serve->add_option_function<std::string>(
            f.name, [key = std::string(f.key)](const std::string& v) { given[key] = v; }, f.help);
    }
    serve->callback([&] {
        auto flags = serve_db.flags();
        flags.insert(given.begin(), given.end());
        exit_code = run_serve(serve_db.config_file, flags);
    });

    // tessera migrate
    auto* migrate = app.add_subcommand("migrate", "Apply pending database migrations and exit");
    DatabaseFlags migrate_db;
    migrate_db.add_to(*migrate);
    migrate->callback([&] { exit_code = run_migrate(migrate_db.config_file, migrate_db.flags()); });

    // tessera admin ...
    auto* admin = app.add_subcommand("admin", "Administration straight on the database");
    admin->require_subcommand(1);

    auto* users = admin->add_subcommand("users", "Manage users");
    users->require_subcommand(1);
    auto* users_create = users->add_subcommand("create",
                                               "Create a user and its personal account; "
                                               "prints the user as JSON");
    DatabaseFlags users_db;
    users_db.add_to(*users_create);
    NewUserFlags new_user;
    users_create->add_option("--email", new_user.email, "Email address")->required();
    users_create->add_option("--password", new_user.password, "Password (8+ characters)")
        ->required();
    users_create->add_option("--name", new_user.name, "Display name");
    users_create->callback(
        [&] { exit_code = run_users_create(users_db.config_file, users_db.flags(), new_user); });

    auto* users_api_key = users->add_subcommand(
        "api-key",
        "Create (or replace) a user's global API key for X-Auth-Email + X-Auth-Key on "
        "/client/v4; prints it as JSON, shown once");
    DatabaseFlags api_key_db;
    api_key_db.add_to(*users_api_key);
    std::string api_key_email;
    users_api_key->add_option("email", api_key_email, "The user's email")->required();
    users_api_key->callback([&] {
        exit_code = run_users_api_key(api_key_db.config_file, api_key_db.flags(), api_key_email);
    });

    auto* accounts = admin->add_subcommand("accounts", "Manage accounts and their members");
    accounts->require_subcommand(1);
    auto* accounts_create = accounts->add_subcommand(
        "create", "Create an account whose owner is its Super Administrator; prints it as JSON");
    DatabaseFlags accounts_db;
    accounts_db.add_to(*accounts_create);
    std::string account_name, account_owner;
    accounts_create->add_option("name", account_name, "The account's name")->required();
    accounts_create->add_option("--owner", account_owner, "Email of its first member")
        ->required();
    accounts_create->callback([&] {
        exit_code = run_accounts_create(accounts_db.config_file, accounts_db.flags(),
                                        account_name, account_owner);
    });
    auto* add_member = accounts->add_subcommand(
        "add-member", "Add a user to an account with a role, or change a member's role");
    DatabaseFlags member_db;
    member_db.add_to(*add_member);
    std::string member_account, member_email, member_role;
    add_member->add_option("account", member_account, "Account id (32 hex)")->required();
    add_member->add_option("email", member_email, "The user's email")->required();
    add_member->add_option("--role", member_role,
                           "Super Administrator, Administrator, OAuth Client Read or "
                           "OAuth Client Write")
        ->required();
    add_member->callback([&] {
        exit_code = run_accounts_add_member(member_db.config_file, member_db.flags(),
                                            member_account, member_email, member_role);
    });

    auto* authorizations = admin->add_subcommand("authorizations", "Manage authorizations");
    authorizations->require_subcommand(1);
    auto* auth_create = authorizations->add_subcommand(
        "create",
        "Create a direct authorization (a personal API token); prints it as Heroku "
        "authorization JSON with the raw token");
    DatabaseFlags auth_db;
    auth_db.add_to(*auth_create);
    NewAuthorizationFlags new_auth;
    auth_create->add_option("--email", new_auth.email, "The user's email")->required();
    auth_create->add_option("--scope", new_auth.scopes, "Scope (repeatable; default global)");
    auth_create->add_option("--description", new_auth.description, "Description");
    auth_create->add_option("--expires-in", new_auth.expires_in,
                            "Seconds until the token expires (default: never)");
    auth_create->add_flag("--api-key", new_auth.is_api_key,
                          "Mark it as the account's API key (the Heroku `~` authorization)");
    auth_create->callback([&] {
        exit_code = run_authorizations_create(auth_db.config_file, auth_db.flags(), new_auth);
    });

    auto* clients = admin->add_subcommand("clients", "Manage OAuth clients");
    clients->require_subcommand(1);
    auto* clients_create = clients->add_subcommand(
        "create",
        "Register an OAuth client with full metadata (e.g. a client_credentials "
        "machine client); prints it as JSON with its secret, shown once");
    DatabaseFlags clients_db;
    clients_db.add_to(*clients_create);
    NewClientFlags new_client;
    clients_create->add_option("--email", new_client.owner_email, "The owner's email")->required();
    clients_create->add_option("--name", new_client.name, "Client name")->required();
    clients_create->add_option(
        "--grant-type", new_client.grant_types,
        "authorization_code, refresh_token, client_credentials or implicit (repeatable; "
        "default authorization_code)");
    clients_create->add_option("--redirect-uri", new_client.redirect_uris,
                               "Redirect URI (repeatable)");
    clients_create->add_option("--scope", new_client.scopes,
                               "Scope the client may request (repeatable; default: any)");
    clients_create->add_option("--auth-method", new_client.auth_method,
                               "client_secret_basic (default), client_secret_post or none");
    clients_create->add_option("--refresh-policy", new_client.refresh_policy,
                               "rotate (default) or stable");
    clients_create->add_option(
        "--response-type", new_client.response_types,
        "A response type the client may use, e.g. \"code id_token\" (repeatable; default: "
        "code with authorization_code)");
    clients_create->add_option("--id-token-alg", new_client.id_token_alg,
                               "ES256, RS256 or EdDSA: how its ID tokens are signed (default: "
                               "the server's, ES256); the algorithm must have a current key");
    clients_create->add_option("--access-token-format", new_client.access_token_format,
                               "opaque (default) or jwt: RFC 9068 JWT access tokens signed "
                               "with the current signing key");
    clients_create->callback([&] {
        exit_code = run_clients_create(clients_db.config_file, clients_db.flags(), new_client);
    });

    auto* keys =
        admin->add_subcommand("keys", "Manage the signing keys of ID tokens and JWT access tokens");
    keys->require_subcommand(1);
    auto* keys_rotate = keys->add_subcommand(
        "rotate",
        "Publish a new signing key as next and promote the previous next key to current "
        "(retiring the current key, which stays published until its tokens expire); "
        "prints the published keys as JSON");
    DatabaseFlags keys_db;
    keys_db.add_to(*keys_rotate);
    std::string key_algorithm = "ES256";
    keys_rotate->add_option("--algorithm", key_algorithm, "ES256 (default), RS256 or EdDSA")
        ->check(CLI::IsMember({"ES256", "RS256", "EdDSA"}));
    keys_rotate->callback(
        [&] { exit_code = run_keys_rotate(keys_db.config_file, keys_db.flags(), key_algorithm); });

    auto* registration_tokens = admin->add_subcommand(
        "registration-tokens", "Manage initial access tokens for dynamic client registration");
    registration_tokens->require_subcommand(1);
    auto* tokens_create = registration_tokens->add_subcommand(
        "create",
        "Mint an initial access token for POST /oauth/register (RFC 7591); prints it as JSON, "
        "shown once");
    DatabaseFlags tokens_db;
    tokens_db.add_to(*tokens_create);
    NewRegistrationTokenFlags new_token;
    tokens_create->add_option("--expires-in", new_token.expires_in,
                              "Seconds until the token expires (default: never)");
    tokens_create->add_option("--max-uses", new_token.max_uses,
                              "Registrations it allows (default 1: single use; 0: unlimited)");
    tokens_create->callback([&] {
        exit_code =
            run_registration_tokens_create(tokens_db.config_file, tokens_db.flags(), new_token);
    });

    tessera::cli::add_api_commands(app, exit_code);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return tessera::cli::exit_for_parse_error(app, e);
    }
    return exit_code;
}
