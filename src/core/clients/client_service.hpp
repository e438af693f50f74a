#pragma once

#include <optional>
#include <string>

#include "base/clock.hpp"
#include "base/random.hpp"
#include "base/result.hpp"
#include "base/secret.hpp"
#include "core/keys/key_ring.hpp"
#include "core/model/client.hpp"
#include "core/model/page.hpp"
#include "core/scopes/scope_catalog.hpp"
#include "core/store/client_store.hpp"
#include "crypto/digest.hpp"
#include "crypto/secret_box.hpp"

namespace tessera::core {

struct NewClient {
    Id owner_id;
    Id account_id;
    std::string name;
    std::string redirect_uri;
};

// A client registered with full OAuth metadata (RFC 7591 field names), for
// machine clients and scripts (`tessera admin clients create`).
struct NewOAuthClient {
    Id owner_id;
    Id account_id;
    std::string name;
    std::vector<std::string> redirect_uris;
    std::vector<std::string> grant_types;    // empty: authorization_code
    std::vector<std::string> scopes;         // empty: the whole catalog
    std::string token_endpoint_auth_method;  // empty: client_secret_basic
    std::string refresh_policy;              // empty: rotate
    std::string access_token_format;         // empty: opaque; or jwt (RFC 9068)
    // RFC 7591 §2; nullopt: ["code"] with authorization_code, else none.
    std::optional<std::vector<std::string>> response_types;
    // OpenID Connect Registration §2: ES256, RS256 or EdDSA; empty: the
    // server's default.
    std::string id_token_signed_response_alg;
};

// A partial update: only the fields that are set change.
struct ClientChanges {
    std::optional<std::string> name;
    std::optional<std::string> redirect_uri;
};

// A client together with a secret minted for it; the raw secret exists only
// on its way to the one response that shows it (Heroku spec §2.7).
struct ClientWithSecret {
    Client client;
    Secret secret;
};

// Registering and managing OAuth clients. Every call that names a client
// takes the owner: a client owned by someone else is `not_found` (subject
// "client"), so ids do not leak. Thread-safe.
class ClientService {
public:
    // With `secret_box` (Heroku spec §9 D1: retrievable client secrets), a
    // sealed copy of each secret is kept so its owner can read it again;
    // nullptr (the default) keeps digests only.
    // With `keys`, a client may choose an ID token algorithm only when its
    // line has a current key; without, it may not choose one at all.
    ClientService(ClientStore& store, const Clock& clock, Random& random,
                  const crypto::Digester& digester, const crypto::SecretBox* secret_box = nullptr,
                  const KeyRing* keys = nullptr)
        : store_(store),
          clock_(clock),
          random_(random),
          digester_(digester),
          secret_box_(secret_box),
          keys_(keys) {}

    // Heroku spec §2.2: a confidential web client (authorization_code and
    // refresh_token, any catalog scope, a stable refresh token: D3).
    // `invalid_params` (subject "name" or "redirect_uri").
    Result<ClientWithSecret> create(const NewClient& input);
    // A client with full metadata, checked against `catalog`. A public client
    // (`none`) gets no secret (an empty one here) and always rotates refresh
    // tokens (Heroku spec D3). `invalid_params` naming the field; an
    // id_token_signed_response_alg whose key line has no current key is
    // `invalid_params` too (subject "id_token_signed_response_alg"), so a
    // client never registers for ID tokens nobody can sign.
    Result<ClientWithSecret> register_client(const NewOAuthClient& input,
                                             const ScopeCatalog& catalog);
    // As register_client() without the store write: the checked client with
    // its id, timestamps and secret, for a caller that stores it its own way
    // (RFC 7591 registration). Same errors; the only store it reads is the
    // key ring's, for an id_token_signed_response_alg.
    Result<ClientWithSecret> prepare_client(const NewOAuthClient& input,
                                            const ScopeCatalog& catalog);
    Result<Page<Client>> list(const Id& owner, const PageQuery& query);
    Result<Client> info(const Id& owner, const Id& client_id);
    // The client as anyone may see it (no secret is ever part of a Client).
    Result<Client> public_info(const Id& client_id);
    // Unchanged (and updated_at kept) when `changes` is empty.
    Result<Client> update(const Id& owner, const Id& client_id, const ClientChanges& changes);
    // Deletes the client and revokes everything issued under it.
    Result<Client> remove(const Id& owner, const Id& client_id);
    // Heroku spec §2.7 / D4: a new secret replaces the current one at once;
    // the old one (and any previous one) stops working.
    Result<ClientWithSecret> rotate_secret_now(const Id& owner, const Id& client_id);

    // The caller's client `client_id`, when `secret` is its current secret
    // (constant time). `not_found` for a client that is not the caller's,
    // `invalid_params` (subject "client") for a wrong secret (Heroku spec §3.5).
    Result<Client> verify_owned_client(const Id& owner, const Id& client_id, const Secret& secret);

    // The client's current secret when secrets are retrievable (D1) and one
    // is kept; nullopt otherwise. Only for responses to the client's owner.
    std::optional<Secret> retrievable_secret(const Client& client) const;

private:
    // The algorithm is ours and its key line can sign now.
    Result<void> check_id_token_algorithm(const std::string& algorithm) const;
    Result<Client> find_owned(const Id& owner, const Id& client_id);
    // Sets the digest and, with a secret box, the sealed copy of `secret`.
    void keep_secret(Client& client, const Secret& secret);

    ClientStore& store_;
    const Clock& clock_;
    Random& random_;
    const crypto::Digester& digester_;
    const crypto::SecretBox* secret_box_;
    const KeyRing* keys_;  // nullptr: no ID token algorithm can be chosen
};

}  // namespace tessera::core
