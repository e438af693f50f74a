#include "cli/account_client_flags.hpp"

#include <algorithm>

namespace tessera::cli {

void AccountClientFlags::add_to(CLI::App& command, bool is_create) {
    auto add = [&](const std::string& flag, auto& target, const std::string& help) {
        given_[flag] = command.add_option(flag, target, help);
        return given_[flag];
    };
    auto* name = add("--name", name_, "client_name");
    auto* redirect = add("--redirect-uri", redirect_uris_, "A redirect URI (repeatable)");
    auto* scope = add("--scope", scopes_,
                      "A scope from `tessera accounts scopes list`, or openid, profile, email "
                      "(repeatable)");
    add("--grant-type", grant_types_,
        "authorization_code and/or refresh_token (repeatable; default authorization_code)");
    add("--response-type", response_types_, "code, token, id_token (repeatable; default code)");
    add("--auth-method", auth_method_,
        "client_secret_basic (default), client_secret_post or none (a public PKCE client)")
        ->check(CLI::IsMember({"client_secret_basic", "client_secret_post", "none"}));
    add("--optional-scope", optional_scopes_, "A scope users may decline (repeatable)");
    add("--cors-origin", cors_origins_, "An allowed CORS origin (repeatable)");
    add("--post-logout-redirect-uri", post_logout_redirect_uris_,
        "A post-logout redirect URI (repeatable)");
    add("--client-uri", client_uri_, "Home page; starts DNS verification of its host");
    add("--logo-uri", logo_uri_, "Logo URL (https)");
    add("--policy-uri", policy_uri_, "Privacy policy URL (https)");
    add("--tos-uri", tos_uri_, "Terms of service URL (https)");
    if (is_create) {
        name->required();
        redirect->required();
        scope->required();
        return;
    }
    add("--visibility", visibility_, "public: promote the client (permanent)")
        ->check(CLI::IsMember({"public", "private"}));
    add("--clear", clear_,
        "Remove a field: client_uri, logo_uri, policy_uri, tos_uri, optional_scopes, "
        "allowed_cors_origins or post_logout_redirect_uris (repeatable)")
        ->check(CLI::IsMember({"client_uri", "logo_uri", "policy_uri", "tos_uri", "optional_scopes",
                               "allowed_cors_origins", "post_logout_redirect_uris"}));
}

bool AccountClientFlags::has(const std::string& flag) const {
    auto it = given_.find(flag);
    return it != given_.end() && it->second->count() > 0;
}

bool AccountClientFlags::clears(const std::string& field) const {
    return std::find(clear_.begin(), clear_.end(), field) != clear_.end();
}

bool AccountClientFlags::any_given() const {
    return std::any_of(given_.begin(), given_.end(),
                       [](const auto& entry) { return entry.second->count() > 0; });
}

sdk::AccountOAuthClientCreate AccountClientFlags::create_body() const {
    sdk::AccountOAuthClientCreate body;
    body.client_name = name_;
    body.redirect_uris = redirect_uris_;
    body.scopes = scopes_;
    if (has("--grant-type")) body.grant_types = grant_types_;
    if (has("--response-type")) body.response_types = response_types_;
    if (has("--auth-method")) body.token_endpoint_auth_method = auth_method_;
    body.optional_scopes = optional_scopes_;
    body.allowed_cors_origins = cors_origins_;
    body.post_logout_redirect_uris = post_logout_redirect_uris_;
    if (has("--client-uri")) body.client_uri = client_uri_;
    if (has("--logo-uri")) body.logo_uri = logo_uri_;
    if (has("--policy-uri")) body.policy_uri = policy_uri_;
    if (has("--tos-uri")) body.tos_uri = tos_uri_;
    return body;
}

sdk::AccountOAuthClientUpdate AccountClientFlags::update_body() const {
    sdk::AccountOAuthClientUpdate body;
    if (has("--name")) body.client_name = name_;
    if (has("--redirect-uri")) body.redirect_uris = redirect_uris_;
    if (has("--scope")) body.scopes = scopes_;
    if (has("--grant-type")) body.grant_types = grant_types_;
    if (has("--response-type")) body.response_types = response_types_;
    if (has("--auth-method")) body.token_endpoint_auth_method = auth_method_;
    if (has("--optional-scope")) body.optional_scopes = optional_scopes_;
    if (has("--cors-origin")) body.allowed_cors_origins = cors_origins_;
    if (has("--post-logout-redirect-uri"))
        body.post_logout_redirect_uris = post_logout_redirect_uris_;
    if (has("--visibility")) body.visibility = visibility_;
    auto text = [&](const char* flag, const char* field, const std::string& value,
                    sdk::Clearable<std::string>& out) {
        if (has(flag)) out = value;
        if (clears(field)) out = sdk::null;
    };
    text("--client-uri", "client_uri", client_uri_, body.client_uri);
    text("--logo-uri", "logo_uri", logo_uri_, body.logo_uri);
    text("--policy-uri", "policy_uri", policy_uri_, body.policy_uri);
    text("--tos-uri", "tos_uri", tos_uri_, body.tos_uri);
    if (clears("optional_scopes")) body.optional_scopes.emplace();
    if (clears("allowed_cors_origins")) body.allowed_cors_origins.emplace();
    if (clears("post_logout_redirect_uris")) body.post_logout_redirect_uris.emplace();
    return body;
}

}  // namespace tessera::cli
