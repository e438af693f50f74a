// tessera accounts clients list|get|create|update|delete|rotate-secret|
// delete-rotated-secret ACCOUNT … and tessera accounts scopes list: the
// Cloudflare-compatible surface (spec cloudflare-oauth-clients.md).
#include <iostream>
#include <memory>

#include "cli/account_client_flags.hpp"
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
        AccountClientFlags metadata;
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
        AccountClientFlags metadata;
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
