#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.hpp"
#include "base/random.hpp"
#include "base/result.hpp"
#include "base/secret.hpp"
#include "core/clients/client_service.hpp"
#include "core/limits/rate_limiter.hpp"
#include "core/model/client.hpp"
#include "core/scopes/scope_catalog.hpp"
#include "core/store/client_store.hpp"
#include "core/store/registration_store.hpp"
#include "crypto/digest.hpp"

namespace tessera::core {

// Who may register clients at POST /oauth/register (RFC 7591 §3).
enum class RegistrationMode {
    off,    // nobody: the endpoints do not exist
    open,   // anyone
    token,  // the bearer of an initial access token
};

struct RegistrationPolicy {
    RegistrationMode mode = RegistrationMode::off;
    // The user and account that own every registered client.
    Id owner_id;
    Id account_id;
};

// RFC 7591 §2 client metadata as the request gave it; a field left unset
// takes its default. Metadata this server does not understand is never
// part of it (§2: ignored).
struct ClientMetadata {
    std::optional<std::vector<std::string>> redirect_uris;  // default: none
    // OpenID Connect RP-Initiated Logout §3.1; default: none.
    std::optional<std::vector<std::string>> post_logout_redirect_uris;
    std::optional<std::string> token_endpoint_auth_method;   // client_secret_basic
    std::optional<std::vector<std::string>> grant_types;     // authorization_code
    // Each entry one combination ("code", "code id_token", ...); default:
    // code with authorization_code, none without.
    std::optional<std::vector<std::string>> response_types;
    // OpenID Connect Registration §2: ES256, RS256 or EdDSA, and its key line
    // must have a current key; default: the server's (ES256).
    std::optional<std::string> id_token_signed_response_alg;
    std::optional<std::string> client_name;                  // "Unnamed client"
    // Space-delimited; default: any catalog scope may be asked for, none is
    // granted by default.
    std::optional<std::string> scope;
    // A Tessera extension: "opaque" (the default) or "jwt" for RFC 9068
    // JWT access tokens.
    std::optional<std::string> access_token_format;
    // RFC 7592 §2.2, on update only: must name the client and, when sent,
    // hold its current secret.
    std::optional<std::string> client_id;
    std::optional<Secret> client_secret;
};

// A registered client as the registration endpoints answer with it.
struct RegisteredClient {
    Client client;
    // The raw client secret: only in the answer to the registration of a
    // confidential client (we keep a digest); empty otherwise.
    Secret client_secret;
    // The registration access token: minted at registration, else the one
    // the caller presented.
    Secret registration_access_token;
};

struct IssuedInitialToken {
    InitialAccessToken token;
    Secret value;  // shown once
};

// Dynamic client registration (RFC 7591) and management (RFC 7592) over the
// core client model and rules. Registered clients belong to the policy's
// owner, rotate refresh tokens (Heroku spec D3) and keep only a digest of
// their registration access token. Every credential comparison is constant
// time, and a wrong, missing or other client's registration access token,
// or an unknown client id, is the same `invalid_token`, so nothing reveals
// whether a client exists. Thread-safe.
class RegistrationService {
public:
    RegistrationService(ClientService& clients, ClientStore& client_store, RegistrationStore& store,
                        const ScopeCatalog& catalog, const Clock& clock, Random& random,
                        const crypto::Digester& digester, RegistrationPolicy policy,
                        RateLimiter* per_address = nullptr)
        : clients_(clients),
          client_store_(client_store),
          store_(store),
          catalog_(catalog),
          clock_(clock),
          random_(random),
          digester_(digester),
          policy_(policy),
          per_address_(per_address) {}

    RegistrationMode mode() const { return policy_.mode; }

    // RFC 7591 §3. `access_denied` when registration is off; `invalid_token`
    // when the policy wants an initial access token and `initial_token` is
    // missing, unknown, expired or used up (checked before the metadata, and
    // a use is counted only with the client's creation); `rate_limited` when
    // registration is open and `address` (the caller's network address key)
    // used up its bucket of the per-address limiter (every attempt counts,
    // refused ones too);
    // `invalid_redirect_uri` or `invalid_client_metadata` (§3.2.2) for
    // metadata that breaks a rule.
    Result<RegisteredClient> register_client(const ClientMetadata& metadata,
                                             const std::optional<Secret>& initial_token,
                                             const std::optional<Id>& address = std::nullopt);

    // The first checks of register_client() alone: `access_denied` when
    // registration is off, `invalid_token` for an initial access token the
    // policy wants and does not get, `rate_limited` as above (taking one
    // call). For a surface that must answer a caller before it looks at the
    // request body.
    Result<void> check_may_register(const std::optional<Secret>& initial_token,
                                    const std::optional<Id>& address = std::nullopt);

    // The Retry-After of a `rate_limited` registration, in seconds.
    std::int64_t retry_after() const { return per_address_ ? per_address_->seconds_per_call() : 0; }

    // RFC 7592 §2.1. `invalid_token` as described above.
    Result<RegisteredClient> read(std::string_view client_id, const Secret& registration_token);

    // RFC 7592 §2.2: replaces the metadata (unset fields take their
    // defaults, as at registration). The client keeps its id, secret and
    // registration access token; a client cannot move between public (none)
    // and confidential. `invalid_token`, or `invalid_client_metadata` when
    // client_id is missing or differs or client_secret differs.
    Result<RegisteredClient> update(std::string_view client_id, const Secret& registration_token,
                                    const ClientMetadata& metadata);

    // RFC 7592 §2.3: deletes the client, revoking everything issued to it.
    Result<void> remove(std::string_view client_id, const Secret& registration_token);

    // Mints an initial access token (`tessera admin registration-tokens
    // create`): valid for `expires_in` seconds (nullopt: forever) and
    // `max_uses` registrations (nullopt: any number). `invalid_params` for a
    // non-positive value.
    Result<IssuedInitialToken> issue_initial_token(std::optional<std::int64_t> expires_in,
                                                   std::optional<int> max_uses);

private:
    Result<Client> authorize(std::string_view client_id, const Secret& registration_token);
    Result<NewOAuthClient> to_new_client(const ClientMetadata& metadata) const;

    ClientService& clients_;
    ClientStore& client_store_;
    RegistrationStore& store_;
    const ScopeCatalog& catalog_;
    const Clock& clock_;
    Random& random_;
    const crypto::Digester& digester_;
    const RegistrationPolicy policy_;
    RateLimiter* per_address_;  // nullptr: no per-address limit
};

}  // namespace tessera::core
