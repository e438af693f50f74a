#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.hpp"
#include "base/random.hpp"
#include "base/result.hpp"
#include "base/secret.hpp"
#include "core/accounts/account_access.hpp"
#include "core/auth/caller.hpp"
#include "core/clients/client_service.hpp"
#include "core/model/client.hpp"
#include "core/scopes/scope_catalog.hpp"
#include "core/store/client_store.hpp"
#include "crypto/digest.hpp"

namespace tessera::core {

// A create or update body of the Cloudflare surface (Cloudflare spec §2.1,
// §2.4), parsed. nullopt: the field was absent. For the optional URLs the
// inner nullopt is an explicit JSON null (clear it).
struct ClientMetadataPatch {
    std::optional<std::string> client_name;
    std::optional<std::vector<std::string>> grant_types;
    std::optional<std::vector<std::string>> redirect_uris;
    std::optional<std::vector<std::string>> response_types;
    std::optional<std::vector<std::string>> scopes;
    std::optional<std::string> token_endpoint_auth_method;
    std::optional<std::vector<std::string>> allowed_cors_origins;
    std::optional<std::vector<std::string>> optional_scopes;
    std::optional<std::vector<std::string>> post_logout_redirect_uris;
    std::optional<std::optional<std::string>> client_uri;
    std::optional<std::optional<std::string>> logo_uri;
    std::optional<std::optional<std::string>> policy_uri;
    std::optional<std::optional<std::string>> tos_uri;
    std::optional<std::string> visibility;
};

// An account's OAuth clients as the Cloudflare surface manages them
// (Cloudflare spec §2). Every call first checks the caller's membership and
// role (AccountAccess: `not_found` subject "account", `forbidden`); a client
// of another account is `not_found` (subject "client"). Thread-safe.
class AccountClientService {
public:
    AccountClientService(ClientStore& store, const AccountAccess& access,
                         const ScopeCatalog& catalog, const Clock& clock, Random& random,
                         const crypto::Digester& digester)
        : store_(store),
          access_(access),
          catalog_(catalog),
          clock_(clock),
          random_(random),
          digester_(digester) {}

    // The account's clients, oldest first.
    Result<std::vector<Client>> list(const Caller& caller, const Id& account_id);
    Result<Client> get(const Caller& caller, const Id& account_id, const Id& client_id);

    // §2.1: a private client owned by the caller. client_name, grant_types,
    // redirect_uris, response_types, scopes and token_endpoint_auth_method
    // are required (`missing` violations); `visibility` may only be private.
    // A client_uri starts its verification. The secret is empty for `none`.
    // `invalid_params` with violations; with kind `limit` past 200 clients.
    Result<ClientWithSecret> create(const Caller& caller, const Id& account_id,
                                    const ClientMetadataPatch& patch);

    // §2.4: applies the present fields, then checks the whole result. Also:
    // `visibility: public` promotes (§4.7), `private` is refused; the same
    // client_uri restarts a failed verification; a verified host cannot
    // change; client_uri can be removed only while private.
    Result<Client> update(const Caller& caller, const Id& account_id, const Id& client_id,
                          const ClientMetadataPatch& patch);

    // §2.5: deletes the client and everything issued to it.
    Result<Client> remove(const Caller& caller, const Id& account_id, const Id& client_id);

    // §2.6: a new current secret; the old one keeps working until
    // delete_rotated_secret(). `conflict` when a rotated secret is still
    // live; `invalid_request` for a client without secrets (`none`).
    Result<Secret> rotate_secret(const Caller& caller, const Id& account_id, const Id& client_id);

    // §2.7: the previous secret stops working. `not_found` (subject
    // "rotated_secret") when there is none.
    Result<Client> delete_rotated_secret(const Caller& caller, const Id& account_id,
                                         const Id& client_id);

private:
    Result<Client> find_in_account(const Id& account_id, const Id& client_id);
    // The verification for client.client_uri, which was `before`: started
    // for a new host, restarted when the same failed URI is set again, kept
    // for a new path; cleared with the URI (only while private).
    Result<void> verify_client_uri(Client& client, const std::optional<std::string>& before,
                                   bool uri_sent, Timestamp now);
    // A time-ordered id greater than every one this service made before, so
    // clients created within one second still list oldest first.
    Id next_client_id();

    ClientStore& store_;
    const AccountAccess& access_;
    const ScopeCatalog& catalog_;
    const Clock& clock_;
    Random& random_;
    const crypto::Digester& digester_;
    std::mutex id_mutex_;
    Id last_id_;  // guarded by id_mutex_
};

}  // namespace tessera::core
