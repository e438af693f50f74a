#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "tessera/secret.hpp"

namespace tessera::sdk {

// How an Api proves who calls. The management surfaces take a token (sent as
// `Authorization: Bearer`); the Cloudflare surface also takes a user's global
// API key with the user's email; password credentials serve one call only,
// POST /oauth/authorizations (a login, Heroku spec §1.2). Build one with the
// named constructors.
class Credentials {
public:
    enum class Kind { none, token, api_key, password };

    Credentials() = default;
    // An access token or API token: `Authorization: Bearer <token>`.
    static Credentials token(Secret token);
    // A Cloudflare-style global API key: `X-Auth-Email` + `X-Auth-Key`.
    static Credentials api_key(std::string email, Secret key);
    // An account's email and password: `Authorization: Basic`. Accepted by
    // the server only when creating an authorization (a login).
    static Credentials password(std::string email, Secret password);

    Kind kind() const { return kind_; }
    const std::string& email() const { return email_; }
    const Secret& secret() const { return secret_; }

private:
    Kind kind_ = Kind::none;
    std::string email_;
    Secret secret_;
};

// Transport settings of an Api. The defaults suit an interactive tool.
struct Options {
    // Time to resolve the host, connect and finish the TLS handshake.
    std::chrono::milliseconds connect_timeout{10'000};
    // Time to send one request and read its whole response.
    std::chrono::milliseconds request_timeout{30'000};
    // Extra attempts after the first, only where a retry cannot repeat an
    // effect: an idempotent request (GET, DELETE, introspection, revocation)
    // after a connection failure or a 502/503/504, any request after a 429
    // (the server did nothing) or when the connection could not be opened.
    int max_retries = 2;
    // First backoff between attempts; doubles each time, with jitter. A
    // Retry-After from the server replaces it.
    std::chrono::milliseconds retry_backoff{500};
    // A Retry-After longer than this is not waited for: the call fails with
    // the 429 (ApiError::retry_after tells how long to wait).
    std::chrono::seconds max_retry_wait{10};
    // HTTPS: the server certificate must chain to a trusted CA and name the
    // host. `ca_file` (PEM) adds CAs to the system's; verify_tls=false turns
    // verification off (tests against throw-away servers only).
    std::optional<std::string> ca_file;
    bool verify_tls = true;
    // Idle connections kept for reuse (keep-alive); 0 closes after each call.
    int max_idle_connections = 4;
    // Largest response body accepted, in bytes.
    std::size_t max_response_bytes = 64 * 1024 * 1024;
    std::string user_agent = "tessera-sdk/0.1.0";
};

}  // namespace tessera::sdk
