#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "base/result.hpp"

namespace tessera::app {

// Everything `tessera serve` can be told. Sources, weakest first: built-in
// defaults, the TOML file (--config or TESSERA_CONFIG), TESSERA_* environment
// variables, command-line flags.
struct Config {
    std::string listen = "127.0.0.1:8080";
    std::string database = "sqlite://./data/tessera.db";
    std::string issuer = "http://127.0.0.1:8080";
    std::optional<std::string> tls_cert;
    std::optional<std::string> tls_key;
    // Key for the digests of tokens and secrets (hex or base64url, >= 32
    // bytes). Without it one is generated and kept in the database.
    std::optional<std::string> digest_key;
    int io_threads = 0;
    int worker_threads = 0;
    // PostgreSQL connections this node holds at most; 0: one per worker
    // thread (every handler runs on a worker there, so none waits for one).
    int database_pool_size = 0;
    std::int64_t body_limit = 1024 * 1024;
    bool access_log = true;
    // Heroku spec §9 D1: keep an AEAD-sealed copy of client secrets (key
    // derived from the digest key) so owners can read them again on info and
    // list, as Heroku's `clients:info --shell` expects. Off: digests only.
    bool retrievable_client_secrets = false;
    double rate_limit_capacity = 4500;
    double rate_limit_per_minute = 75;
    // Lifetimes, in seconds (issue 3 and Heroku spec §4.2, §6.1).
    std::int64_t access_token_ttl = 3600;        // client_credentials tokens
    std::int64_t user_access_token_ttl = 28800;  // tokens from a code or refresh token
    std::int64_t refresh_token_ttl = 0;          // a session's life; 0: no expiry (Heroku)
    std::int64_t refresh_grace = 10;             // a spent refresh token may be retried
    std::int64_t code_ttl = 60;                  // authorization codes
    std::int64_t session_ttl = 28800;            // a browser sign-in
    // Dynamic client registration (RFC 7591/7592): off (the default), token
    // (an initial access token from `tessera admin registration-tokens
    // create` is required) or open. Registered clients belong to the user
    // whose email is registration_owner (required unless off).
    std::string registration = "off";
    std::string registration_owner;
    // Open registration: registrations per network address an hour (and at
    // most this many at once).
    int registration_rate_limit = 10;
    // A TOML file of Cloudflare-style scopes (`[[scopes]]` tables with id,
    // name, category, description, scopes) offered beside Heroku's; empty:
    // the built-in catalog, which config/scopes.toml also holds.
    std::string scope_catalog;
    // Client URI verification (Cloudflare spec §4.6): the DNS server to ask
    // for TXT records, "A.B.C.D:PORT" or "[IPv6]:PORT"; unset (or empty)
    // for the system's resolvers. A verification is looked up again every
    // uri_verification_interval seconds until it is verified or fails.
    std::optional<std::string> dns_resolver;
    std::int64_t uri_verification_interval = 300;
};

// The names a setting has in each source: TOML key `listen`, environment
// TESSERA_LISTEN, flag --listen.
inline constexpr const char* kConfigKeys[] = {"listen",
                                              "database",
                                              "issuer",
                                              "tls_cert",
                                              "tls_key",
                                              "digest_key",
                                              "io_threads",
                                              "worker_threads",
                                              "database_pool_size",
                                              "body_limit",
                                              "access_log",
                                              "rate_limit_capacity",
                                              "rate_limit_per_minute",
                                              "retrievable_client_secrets",
                                              "access_token_ttl",
                                              "user_access_token_ttl",
                                              "refresh_token_ttl",
                                              "refresh_grace",
                                              "code_ttl",
                                              "session_ttl",
                                              "registration",
                                              "registration_owner",
                                              "registration_rate_limit",
                                              "scope_catalog",
                                              "dns_resolver",
                                              "uri_verification_interval"};

// Builds the config. `flags` holds the settings given on the command line
// (by TOML key); `config_file` the --config path, if any. `invalid_params`
// (subject = the key) for an unreadable file, an unknown key or a bad value.
Result<Config> load_config(const std::optional<std::string>& config_file,
                           const std::map<std::string, std::string>& flags);

struct ListenAddress {
    std::string host;
    std::uint16_t port;
};
Result<ListenAddress> parse_listen(const std::string& listen);

}  // namespace tessera::app
