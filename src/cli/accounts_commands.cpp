// tessera accounts clients list|get|create|update|delete|rotate-secret|
// delete-rotated-secret ACCOUNT … and tessera accounts scopes list: the
// Cloudflare-compatible surface (spec cloudflare-oauth-clients.md).
#include <iostream>
#include <memory>

#include "cli/command_groups.hpp"
#include "cli/context.hpp"
#include "cli/exit_codes.hpp"
#include "cli/output.hpp"
#include "tessera/json.hpp"

namespace tessera::cli {
namespace {

void print_client(const sdk::AccountOAuthClient& c, const CommonFlags& flags,
                  const std::string& heading) {
    if (flags.json) {
        std::cout << sdk::to_json(c) << '\n';
        return;
    }
    std::vector<std::pair<std::string, std::string>> fields = {
        {"client_id", c.client_id},
        {"client_name", c.client_name},
        {"visibility", c.visibility},
        {"token_endpoint_auth_method", c.token_endpoint_auth_method},
        {"redirect_uris", join(c.redirect_uris)},
        {"grant_types", join(c.grant_types)},
        {"response_types", join(c.response_types)},
        {"scopes", join(c.scopes)},
        {"optional_scopes", join(c.optional_scopes)},
        {"allowed_cors_origins", join(c.allowed_cors_origins)},
        {"post_logout_redirect_uris", join(c.post_logout_redirect_uris)}};
    auto optional = [&](const char* key, const std::optional<std::string>& value) {
        if (value) fields.emplace_back(key, *value);
    };
    optional("client_uri", c.client_uri);
    if (c.client_uri_verification)
        fields.emplace_back("client_uri_verification", c.client_uri_verification->status + " (" +
                                                           c.client_uri_verification->text + ")");
    optional("logo_uri", c.logo_uri);
    optional("policy_uri", c.policy_uri);
    optional("tos_uri", c.tos_uri);
    fields.emplace_back("has_rotated_secret", c.has_rotated_secret ? "true" : "false");
    optional("promoted_at", c.promoted_at);
    fields.emplace_back("created_at", c.created_at);
    fields.emplace_back("updated_at", c.updated_at);
    if (c.client_secret) fields.emplace_back("client_secret", c.client_secret->reveal());
    print_fields(std::cout, heading, fields);
}

// The metadata flags of create and update; update sends only those given.
struct MetadataFlags {
    std::string name, auth_method, client_uri, logo_uri, policy_uri, tos_uri, visibility;
    std::vector<std::string> redirect_uris, grant_types, response_types, scopes, optional_scopes,
        cors_origins, post_logout_redirect_uris, clear;
    std::map<std::string, CLI::Option*> given;

    void add_to(CLI::App& command, bool is_create) {
        auto add = [&](const std::string& flag, auto& target, const std::string& help) {
            given[flag] = command.add_option(flag, target, help);
            return given[flag];
        };
        auto* name_opt = add("--name", name, "client_name");
        auto* redirect = add("--redirect-uri", redirect_uris, "A redirect URI (repeatable)");
        auto* scope = add("--scope", scopes,
                          "A scope from `tessera accounts scopes list`, or "
                          "openid, profile, email (repeatable)");
        add("--grant-type", grant_types,
            "authorization_code and/or refresh_token (repeatable; default authorization_code)");
        add("--response-type", response_types, "code, token, id_token (repeatable; default code)");
        add("--auth-method", auth_method,
            "client_secret_basic (default), client_secret_post or none (a public PKCE client)")
            ->check(CLI::IsMember({"client_secret_basic", "client_secret_post", "none"}));
        add("--optional-scope", optional_scopes, "A scope users may decline (repeatable)");
        add("--cors-origin", cors_origins, "An allowed CORS origin (repeatable)");
        add("--post-logout-redirect-uri", post_logout_redirect_uris,
            "A post-logout redirect URI (repeatable)");
        add("--client-uri", client_uri, "Home page; starts DNS verification of its host");
        add("--logo-uri", logo_uri, "Logo URL (https)");
        add("--policy-uri", policy_uri, "Privacy policy URL (https)");
        add("--tos-uri", tos_uri, "Terms of service URL (https)");
        if (is_create) {
            name_opt->required();
            redirect->required();
            scope->required();
            return;
        }
        add("--visibility", visibility, "public: promote the client (permanent)")
            ->check(CLI::IsMember({"public", "private"}));
        add("--clear", clear,
            "Remove a field: client_uri, logo_uri, policy_uri, tos_uri, optional_scopes, "
            "allowed_cors_origins or post_logout_redirect_uris (repeatable)")
            ->check(
                CLI::IsMember({"client_uri", "logo_uri", "policy_uri", "tos_uri", "optional_scopes",
                               "allowed_cors_origins", "post_logout_redirect_uris"}));
    }
    bool has(const std::string& flag) const {
        auto it = given.find(flag);
        return it != given.end() && it->second->count() > 0;
    }
    bool clears(const std::string& field) const {
        return std::find(clear.begin(), clear.end(), field) != clear.end();
    }

