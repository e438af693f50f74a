#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "core/model/client.hpp"
#include "core/model/page.hpp"

namespace tessera::core {

// OAuth clients. Implementations are thread-safe; every call is atomic.
// Store failures return `unavailable` or `internal`.
class ClientStore {
public:
    virtual ~ClientStore() = default;

    // `conflict` if the id exists.
    virtual Result<void> create_client(const Client& client) = 0;

    // `not_found` (subject "client") when absent.
    virtual Result<Client> find_client(const Id& id) = 0;

    // Clients whose owner_id is `owner`, one page (see PageQuery).
    virtual Result<Page<Client>> list_clients_by_owner(const Id& owner, const PageQuery& query) = 0;

    // Inserts `client` unless its account already has `max` clients: false
    // then, nothing written (Cloudflare spec §4.9). `conflict` if the id exists.
    virtual Result<bool> create_client_within_limit(const Client& client, int max) = 0;

    // The clients of `account_id`, oldest first (created_at, then id), at
    // most `limit`.
    virtual Result<std::vector<Client>> list_account_clients(const Id& account_id,
                                                             int limit) = 0;

    // Writes every metadata field of an existing client (all but its ids,
    // owner, created_at, secrets, registration token and URI verification)
    // with updated_at. `not_found` when absent.
    virtual Result<void> update_client(const Client& client) = 0;

    // As update_client(), and the URI verification too (none: cleared).
    virtual Result<void> update_client_and_verification(const Client& client) = 0;

    // Cloudflare spec §2.6: the current secret becomes the previous one and
    // `new_digest` (with its sealed copy, if any) the current one, only if
    // no previous secret is live: false (nothing written) when one is.
    // `not_found` when absent.
    virtual Result<bool> rotate_client_secret(const Id& id, const std::string& new_digest,
                                              const std::optional<std::string>& new_ciphertext,
                                              Timestamp now) = 0;

    // Cloudflare spec §2.7: forgets the previous secret; false when there is
    // none. `not_found` when absent.
    virtual Result<bool> drop_previous_secret(const Id& id, Timestamp now) = 0;

    // Replaces the current secret digest (and its encrypted copy, nullopt for
    // none) and sets the previous digest (nullopt to drop it), with
    // updated_at, in one statement. `not_found` when absent.
    virtual Result<void> set_client_secrets(const Id& id, const std::string& current_digest,
                                            const std::optional<std::string>& previous_digest,
                                            const std::optional<std::string>& current_ciphertext,
                                            Timestamp updated_at) = 0;

    // Deletes the client and, in the same transaction, every authorization and
    // token issued under it. Returns the client as it was; `not_found` when absent.
    virtual Result<Client> delete_client(const Id& id) = 0;
};

}  // namespace tessera::core
