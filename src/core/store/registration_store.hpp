#pragma once

#include <optional>
#include <string>

#include "base/clock.hpp"
#include "base/id.hpp"
#include "base/result.hpp"
#include "core/model/client.hpp"

namespace tessera::core {

// An initial access token (RFC 7591 §3): lets its bearer register clients
// while registration requires one. Only its digest is kept.
struct InitialAccessToken {
    Id id;
    std::string digest;
    std::optional<int> max_uses;  // nullopt: any number of registrations
    int uses = 0;
    std::optional<Timestamp> expires_at;  // nullopt: never expires
    Timestamp created_at = 0;
};

// Dynamic client registration (RFC 7591/7592). Implementations are
// thread-safe; every call is atomic. Store failures return `unavailable` or
// `internal`.
class RegistrationStore {
public:
    virtual ~RegistrationStore() = default;

    // `conflict` if the id or digest exists.
    virtual Result<void> create_initial_access_token(const InitialAccessToken& token) = 0;

    // The token whose digest is `digest`, spent or not; `not_found` (subject
    // "initial_access_token") when absent.
    virtual Result<InitialAccessToken> find_initial_access_token(const std::string& digest) = 0;

    // Creates `client` (as ClientStore::create_client) and, in the same
    // transaction, when `initial_token_digest` is set, counts one use of that
    // token. The use counts only if the token exists, has not expired at
    // `now` (expires_at > now) and has uses left; otherwise `invalid_token`
    // and nothing is written, so of two racing registrations with a
    // single-use token exactly one succeeds. `conflict` if the client id exists.
    virtual Result<void> create_registered_client(
        const Client& client, const std::optional<std::string>& initial_token_digest,
        Timestamp now) = 0;
};

}  // namespace tessera::core
