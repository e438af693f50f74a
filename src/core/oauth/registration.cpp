#include "core/oauth/registration.hpp"

#include <algorithm>

#include "base/encoding.hpp"
#include "core/clients/client_rules.hpp"
#include "crypto/token_format.hpp"

namespace tessera::core {
namespace {

constexpr const char* kDefaultName = "Unnamed client";

Error bad_token(const char* what) {
    return make_error(Code::invalid_token,
                      std::string("the ") + what + " access token is invalid or expired");
}

Error bad_metadata(std::string description) {
    return make_error(Code::invalid_client_metadata, std::move(description));
}

// RFC 7591 §3.2.2: a rule's `invalid_params` in the registration's terms.
Error as_registration_error(Error error) {
    if (error.code != Code::invalid_params) return error;
    if (error.subject == "redirect_uri")
        return make_error(Code::invalid_redirect_uri, std::move(error.description));
    if (error.subject == "name") error.description = "client_" + error.description;
    return bad_metadata(std::move(error.description));
}

// RFC 6749 §3.3: scope tokens separated by spaces.
std::vector<std::string> split_scope(std::string_view scope) {
    std::vector<std::string> out;
    while (!scope.empty()) {
        auto space = scope.find(' ');
        auto item = scope.substr(0, space);
        if (!item.empty()) out.emplace_back(item);
        if (space == std::string_view::npos) break;
        scope.remove_prefix(space + 1);
    }
    return out;
}

// RP-Initiated Logout §3.1: the redirect URI rules, for each; no duplicates,
// at most as many as redirect_uris may hold.
Result<std::vector<std::string>> check_post_logout_uris(
    const std::optional<std::vector<std::string>>& uris) {
    if (!uris) return std::vector<std::string>{};
    if (uris->size() > 20) return bad_metadata("post_logout_redirect_uris has too many entries");
    for (std::size_t i = 0; i < uris->size(); ++i) {
        const auto& uri = (*uris)[i];
        if (auto ok = check_redirect_uri(uri); !ok)
            return bad_metadata("post_logout_redirect_uris: " + ok.error().description);
        if (std::find(uris->begin(), uris->begin() + i, uri) != uris->begin() + i)
            return bad_metadata("post_logout_redirect_uris has a duplicate");
    }
    return *uris;
}

bool is_token_of(const Secret& token, crypto::TokenKind kind) {
    return token.reveal().starts_with(crypto::prefix_of(kind)) &&
           crypto::has_valid_format(token.reveal());
}

}  // namespace

Result<NewOAuthClient> RegistrationService::to_new_client(const ClientMetadata& metadata) const {
    NewOAuthClient input;
    input.owner_id = policy_.owner_id;
    input.account_id = policy_.account_id;
    input.name = metadata.client_name.value_or(kDefaultName);
    input.redirect_uris = metadata.redirect_uris.value_or(std::vector<std::string>{});
    // An empty list would mean "the default" to prepare_client().
    if (metadata.grant_types && metadata.grant_types->empty())
        return bad_metadata("grant_types must not be empty");
    input.grant_types = metadata.grant_types.value_or(std::vector<std::string>{});
    if (metadata.token_endpoint_auth_method && metadata.token_endpoint_auth_method->empty())
        return bad_metadata("token_endpoint_auth_method must not be empty");
    input.token_endpoint_auth_method = metadata.token_endpoint_auth_method.value_or("");
    input.refresh_policy = "rotate";  // Heroku spec D3: registered clients rotate
    if (metadata.scope) input.scopes = split_scope(*metadata.scope);
    input.response_types = metadata.response_types;
    if (metadata.id_token_signed_response_alg && metadata.id_token_signed_response_alg->empty())
        return bad_metadata("id_token_signed_response_alg must not be empty");
    input.id_token_signed_response_alg = metadata.id_token_signed_response_alg.value_or("");
    // Empty would mean "the default" to prepare_client().
    if (metadata.access_token_format && metadata.access_token_format->empty())
        return bad_metadata("access_token_format must be opaque or jwt");
    input.access_token_format = metadata.access_token_format.value_or("opaque");
    return input;
}

Result<RegisteredClient> RegistrationService::register_client(
    const ClientMetadata& metadata, const std::optional<Secret>& initial_token,
    const std::optional<Id>& address) {
    TESSERA_TRY(check_may_register(initial_token, address));
    TESSERA_TRY_ASSIGN(NewOAuthClient input, to_new_client(metadata));
    // RFC 7591 §2.1: response_types defaults to code; prepare_client()
    // defaults it to what the grant types need, so a client_credentials
    // client may omit it.
    auto prepared = clients_.prepare_client(input, catalog_);
    if (!prepared) return as_registration_error(std::move(prepared).error());
    TESSERA_TRY_ASSIGN(prepared->client.post_logout_redirect_uris,
                       check_post_logout_uris(metadata.post_logout_redirect_uris));

    RegisteredClient registered{
        std::move(prepared->client), std::move(prepared->secret),
        crypto::mint_token(crypto::TokenKind::registration_access_token, random_)};
    registered.client.registration_token_digest =
        digester_.digest(registered.registration_access_token.reveal());
    std::optional<std::string> initial_digest;
    if (policy_.mode == RegistrationMode::token)
        initial_digest = digester_.digest(initial_token->reveal());
    TESSERA_TRY(store_.create_registered_client(registered.client, initial_digest, clock_.now()));
    return registered;
}

Result<void> RegistrationService::check_may_register(const std::optional<Secret>& token,
                                                     const std::optional<Id>& address) {
    if (policy_.mode == RegistrationMode::off)
        return make_error(Code::access_denied, "client registration is disabled");
    if (policy_.mode == RegistrationMode::open) {
        // Anyone may register, so one address may not register without end.
        if (per_address_ && address && !per_address_->take(*address))
            return make_error(Code::rate_limited,
                              "too many client registrations from this address; try again later");
        return {};
    }
    if (!token || !is_token_of(*token, crypto::TokenKind::initial_access_token))
        return bad_token("initial");
    auto found = store_.find_initial_access_token(digester_.digest(token->reveal()));
    if (!found) {
        if (found.error().code == Code::not_found) return bad_token("initial");
        return std::move(found).error();
    }
    bool expired = found->expires_at && *found->expires_at <= clock_.now();
    bool used_up = found->max_uses && found->uses >= *found->max_uses;
    if (expired || used_up) return bad_token("initial");
    return {};
}

Result<Client> RegistrationService::authorize(std::string_view client_id,
                                              const Secret& registration_token) {
    // Digest first, so an unknown client costs what a known one does.
    std::string digest = digester_.digest(registration_token.reveal());
    auto id = Id::parse(client_id);
    if (!id || !is_token_of(registration_token, crypto::TokenKind::registration_access_token))
        return bad_token("registration");
    auto client = client_store_.find_client(*id);
    if (!client) {
        if (client.error().code == Code::not_found) return bad_token("registration");
        return client;
    }
    if (!client->registration_token_digest ||
        !constant_time_equals(digest, *client->registration_token_digest))
        return bad_token("registration");
    return client;
}

Result<RegisteredClient> RegistrationService::read(std::string_view client_id,
                                                   const Secret& registration_token) {
    TESSERA_TRY_ASSIGN(Client client, authorize(client_id, registration_token));
    return RegisteredClient{std::move(client), Secret(), registration_token};
}

Result<RegisteredClient> RegistrationService::update(std::string_view client_id,
                                                     const Secret& registration_token,
                                                     const ClientMetadata& metadata) {
    TESSERA_TRY_ASSIGN(Client current, authorize(client_id, registration_token));
    // RFC 7592 §2.2: the request names the client and may not choose a secret.
    if (!metadata.client_id || *metadata.client_id != current.id.uuid())
        return bad_metadata("client_id must be the client's id");
    if (metadata.client_secret &&
        !constant_time_equals(digester_.digest(metadata.client_secret->reveal()),
                              current.secret_digest))
        return bad_metadata("client_secret must be the client's current secret");
    TESSERA_TRY_ASSIGN(NewOAuthClient input, to_new_client(metadata));
    // The same checks and defaults as at registration, on a scratch client.
    auto checked = clients_.prepare_client(input, catalog_);
    if (!checked) return as_registration_error(std::move(checked).error());
    const Client& wanted = checked->client;
    TESSERA_TRY_ASSIGN(auto post_logout_uris,
                       check_post_logout_uris(metadata.post_logout_redirect_uris));
    bool was_public = current.is_public();
    if (wanted.is_public() != was_public)
        return bad_metadata(
            "token_endpoint_auth_method cannot change between none and a client secret method");

    Client client = std::move(current);
    client.name = wanted.name;
    client.redirect_uris = wanted.redirect_uris;
    client.post_logout_redirect_uris = std::move(post_logout_uris);
    client.grant_types = wanted.grant_types;
    client.response_types = wanted.response_types;
    client.id_token_signed_response_alg = wanted.id_token_signed_response_alg;
    client.scopes = wanted.scopes;
    client.token_endpoint_auth_method = wanted.token_endpoint_auth_method;
    client.refresh_policy = wanted.refresh_policy;
    client.access_token_format = wanted.access_token_format;
    client.updated_at = clock_.now();
    auto stored = client_store_.update_client(client);
    if (!stored && stored.error().code == Code::not_found) return bad_token("registration");
    TESSERA_TRY(stored);
    return RegisteredClient{std::move(client), Secret(), registration_token};
}

Result<void> RegistrationService::remove(std::string_view client_id,
                                         const Secret& registration_token) {
    TESSERA_TRY_ASSIGN(Client client, authorize(client_id, registration_token));
    auto removed = client_store_.delete_client(client.id);
    if (!removed && removed.error().code == Code::not_found) return bad_token("registration");
    TESSERA_TRY(removed);
    return {};
}

Result<IssuedInitialToken> RegistrationService::issue_initial_token(
    std::optional<std::int64_t> expires_in, std::optional<int> max_uses) {
    if (expires_in && *expires_in <= 0)
        return make_error(Code::invalid_params, "expires_in must be a positive number of seconds",
                          {}, "expires_in");
    if (max_uses && *max_uses <= 0)
        return make_error(Code::invalid_params, "max_uses must be positive", {}, "max_uses");
    IssuedInitialToken issued;
    issued.value = crypto::mint_token(crypto::TokenKind::initial_access_token, random_);
    issued.token.id = Id::generate(random_);
    issued.token.digest = digester_.digest(issued.value.reveal());
    issued.token.max_uses = max_uses;
    issued.token.created_at = clock_.now();
    if (expires_in) issued.token.expires_at = issued.token.created_at + *expires_in;
    TESSERA_TRY(store_.create_initial_access_token(issued.token));
    return issued;
}

}  // namespace tessera::core
