// tessera clients list|info|create|update|destroy|rotate: the caller's
// OAuth clients on the Heroku surface (spec heroku-oauth.md §2).
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

// What a client command prints: the JSON, shell variables, or fields.
struct ClientOutput {
    bool shell = false;  // --shell: TESSERA_OAUTH_ID=… and TESSERA_OAUTH_SECRET=…
};

void print_client(const sdk::OAuthClient& client, const CommonFlags& flags,
                  const ClientOutput& output, const std::string& heading) {
    if (flags.json) {
        std::cout << sdk::to_json(client) << '\n';
        return;
    }
    if (output.shell) {
        std::cout << "TESSERA_OAUTH_ID=" << client.id << '\n';
        if (client.secret) std::cout << "TESSERA_OAUTH_SECRET=" << client.secret->reveal() << '\n';
        return;
    }
    std::vector<std::pair<std::string, std::string>> fields = {
        {"id", client.id}, {"name", client.name}, {"redirect_uri", client.redirect_uri}};
    if (client.secret) fields.emplace_back("secret", client.secret->reveal());
    fields.emplace_back("created_at", client.created_at);
    fields.emplace_back("updated_at", client.updated_at);
    print_fields(std::cout, heading, fields);
}

// A command on one client: its id and the flags shared by all of them.
struct OneClient {
    CommonFlags flags;
    ClientOutput output;
    std::string id;
};

CLI::App* one_client_command(CLI::App& group, const std::string& name,
                             const std::string& description, OneClient& state, bool shell) {
    auto* command = group.add_subcommand(name, description);
    command->add_option("id", state.id, "The client's id")->required();
    state.flags.add_to(*command);
    if (shell)
        command->add_flag("--shell", state.output.shell,
                          "Print TESSERA_OAUTH_ID and TESSERA_OAUTH_SECRET lines for a shell");
    return command;
}

void add_list(CLI::App& group, int& exit_code) {
    auto flags = std::make_shared<CommonFlags>();
    auto* command = group.add_subcommand("list", "List your OAuth clients (sorted by name)");
    flags->add_to(*command);
    command->callback([flags, &exit_code] {
        exit_code = with_api(*flags, [&](sdk::Api& api) {
            auto clients = api.oauth().clients().list();
            if (!clients) return report(clients.error());
            std::stable_sort(clients->begin(), clients->end(),
                             [](const auto& a, const auto& b) { return a.name < b.name; });
            if (flags->json) {
                std::cout << sdk::to_json(*clients) << '\n';
                return kOk;
            }
            if (clients->empty()) {
                std::cout << "No OAuth clients.\n";
                return kOk;
            }
            Table table({"Name", "ID", "Redirect URI"});
            for (const auto& c : *clients) table.add({c.name, c.id, c.redirect_uri});
            table.print(std::cout);
            return kOk;
        });
    });
}

void add_create(CLI::App& group, int& exit_code) {
    struct State {
        CommonFlags flags;
        ClientOutput output;
        sdk::OAuthClientCreate body;
    };
    auto state = std::make_shared<State>();
    auto* command = group.add_subcommand(
        "create", "Register an OAuth client; prints its id and secret (the secret is shown once)");
    command->add_option("name", state->body.name, "The client's name")->required();
    command
        ->add_option("redirect_uri", state->body.redirect_uri,
                     "Its redirect URI (https, or http for localhost)")
        ->required();
    state->flags.add_to(*command);
    command->add_flag("--shell", state->output.shell,
                      "Print TESSERA_OAUTH_ID and TESSERA_OAUTH_SECRET lines for a shell");
    command->callback([state, &exit_code] {
        exit_code = with_api(state->flags, [&](sdk::Api& api) {
            auto client = api.oauth().clients().create(state->body);
            if (!client) return report(client.error());
            print_client(*client, state->flags, state->output,
                         "Created OAuth client " + client->name);
            return kOk;
        });
    });
}

void add_info(CLI::App& group, int& exit_code) {
    auto state = std::make_shared<OneClient>();
    auto* command = one_client_command(group, "info", "Show one OAuth client", *state, true);
    command->callback([state, &exit_code] {
        exit_code = with_api(state->flags, [&](sdk::Api& api) {
            auto client = api.oauth().clients(state->id).info();
            if (!client) return report(client.error());
            print_client(*client, state->flags, state->output, client->name);
            return kOk;
        });
    });
}

void add_update(CLI::App& group, int& exit_code) {
    struct State : OneClient {
        std::string name, url;
    };
    auto state = std::make_shared<State>();
    auto* command = one_client_command(group, "update",
                                       "Rename a client or change its redirect URI", *state, false);
    auto* name = command->add_option("-n,--name", state->name, "The new name");
    auto* url = command->add_option("--url", state->url, "The new redirect URI");
    command->callback([state, name, url, &exit_code] {
        if (!*name && !*url) {
            exit_code = usage_error("nothing to update: give --name and/or --url");
            return;
        }
        sdk::OAuthClientUpdate changes;
        if (*name) changes.name = state->name;
        if (*url) changes.redirect_uri = state->url;
        exit_code = with_api(state->flags, [&](sdk::Api& api) {
            auto client = api.oauth().clients(state->id).update(changes);
            if (!client) return report(client.error());
            print_client(*client, state->flags, {}, "Updated OAuth client " + client->name);
            return kOk;
        });
    });
}

void add_destroy(CLI::App& group, int& exit_code) {
    auto state = std::make_shared<OneClient>();
    auto* command = one_client_command(
        group, "destroy", "Delete a client and revoke everything issued to it", *state, false);
    command->callback([state, &exit_code] {
        exit_code = with_api(state->flags, [&](sdk::Api& api) {
            auto client = api.oauth().clients(state->id).remove();
            if (!client) return report(client.error());
            if (state->flags.json)
                std::cout << sdk::to_json(*client) << '\n';
            else
                std::cout << "Destroyed OAuth client " << client->name << " (" << client->id
                          << ").\n";
            return kOk;
        });
    });
}

void add_rotate(CLI::App& group, int& exit_code) {
    auto state = std::make_shared<OneClient>();
    auto* command = one_client_command(
        group, "rotate", "Give a client a new secret; the old one stops working at once", *state,
        true);
    command->callback([state, &exit_code] {
        exit_code = with_api(state->flags, [&](sdk::Api& api) {
            auto client = api.oauth().clients(state->id).rotate_credentials();
            if (!client) return report(client.error());
            print_client(*client, state->flags, state->output,
                         "Rotated the secret of OAuth client " + client->name);
            return kOk;
        });
    });
}

}  // namespace

void add_clients_commands(CLI::App& app, int& exit_code) {
    auto* group = app.add_subcommand("clients", "Manage your OAuth clients (/oauth/clients)");
    group->require_subcommand(1);
    describe_group(*group);
    add_list(*group, exit_code);
    add_info(*group, exit_code);
    add_create(*group, exit_code);
    add_update(*group, exit_code);
    add_destroy(*group, exit_code);
    add_rotate(*group, exit_code);
}

}  // namespace tessera::cli
