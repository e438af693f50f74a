#include "core/clients/client_service.hpp"

#include "base/encoding.hpp"
#include "core/clients/client_rules.hpp"
#include "crypto/token_format.hpp"

namespace tessera::core {
namespace {

Error client_not_found() {
    return make_error(Code::not_found, "Couldn't find that OAuth client.", {}, "client");
}

}  // namespace

Result<ClientWithSecret> ClientService::create(const NewClient& input) {
    TESSERA_TRY_ASSIGN(std::string name, check_client_name(input.name));
    TESSERA_TRY(check_redirect_uri(input.redirect_uri));
    Timestamp now = clock_.now();
    Secret secret = crypto::mint_token(crypto::TokenKind::client_secret, random_);
    Client client{Id::generate(random_),
                  input.account_id,
                  input.owner_id,
                  std::move(name),
                  {input.redirect_uri},
                  {"authorization_code", "refresh_token"},
                  {},
                  "client_secret_basic",
                  "stable",
                  {},
                  std::nullopt,
                  std::nullopt,
                  now,
                  now};
    client.response_types = {"code"};
    keep_secret(client, secret);
    TESSERA_TRY(store_.create_client(client));
    return ClientWithSecret{std::move(client), std::move(secret)};
}

Result<ClientWithSecret> ClientService::register_client(const NewOAuthClient& input,
                                                        const ScopeCatalog& catalog) {
    TESSERA_TRY_ASSIGN(ClientWithSecret prepared, prepare_client(input, catalog));
    TESSERA_TRY(store_.create_client(prepared.client));
    return prepared;
}

Result<ClientWithSecret> ClientService::prepare_client(const NewOAuthClient& input,
                                                       const ScopeCatalog& catalog) {
    Client client;
    TESSERA_TRY_ASSIGN(client.name, check_client_name(input.name));
    client.grant_types = input.grant_types.empty() ? std::vector<std::string>{"authorization_code"}
                                                   : input.grant_types;
    client.token_endpoint_auth_method = input.token_endpoint_auth_method.empty()
                                            ? "client_secret_basic"
                                            : input.token_endpoint_auth_method;
    client.refresh_policy = input.refresh_policy.empty() ? "rotate" : input.refresh_policy;
    client.access_token_format =
        input.access_token_format.empty() ? "opaque" : input.access_token_format;
    client.redirect_uris = input.redirect_uris;
    client.scopes = input.scopes;
    TESSERA_TRY(check_client_metadata(client, catalog));
    client.response_types = input.response_types.value_or(client.allows_grant("authorization_code")
                                                              ? std::vector<std::string>{"code"}
                                                              : std::vector<std::string>{});
    TESSERA_TRY(check_response_types(client.response_types, client.grant_types));
    client.id_token_signed_response_alg = input.id_token_signed_response_alg;
    TESSERA_TRY(check_id_token_algorithm(client.id_token_signed_response_alg));

    bool is_public = client.is_public();
    if (is_public) client.refresh_policy = "rotate";  // Heroku spec D3
    Secret secret =
        is_public ? Secret() : crypto::mint_token(crypto::TokenKind::client_secret, random_);
    client.id = Id::generate(random_);
    client.account_id = input.account_id;
    client.owner_id = input.owner_id;
    if (!is_public) keep_secret(client, secret);
    client.created_at = client.updated_at = clock_.now();
    return ClientWithSecret{std::move(client), std::move(secret)};
}

Result<void> ClientService::check_id_token_algorithm(const std::string& algorithm) const {
    if (algorithm.empty()) return {};
    auto parsed = crypto::parse_jws_algorithm(algorithm);
    if (!parsed)
        return make_error(Code::invalid_params,
                          "id_token_signed_response_alg must be ES256, RS256 or EdDSA", {},
                          "id_token_signed_response_alg");
    // A client must not register for ID tokens that nobody can sign.
    auto key =
        keys_ ? keys_->current(*parsed) : Result<ActiveKey>(make_error(Code::unavailable, ""));
    if (key) return {};
    if (key.error().code != Code::unavailable) return std::move(key).error();
    return make_error(Code::invalid_params,
                      "id_token_signed_response_alg " + algorithm +
                          " is not available: this server has no " + algorithm + " signing key",
                      {}, "id_token_signed_response_alg");
}

void ClientService::keep_secret(Client& client, const Secret& secret) {
    client.secret_digest = digester_.digest(secret.reveal());
    // Heroku spec §9 D1: bound to the client id, so it opens for no other.
    if (secret_box_) {
        std::string id(client.id.bytes().begin(), client.id.bytes().end());
        client.secret_ciphertext = secret_box_->seal(secret.reveal(), id, random_);
    }
}

Result<Client> ClientService::verify_owned_client(const Id& owner, const Id& client_id,
                                                  const Secret& secret) {
    TESSERA_TRY_ASSIGN(Client client, find_owned(owner, client_id));
    if (!constant_time_equals(digester_.digest(secret.reveal()), client.secret_digest))
        return make_error(Code::invalid_params, "client.secret does not match the client", {},
                          "client");
    return client;
}

std::optional<Secret> ClientService::retrievable_secret(const Client& client) const {
    if (!secret_box_ || !client.secret_ciphertext) return std::nullopt;
    std::string id(client.id.bytes().begin(), client.id.bytes().end());
    return secret_box_->open(*client.secret_ciphertext, id);
}

Result<Page<Client>> ClientService::list(const Id& owner, const PageQuery& query) {
    return store_.list_clients_by_owner(owner, query);
}

Result<Client> ClientService::find_owned(const Id& owner, const Id& client_id) {
    auto client = store_.find_client(client_id);
    if (!client) {
        if (client.error().code == Code::not_found) return client_not_found();
        return client;
    }
    if (client->owner_id != owner) return client_not_found();
    return client;
}

Result<Client> ClientService::info(const Id& owner, const Id& client_id) {
    return find_owned(owner, client_id);
}

Result<Client> ClientService::public_info(const Id& client_id) {
    auto client = store_.find_client(client_id);
    if (!client && client.error().code == Code::not_found) return client_not_found();
    return client;
}

Result<Client> ClientService::update(const Id& owner, const Id& client_id,
                                     const ClientChanges& changes) {
    TESSERA_TRY_ASSIGN(Client client, find_owned(owner, client_id));
    if (!changes.name && !changes.redirect_uri) return client;
    if (changes.name) {
        TESSERA_TRY_ASSIGN(client.name, check_client_name(*changes.name));
    }
    if (changes.redirect_uri) {
        TESSERA_TRY(check_redirect_uri(*changes.redirect_uri));
        client.redirect_uris = {*changes.redirect_uri};
    }
    client.updated_at = clock_.now();
    auto updated = store_.update_client(client);
    if (!updated && updated.error().code == Code::not_found) return client_not_found();
    TESSERA_TRY(updated);
    return client;
}

Result<Client> ClientService::remove(const Id& owner, const Id& client_id) {
    TESSERA_TRY(find_owned(owner, client_id));
    auto removed = store_.delete_client(client_id);
    if (!removed && removed.error().code == Code::not_found) return client_not_found();
    return removed;
}

Result<ClientWithSecret> ClientService::rotate_secret_now(const Id& owner, const Id& client_id) {
    TESSERA_TRY_ASSIGN(Client client, find_owned(owner, client_id));
    Secret secret = crypto::mint_token(crypto::TokenKind::client_secret, random_);
    keep_secret(client, secret);
    client.previous_secret_digest.reset();
    client.updated_at = clock_.now();
    auto stored = store_.set_client_secrets(client.id, client.secret_digest, std::nullopt,
                                            client.secret_ciphertext, client.updated_at);
    if (!stored && stored.error().code == Code::not_found) return client_not_found();
    TESSERA_TRY(stored);
    return ClientWithSecret{std::move(client), std::move(secret)};
}

}  // namespace tessera::core
