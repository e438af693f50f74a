#include "core/clients/account_client_service.hpp"

#include <algorithm>

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
    if (patch.client_uri) client.client_uri = *patch.client_uri;
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

// A visibility outside the enum is a type error (1002); the other value of
// the enum breaks a rule (1005).
Violation visibility_problem(const std::string& value, std::string_view allowed,
                             std::string rule) {
    if (value != "public" && value != "private")
        return {Kind::wrong_type, "/visibility", "visibility must be " + std::string(allowed)};
    return {Kind::rule, "/visibility", std::move(rule)};
}

// Whether `v` is about a field already reported missing (its pointer is the
// field's or inside it).
bool about_missing(const Violation& v, const std::vector<Violation>& problems) {
    return std::any_of(problems.begin(), problems.end(), [&](const Violation& m) {
        return m.kind == Kind::missing &&
               (v.pointer == m.pointer || v.pointer.starts_with(m.pointer + "/"));
    });
}

bool is_empty(const ClientMetadataPatch& p) {
    return !p.client_name && !p.grant_types && !p.redirect_uris && !p.response_types &&
           !p.scopes && !p.token_endpoint_auth_method && !p.allowed_cors_origins &&
           !p.optional_scopes && !p.post_logout_redirect_uris && !p.client_uri && !p.logo_uri &&
           !p.policy_uri && !p.tos_uri && !p.visibility;
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

Id AccountClientService::next_client_id() {
    Id id = Id::generate_time_ordered(random_);
    std::lock_guard lock(id_mutex_);
    if (id <= last_id_) {
        // Same millisecond (or a clock step back): one past the last id, in
        // its random tail, keeps the order.
        auto bytes = last_id_.bytes();
        for (int i = 15; i >= 9 && ++bytes[i] == 0; --i) {
        }
        id = Id(bytes);
    }
    last_id_ = id;
    return id;
}

Result<void> AccountClientService::verify_client_uri(Client& client,
                                                     const std::optional<std::string>& before,
                                                     bool uri_sent, Timestamp now) {
    auto& current = client.uri_verification;
    if (!client.client_uri) {
        // Cloudflare spec §4.6: a public client keeps its verified home page.
        if (before && !client.is_private())
            return single(Kind::rule, "/client_uri",
                          "a public client's client_uri cannot be removed");
        current.reset();
        return {};
    }
    auto host = uri_host(*client.client_uri);
    if (!host)
        return single(Kind::invalid_uri, "/client_uri", "client_uri must be an absolute https URL");
    if (current && current->host == *host) {
        // Same host: a new path keeps the verification; the same URI sent
        // again restarts a failed one (§2.4).
        if (uri_sent && before == client.client_uri)
            current = restart_uri_verification(*current, now);
    } else if (current && current->status == UriVerification::Status::verified) {
        return single(Kind::rule, "/client_uri", "the host of a verified client_uri cannot change");
    } else {
        current = start_uri_verification(*host, random_, now);
    }
    return {};
}

Result<ClientWithSecret> AccountClientService::create(const Caller& caller, const Id& account_id,
                                                      const ClientMetadataPatch& patch) {
    TESSERA_TRY(access_.require(caller, account_id, Permission::write_clients));
    std::vector<Violation> problems = missing_required(patch);
    if (patch.visibility && *patch.visibility != "private")
        problems.push_back(visibility_problem(*patch.visibility, "private",
                                              "a new client is private; promote it with an "
                                              "update once its domain is verified"));
    Timestamp now = clock_.now();
    Client client;
    client.account_id = account_id;
    client.owner_id = caller.user_id;
    client.visibility = "private";
    client.refresh_policy = "rotate";
    apply_fields(client, patch);
    // One error per problem (§4): the rules' findings beside the missing
    // fields, except those that only restate a missing field.
    if (auto checked = normalize_account_client(client, catalog_); !checked)
        for (auto& v : checked.error().violations)
            if (!about_missing(v, problems)) problems.push_back(std::move(v));
    if (!problems.empty()) return invalid_metadata(std::move(problems));
    TESSERA_TRY(verify_client_uri(client, std::nullopt, false, now));
    Secret secret;
    if (!client.is_public()) {
        secret = crypto::mint_token(crypto::TokenKind::client_secret, random_);
        client.secret_digest = digester_.digest(secret.reveal());
    }
    client.id = next_client_id();
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
        return invalid_metadata({visibility_problem(*patch.visibility, "public",
                                                    "a client cannot be made private again")});
    if (patch.token_endpoint_auth_method &&
        (*patch.token_endpoint_auth_method == "none") != client.is_public())
        return single(Kind::rule, "/token_endpoint_auth_method",
                      "token_endpoint_auth_method cannot change between none and a secret method");
    if (is_empty(patch)) return client;  // §2.4: an empty object changes nothing
    Timestamp now = clock_.now();
    Client changed = client;
    apply_fields(changed, patch);
    TESSERA_TRY(normalize_account_client(changed, catalog_));
    TESSERA_TRY(verify_client_uri(changed, client.client_uri, patch.client_uri.has_value(), now));
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
