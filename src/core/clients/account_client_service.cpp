#include "core/clients/account_client_service.hpp"

#include "core/clients/account_client_rules.hpp"
#include "core/clients/uri_verification.hpp"
#include "crypto/token_format.hpp"

namespace tessera::core {
namespace {

using Kind = Violation::Kind;

Error client_not_found() {
    return make_error(Code::not_found, "the OAuth client was not found", {}, "client");
}

Error single(Kind kind, std::string pointer, std::string message) {
    return invalid_metadata({{kind, std::move(pointer), std::move(message)}});
}

// The metadata fields of `patch` that are present, written onto `client`.
void apply_fields(Client& client, const ClientMetadataPatch& patch) {
    if (patch.client_name) client.name = *patch.client_name;
    if (patch.grant_types) client.grant_types = *patch.grant_types;
    if (patch.redirect_uris) client.redirect_uris = *patch.redirect_uris;
    if (patch.response_types) client.response_types = *patch.response_types;
    if (patch.scopes) client.scopes = *patch.scopes;
    if (patch.token_endpoint_auth_method)
        client.token_endpoint_auth_method = *patch.token_endpoint_auth_method;
    if (patch.allowed_cors_origins) client.allowed_cors_origins = *patch.allowed_cors_origins;
    if (patch.optional_scopes) client.optional_scopes = *patch.optional_scopes;
    if (patch.post_logout_redirect_uris)
        client.post_logout_redirect_uris = *patch.post_logout_redirect_uris;
    if (patch.logo_uri) client.logo_uri = *patch.logo_uri;
    if (patch.policy_uri) client.policy_uri = *patch.policy_uri;
    if (patch.tos_uri) client.tos_uri = *patch.tos_uri;
}

std::vector<Violation> missing_required(const ClientMetadataPatch& patch) {
    std::vector<Violation> missing;
    auto need = [&](bool present, const char* field) {
        if (!present)
            missing.push_back({Kind::missing, std::string("/") + field,
                               std::string(field) + " is required"});
    };
    need(patch.client_name.has_value(), "client_name");
    need(patch.grant_types.has_value(), "grant_types");
    need(patch.redirect_uris.has_value(), "redirect_uris");
    need(patch.response_types.has_value(), "response_types");
    need(patch.scopes.has_value(), "scopes");
    need(patch.token_endpoint_auth_method.has_value(), "token_endpoint_auth_method");
    return missing;
}

}  // namespace

Result<Client> AccountClientService::find_in_account(const Id& account_id, const Id& client_id) {
    auto client = store_.find_client(client_id);
    if (!client) {
        if (client.error().code == Code::not_found) return client_not_found();
        return client;
    }
    if (client->account_id != account_id) return client_not_found();
    return client;
}

Result<std::vector<Client>> AccountClientService::list(const Caller& caller,
                                                       const Id& account_id) {
    TESSERA_TRY(access_.require(caller, account_id, Permission::read_clients));
    // Past the per-account limit only clients made elsewhere (Heroku) exist.
    return store_.list_account_clients(account_id, 10'000);
}

Result<Client> AccountClientService::get(const Caller& caller, const Id& account_id,
                                         const Id& client_id) {
    TESSERA_TRY(access_.require(caller, account_id, Permission::read_clients));
    return find_in_account(account_id, client_id);
}

Result<void> AccountClientService::apply_client_uri(Client& client,
                                                    const std::optional<std::string>& uri,
                                                    Timestamp now) {
    if (!uri) {
        // Cloudflare spec §4.6: a public client keeps its verified home page.
        if (!client.is_private() && client.client_uri)
            return single(Kind::rule, "/client_uri", "a public client's client_uri cannot be removed");
        client.client_uri.reset();
        client.uri_verification.reset();
        return {};
    }
    auto host = uri_host(*uri);
    if (!host) return single(Kind::invalid_uri, "/client_uri", "client_uri must be an absolute https URL");
    auto& current = client.uri_verification;
    if (current && current->host == *host) {
        // Same host: a new path keeps the verification; the same URI again
        // restarts a failed one (§2.4).
        if (client.client_uri == *uri) current = restart_uri_verification(*current, now);
    } else if (current && current->status == UriVerification::Status::verified) {
        return single(Kind::rule, "/client_uri", "the host of a verified client_uri cannot change");
    } else {
        current = start_uri_verification(*host, random_, now);
    }
    client.client_uri = *uri;
    return {};
}

Result<ClientWithSecret> AccountClientService::create(const Caller& caller, const Id& account_id,
                                                      const ClientMetadataPatch& patch) {
    TESSERA_TRY(access_.require(caller, account_id, Permission::write_clients));
    if (auto missing = missing_required(patch); !missing.empty())
        return invalid_metadata(std::move(missing));
    if (patch.visibility && *patch.visibility != "private")
        return single(Kind::rule, "/visibility",
                      "a new client is private; promote it with an update once its domain is "
                      "verified");
    Timestamp now = clock_.now();
    Client client;
    // Time-ordered, so clients made within one second still list oldest first.
    client.id = Id::generate_time_ordered(random_);
    client.account_id = account_id;
    client.owner_id = caller.user_id;
    client.visibility = "private";
    client.refresh_policy = "rotate";
    apply_fields(client, patch);
    TESSERA_TRY(normalize_account_client(client, catalog_));
    if (patch.client_uri && *patch.client_uri) {
        TESSERA_TRY(apply_client_uri(client, *patch.client_uri, now));
    }
    Secret secret;
    if (!client.is_public()) {
        secret = crypto::mint_token(crypto::TokenKind::client_secret, random_);
        client.secret_digest = digester_.digest(secret.reveal());
    }
    client.created_at = client.updated_at = now;
    TESSERA_TRY_ASSIGN(bool created, store_.create_client_within_limit(client, kMaxClientsPerAccount));
    if (!created)
        return single(Kind::limit, "", "an account may have at most 200 OAuth clients");
    return ClientWithSecret{std::move(client), std::move(secret)};
}

Result<Client> AccountClientService::update(const Caller& caller, const Id& account_id,
                                            const Id& client_id, const ClientMetadataPatch& patch) {
    TESSERA_TRY(access_.require(caller, account_id, Permission::write_clients));
    TESSERA_TRY_ASSIGN(Client client, find_in_account(account_id, client_id));
    if (patch.visibility && *patch.visibility != "public")
        return single(Kind::rule, "/visibility", "a client cannot be made private again");
    if (patch.token_endpoint_auth_method &&
        (*patch.token_endpoint_auth_method == "none") != client.is_public())
        return single(Kind::rule, "/token_endpoint_auth_method",
                      "token_endpoint_auth_method cannot change between none and a secret method");
    Timestamp now = clock_.now();
    Client changed = client;
    apply_fields(changed, patch);
    TESSERA_TRY(normalize_account_client(changed, catalog_));
    if (patch.client_uri) {
        TESSERA_TRY(apply_client_uri(changed, *patch.client_uri, now));
    }
    if (patch.visibility && changed.is_private()) {
        if (auto blockers = promotion_blockers(changed); !blockers.empty())
            return invalid_metadata(std::move(blockers));
        changed.visibility = "public";
        changed.promoted_at = now;
    }
    changed.updated_at = now;
    // The verifier updates a verification concurrently: write it only when
    // this update changed it (a new host, a restart, a removal).
    bool verification_changed =
        changed.uri_verification.has_value() != client.uri_verification.has_value() ||
        (changed.uri_verification &&
         (changed.uri_verification->token != client.uri_verification->token ||
          changed.uri_verification->deadline != client.uri_verification->deadline));
    if (verification_changed) {
        TESSERA_TRY(store_.update_client_and_verification(changed));
    } else {
        TESSERA_TRY(store_.update_client(changed));
    }
    return changed;
}

Result<Client> AccountClientService::remove(const Caller& caller, const Id& account_id,
                                            const Id& client_id) {
    TESSERA_TRY(access_.require(caller, account_id, Permission::write_clients));
    TESSERA_TRY(find_in_account(account_id, client_id));
    auto removed = store_.delete_client(client_id);
    if (!removed && removed.error().code == Code::not_found) return client_not_found();
    return removed;
}

Result<Secret> AccountClientService::rotate_secret(const Caller& caller, const Id& account_id,
                                                   const Id& client_id) {
    TESSERA_TRY(access_.require(caller, account_id, Permission::write_clients));
    TESSERA_TRY_ASSIGN(Client client, find_in_account(account_id, client_id));
    if (client.is_public())
        return make_error(Code::invalid_request,
                          "a client with token_endpoint_auth_method none has no secret to rotate");
    Secret secret = crypto::mint_token(crypto::TokenKind::client_secret, random_);
    TESSERA_TRY_ASSIGN(bool rotated, store_.rotate_client_secret(
                                         client_id, digester_.digest(secret.reveal()),
                                         std::nullopt, clock_.now()));
    if (!rotated)
        return make_error(Code::conflict,
                          "the client already has a rotated secret; delete it before rotating again");
    return secret;
}

Result<Client> AccountClientService::delete_rotated_secret(const Caller& caller,
                                                           const Id& account_id,
                                                           const Id& client_id) {
    TESSERA_TRY(access_.require(caller, account_id, Permission::write_clients));
    TESSERA_TRY_ASSIGN(Client client, find_in_account(account_id, client_id));
    TESSERA_TRY_ASSIGN(bool dropped, store_.drop_previous_secret(client_id, clock_.now()));
    if (!dropped)
        return make_error(Code::not_found, "the client has no rotated secret", {},
                          "rotated_secret");
    client.previous_secret_digest.reset();
    return client;
}

}  // namespace tessera::core
