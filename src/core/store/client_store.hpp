#pragma once

#include <string>

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

    // Writes name, redirect_uris and updated_at of an existing client.
    // `not_found` when absent.
    virtual Result<void> update_client(const Client& client) = 0;

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