    sdk::AccountOAuthClientCreate create_body() const {
        sdk::AccountOAuthClientCreate body;
        body.client_name = name;
        body.redirect_uris = redirect_uris;
        body.scopes = scopes;
        if (has("--grant-type")) body.grant_types = grant_types;
        if (has("--response-type")) body.response_types = response_types;
        if (has("--auth-method")) body.token_endpoint_auth_method = auth_method;
        body.optional_scopes = optional_scopes;
        body.allowed_cors_origins = cors_origins;
        body.post_logout_redirect_uris = post_logout_redirect_uris;
        if (has("--client-uri")) body.client_uri = client_uri;
        if (has("--logo-uri")) body.logo_uri = logo_uri;
        if (has("--policy-uri")) body.policy_uri = policy_uri;
        if (has("--tos-uri")) body.tos_uri = tos_uri;
        return body;
    }

    sdk::AccountOAuthClientUpdate update_body() const {
        sdk::AccountOAuthClientUpdate body;
        if (has("--name")) body.client_name = name;
        if (has("--redirect-uri")) body.redirect_uris = redirect_uris;
        if (has("--scope")) body.scopes = scopes;
        if (has("--grant-type")) body.grant_types = grant_types;
        if (has("--response-type")) body.response_types = response_types;
        if (has("--auth-method")) body.token_endpoint_auth_method = auth_method;
        if (has("--optional-scope")) body.optional_scopes = optional_scopes;
        if (has("--cors-origin")) body.allowed_cors_origins = cors_origins;
        if (has("--post-logout-redirect-uri"))
            body.post_logout_redirect_uris = post_logout_redirect_uris;
        if (has("--visibility")) body.visibility = visibility;
        auto text = [&](const char* flag, const char* field, const std::string& value,
                        sdk::Clearable<std::string>& out) {
            if (has(flag)) out = value;
            if (clears(field)) out = sdk::null;
        };
        text("--client-uri", "client_uri", client_uri, body.client_uri);
        text("--logo-uri", "logo_uri", logo_uri, body.logo_uri);
        text("--policy-uri", "policy_uri", policy_uri, body.policy_uri);
        text("--tos-uri", "tos_uri", tos_uri, body.tos_uri);
        if (clears("optional_scopes")) body.optional_scopes.emplace();
        if (clears("allowed_cors_origins")) body.allowed_cors_origins.emplace();
        if (clears("post_logout_redirect_uris")) body.post_logout_redirect_uris.emplace();
        return body;
    }
    bool any_given() const {
        for (const auto& [flag, option] : given)
            if (option->count() > 0) return true;
        return false;
    }
};

struct Target {
    CommonFlags flags;
    std::string account;
    std::string client;
};

CLI::App* client_command(CLI::App& group, const std::string& name, const std::string& help,
                         Target& target, bool with_client = true) {
    auto* command = group.add_subcommand(name, help);
    command->add_option("account", target.account, "The account's id (32 hex)")->required();
    if (with_client)
        command->add_option("client", target.client, "The client's id (32 hex)")->required();
    target.flags.add_to(*command);
    return command;
}

void add_list(CLI::App& group, int& exit_code) {
    auto target = std::make_shared<Target>();
    auto* command =
        client_command(group, "list", "List an account's OAuth clients", *target, false);
    command->callback([target, &exit_code] {
        exit_code = with_api(target->flags, [&](sdk::Api& api) {
            auto list = api.iam().oauth_clients(target->account).list();
            if (!list) return report(list.error());
            if (target->flags.json) {
                std::cout << sdk::to_json(*list) << '\n';
                return kOk;
            }
            if (list->empty()) {
                std::cout << "No OAuth clients in this account.\n";
                return kOk;
            }
            Table table({"Name", "Client ID", "Visibility", "Redirect URIs"});
            for (const auto& c : *list)
                table.add({c.client_name, c.client_id, c.visibility, join(c.redirect_uris)});
            table.print(std::cout);
            return kOk;
        });
    });
}

void add_get(CLI::App& group, int& exit_code) {
    auto target = std::make_shared<Target>();
    auto* command = client_command(group, "get", "Show one of an account's OAuth clients", *target);
    command->callback([target, &exit_code] {
        exit_code = with_api(target->flags, [&](sdk::Api& api) {
            auto c = api.iam().oauth_clients(target->account).get(target->client);
            if (!c) return report(c.error());
            print_client(*c, target->flags, c->client_name);
            return kOk;
        });
    });
}

void add_create(CLI::App& group, int& exit_code) {
    struct State : Target {
        MetadataFlags metadata;
    };
    auto state = std::make_shared<State>();
    auto* command = client_command(
        group, "create",
        "Register an OAuth client in an account; prints it with its secret (shown once)", *state,
        false);
    state->metadata.add_to(*command, true);
    command->callback([state, &exit_code] {
        exit_code = with_api(state->flags, [&](sdk::Api& api) {
            auto c = api.iam().oauth_clients(state->account).create(state->metadata.create_body());
            if (!c) return report(c.error());
            print_client(*c, state->flags, "Created OAuth client " + c->client_name);
            return kOk;
        });
    });
}

void add_update(CLI::App& group, int& exit_code) {
    struct State : Target {
        MetadataFlags metadata;
    };
    auto state = std::make_shared<State>();
    auto* command = client_command(
        group, "update", "Change an OAuth client: only the flags given change; lists replace",
        *state);
    state->metadata.add_to(*command, false);
    command->callback([state, &exit_code] {
        if (!state->metadata.any_given()) {
            exit_code = usage_error("nothing to update: give at least one field flag");
            return;
        }
        exit_code = with_api(state->flags, [&](sdk::Api& api) {
            auto c = api.iam()
                         .oauth_clients(state->account)
                         .update(state->client, state->metadata.update_body());
            if (!c) return report(c.error());
            print_client(*c, state->flags, "Updated OAuth client " + c->client_name);
            return kOk;
        });
    });
}

// delete and delete-rotated-secret: both answer with the client's id.
void add_delete(CLI::App& group, int& exit_code, bool rotated_secret) {
    auto target = std::make_shared<Target>();
    auto* command =
        rotated_secret
            ? client_command(group, "delete-rotated-secret",
                             "End a rotation: the previous secret stops working", *target)
            : client_command(group, "delete",
                             "Delete an OAuth client and revoke everything issued to it", *target);
    command->callback([target, rotated_secret, &exit_code] {
        exit_code = with_api(target->flags, [&](sdk::Api& api) {
            auto clients = api.iam().oauth_clients(target->account);
            auto id = rotated_secret ? clients.delete_rotated_secret(target->client)
                                     : clients.remove(target->client);
            if (!id) return report(id.error());
            if (target->flags.json)
                std::cout << "{\"id\":" << sdk::json_string(*id) << "}\n";
            else if (rotated_secret)
                std::cout << "Deleted the previous secret of OAuth client " << *id << ".\n";
            else
                std::cout << "Deleted OAuth client " << *id << ".\n";
            return kOk;
        });
    });
}

void add_rotate_secret(CLI::App& group, int& exit_code) {
    auto target = std::make_shared<Target>();
    auto* command = client_command(
        group, "rotate-secret",
        "Add a new secret (shown once); the previous one works until delete-rotated-secret",
        *target);
    command->callback([target, &exit_code] {
        exit_code = with_api(target->flags, [&](sdk::Api& api) {
            auto secret = api.iam().oauth_clients(target->account).rotate_secret(target->client);
            if (!secret) return report(secret.error());
            if (target->flags.json) {
                std::cout << "{\"client_secret\":" << sdk::json_string(secret->reveal()) << "}\n";
                return kOk;
            }
            print_fields(std::cout, "", {{"client_secret", secret->reveal()}});
            std::cerr << "The previous secret works until `tessera accounts clients "
                         "delete-rotated-secret "
                      << target->account << " " << target->client << "`.\n";
            return kOk;
        });
    });
}

void add_scopes(CLI::App& accounts, int& exit_code) {
    auto* group = accounts.add_subcommand("scopes", "The scopes account clients may use");
    group->require_subcommand(1);
    describe_group(*group);
    auto flags = std::make_shared<CommonFlags>();
    auto* command = group->add_subcommand("list", "List the scope catalog (/oauth/scopes)");
    flags->add_to(*command);
    command->callback([flags, &exit_code] {
        exit_code = with_api(*flags, [&](sdk::Api& api) {
            auto scopes = api.iam().oauth_scopes().list();
            if (!scopes) return report(scopes.error());
            if (flags->json) {
                std::cout << sdk::to_json(*scopes) << '\n';
                return kOk;
            }
            Table table({"ID", "Name", "Category"});
            for (const auto& s : *scopes) table.add({s.id, s.name, s.category.value_or("")});
            table.print(std::cout);
            return kOk;
        });
    });
}

}  // namespace

void add_accounts_commands(CLI::App& app, int& exit_code) {
    auto* accounts = app.add_subcommand(
        "accounts", "Account OAuth clients and scopes (Cloudflare API: /client/v4)");
    accounts->require_subcommand(1);
    describe_group(*accounts);
    auto* group = accounts->add_subcommand("clients", "Manage an account's OAuth clients");
    group->require_subcommand(1);
    describe_group(*group);
    add_list(*group, exit_code);
    add_get(*group, exit_code);
    add_create(*group, exit_code);
    add_update(*group, exit_code);
    add_delete(*group, exit_code, false);
    add_rotate_secret(*group, exit_code);
    add_delete(*group, exit_code, true);
    add_scopes(*accounts, exit_code);
}

}  // namespace tessera::cli
