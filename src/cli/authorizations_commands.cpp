// tessera authorizations list|info|create|update|revoke|rotate: standing
// grants and personal API tokens (spec heroku-oauth.md §3).
#include <algorithm>
#include <iostream>
#include <memory>

#include "cli/command_groups.hpp"
#include "cli/context.hpp"
#include "cli/exit_codes.hpp"
#include "cli/output.hpp"
#include "tessera/json.hpp"

namespace tessera::cli {
namespace {

void print_authorization(const sdk::OAuthAuthorization& a, const CommonFlags& flags,
                         const std::string& heading) {
    if (flags.json) {
        std::cout << sdk::to_json(a) << '\n';
        return;
    }
    std::vector<std::pair<std::string, std::string>> fields = {
        {"id", a.id},
        {"description", a.description},
        {"client", a.client ? a.client->name + " (" + a.client->id + ")" : "<none>"},
        {"scope", join(a.scope, ",")}};
    if (a.access_token) {
        fields.emplace_back("token", a.access_token->token.reveal());
        fields.emplace_back("expires_in", expiry_text(a.access_token->expires_in));
    }
    if (a.refresh_token) fields.emplace_back("refresh_token", a.refresh_token->token.reveal());
    if (a.grant) {
        fields.emplace_back("grant_code", a.grant->code.reveal());
        fields.emplace_back("grant_expires_in", expiry_text(a.grant->expires_in));
    }
    if (a.session_id) fields.emplace_back("session", *a.session_id);
    fields.emplace_back("user", a.user.email);
    fields.emplace_back("created_at", a.created_at);
    fields.emplace_back("updated_at", a.updated_at);
    print_fields(std::cout, heading, fields);
}

struct OneAuthorization {
    CommonFlags flags;
    std::string id;
};

CLI::App* one_command(CLI::App& group, const std::string& name, const std::string& description,
                      OneAuthorization& state) {
    auto* command = group.add_subcommand(name, description);
    command->add_option("id", state.id, "The authorization's id")->required();
    state.flags.add_to(*command);
    return command;
}

void add_list(CLI::App& group, int& exit_code) {
    auto flags = std::make_shared<CommonFlags>();
    auto* command = group.add_subcommand("list", "List your authorizations");
    flags->add_to(*command);
    command->callback([flags, &exit_code] {
        exit_code = with_api(*flags, [&](sdk::Api& api) {
            auto list = api.oauth().authorizations().list();
            if (!list) return report(list.error());
            std::stable_sort(list->begin(), list->end(), [](const auto& a, const auto& b) {
                return a.description < b.description;
            });
            if (flags->json) {
                std::cout << sdk::to_json(*list) << '\n';
                return kOk;
            }
            if (list->empty()) {
                std::cout << "No authorizations.\n";
                return kOk;
            }
            Table table({"Description", "ID", "Scope"});
            for (const auto& a : *list) table.add({a.description, a.id, join(a.scope, ",")});
            table.print(std::cout);
            return kOk;
        });
    });
}

void add_info(CLI::App& group, int& exit_code) {
    auto state = std::make_shared<OneAuthorization>();
    auto* command = one_command(group, "info", "Show one authorization ('~': the API key)", *state);
    command->callback([state, &exit_code] {
        exit_code = with_api(state->flags, [&](sdk::Api& api) {
            auto a = api.oauth().authorizations(state->id).info();
            if (!a) return report(a.error());
            print_authorization(*a, state->flags, a->description.empty() ? a->id : a->description);
            return kOk;
        });
    });
}

void add_create(CLI::App& group, int& exit_code) {
    struct State {
        CommonFlags flags;
        std::string description, client;
        std::int64_t expires_in = 0;
        std::vector<std::string> scope;
        bool short_output = false;
    };
    auto state = std::make_shared<State>();
    auto* command = group.add_subcommand(
        "create",
        "Create an authorization: a personal API token (shown once), or with --client a grant "
        "code for that client");
    auto* description =
        command->add_option("-d,--description", state->description, "What it is for");
    auto* expires = command
                        ->add_option("-e,--expires-in", state->expires_in,
                                     "Seconds until the token expires (default: never)")
                        ->check(CLI::Range(std::int64_t{1}, std::int64_t{31536000}));
    command->add_option("-s,--scope", state->scope, "Scopes, comma-separated (default: global)")
        ->delimiter(',');
    auto* client = command->add_option("--client", state->client,
                                       "A client's id: authorize it and print a grant code");
    command->add_flag("-S,--short", state->short_output, "Print only the token");
    state->flags.add_to(*command);
    command->callback([state, description, expires, client, &exit_code] {
        sdk::OAuthAuthorizationCreate body;
        body.scope = state->scope;
        if (*description) body.description = state->description;
        if (*expires) body.expires_in = state->expires_in;
        if (*client) body.client = state->client;
        exit_code = with_api(state->flags, [&](sdk::Api& api) {
            auto a = api.oauth().authorizations().create(body);
            if (!a) return report(a.error());
            if (state->short_output && !state->flags.json) {
                if (a->access_token)
                    std::cout << a->access_token->token.reveal() << '\n';
                else if (a->grant)
                    std::cout << a->grant->code.reveal() << '\n';
                return kOk;
            }
            print_authorization(*a, state->flags, "Created authorization " + a->id);
            return kOk;
        });
    });
}

void add_update(CLI::App& group, int& exit_code) {
    struct State : OneAuthorization {
        std::string description, client_id, client_secret;
    };
    auto state = std::make_shared<State>();
    auto* command = one_command(
        group, "update", "Change an authorization's description, or tie it to one of your clients",
        *state);
    auto* description =
        command->add_option("-d,--description", state->description, "The new description");
    auto* client_id = command->add_option("--client-id", state->client_id, "Your client's id");
    auto* client_secret = command->add_option("--client-secret", state->client_secret,
                                              "That client's secret ('-': read it from stdin)");
    command->callback([state, description, client_id, client_secret, &exit_code] {
        if (bool(*client_id) != bool(*client_secret)) {
            exit_code = usage_error("--client-id and --client-secret go together");
            return;
        }
        if (!*description && !*client_id) {
            exit_code = usage_error("nothing to update: give --description or --client-id");
            return;
        }
        sdk::OAuthAuthorizationUpdate changes;
        if (*description) changes.description = state->description;
        if (*client_id) {
            auto secret = secret_argument(state->client_secret);
            if (!secret) {
                exit_code = usage_error("no client secret on stdin");
                return;
            }
            changes.client = sdk::ClientCredentials{state->client_id, std::move(*secret)};
        }
        exit_code = with_api(state->flags, [&](sdk::Api& api) {
            auto a = api.oauth().authorizations(state->id).update(changes);
            if (!a) return report(a.error());
            print_authorization(*a, state->flags, "Updated authorization " + a->id);
            return kOk;
        });
    });
}

void add_revoke(CLI::App& group, int& exit_code) {
    auto state = std::make_shared<OneAuthorization>();
    auto* command = one_command(group, "revoke",
                                "Revoke an authorization and every token issued under it", *state);
    command->alias("destroy");
    command->callback([state, &exit_code] {
        exit_code = with_api(state->flags, [&](sdk::Api& api) {
            auto a = api.oauth().authorizations(state->id).remove();
            if (!a) return report(a.error());
            if (state->flags.json)
                std::cout << sdk::to_json(*a) << '\n';
            else
                std::cout << "Revoked authorization " << a->id
                          << (a->description.empty() ? "" : " from '" + a->description + "'")
                          << ".\n";
            return kOk;
        });
    });
}

void add_rotate(CLI::App& group, int& exit_code) {
    auto state = std::make_shared<OneAuthorization>();
    auto* command =
        one_command(group, "rotate",
                    "Give a direct authorization a new token; the old one fails at once", *state);
    command->callback([state, &exit_code] {
        exit_code = with_api(state->flags, [&](sdk::Api& api) {
            auto a = api.oauth().authorizations(state->id).regenerate_tokens();
            if (!a) return report(a.error());
            print_authorization(*a, state->flags, "Rotated authorization " + a->id);
            return kOk;
        });
    });
}

}  // namespace

void add_authorizations_commands(CLI::App& app, int& exit_code) {
    auto* group = app.add_subcommand(
        "authorizations", "Manage authorizations and personal API tokens (/oauth/authorizations)");
    group->require_subcommand(1);
    describe_group(*group);
    add_list(*group, exit_code);
    add_info(*group, exit_code);
    add_create(*group, exit_code);
    add_update(*group, exit_code);
    add_revoke(*group, exit_code);
    add_rotate(*group, exit_code);
}

}  // namespace tessera::cli
