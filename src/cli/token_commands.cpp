// tessera token introspect|revoke: the standard endpoints (RFC 7662,
// RFC 7009) from a terminal.
#include <iostream>
#include <memory>

#include "cli/command_groups.hpp"
#include "cli/context.hpp"
#include "cli/exit_codes.hpp"
#include "cli/output.hpp"
#include "tessera/json.hpp"

namespace tessera::cli {
namespace {

// The token argument and the client that authenticates.
struct State {
    CommonFlags flags;
    std::string token;
    std::string client_id;
    std::string client_secret;
    std::string auth_method = "basic";
    std::string hint;
};

void add_client_flags(CLI::App& command, State& state, bool required) {
    auto* id = command.add_option("--client-id", state.client_id, "The client's id");
    auto* secret = command
                       .add_option("--client-secret", state.client_secret,
                                   "The client's secret (or TESSERA_CLIENT_SECRET)")
                       ->envname("TESSERA_CLIENT_SECRET");
    command
        .add_option("--auth-method", state.auth_method,
                    "How the client authenticates: basic (default), post or none")
        ->check(CLI::IsMember({"basic", "post", "none"}));
    if (required) id->required();
    (void)secret;
}

sdk::ClientAuth client_auth(const State& state) {
    sdk::ClientAuth auth;
    auth.client_id = state.client_id;
    auth.client_secret = sdk::Secret(state.client_secret);
    auth.method = state.auth_method == "post"   ? sdk::ClientAuth::Method::post
                  : state.auth_method == "none" ? sdk::ClientAuth::Method::none
                                                : sdk::ClientAuth::Method::basic;
    return auth;
}

std::string optional_number(const std::optional<std::int64_t>& value) {
    return value ? std::to_string(*value) : "";
}

void add_introspect(CLI::App& group, int& exit_code) {
    auto state = std::make_shared<State>();
    auto* command = group.add_subcommand(
        "introspect",
        "Ask whether a token is active and what it grants (as a client with --client-id, "
        "else with your own token, which needs the global scope)");
    command->add_option("token", state->token, "The token ('-': read it from stdin)")->required();
    add_client_flags(*command, *state, false);
    state->flags.add_to(*command);
    command->callback([state, &exit_code] {
        auto token = secret_argument(state->token);
        if (!token) {
            exit_code = usage_error("no token on stdin");
            return;
        }
        auto print = [&](const sdk::Introspection& i) {
            if (state->flags.json) {
                std::cout << sdk::to_json(i) << '\n';
                return kOk;
            }
            std::vector<std::pair<std::string, std::string>> fields = {
                {"active", i.active ? "true" : "false"}};
            auto add = [&](const char* key, const std::string& value) {
                if (!value.empty()) fields.emplace_back(key, value);
            };
            add("scope", i.scope.value_or(""));
            add("client_id", i.client_id.value_or(""));
            add("sub", i.sub.value_or(""));
            add("token_type", i.token_type.value_or(""));
            add("iat", optional_number(i.iat));
            add("exp", optional_number(i.exp));
            add("iss", i.iss.value_or(""));
            print_fields(std::cout, "", fields);
            return kOk;
        };
        if (!state->client_id.empty()) {
            sdk::Api api(resolve_api_url(state->flags), {}, api_options(state->flags));
            auto result = api.endpoints().introspect(*token, client_auth(*state));
            exit_code = result ? print(*result) : report(result.error());
            return;
        }
        exit_code = with_api(state->flags, [&](sdk::Api& api) {
            auto result = api.endpoints().introspect(*token);
            return result ? print(*result) : report(result.error());
        });
    });
}

void add_revoke(CLI::App& group, int& exit_code) {
    auto state = std::make_shared<State>();
    auto* command = group.add_subcommand(
        "revoke", "Revoke a token issued to a client (RFC 7009; unknown tokens succeed too)");
    command->add_option("token", state->token, "The token ('-': read it from stdin)")->required();
    add_client_flags(*command, *state, true);
    command->add_option("--hint", state->hint, "access_token or refresh_token")
        ->check(CLI::IsMember({"access_token", "refresh_token"}));
    state->flags.add_to(*command, false);
    command->callback([state, &exit_code] {
        auto token = secret_argument(state->token);
        if (!token) {
            exit_code = usage_error("no token on stdin");
            return;
        }
        sdk::Api api(resolve_api_url(state->flags), {}, api_options(state->flags));
        std::optional<std::string> hint;
        if (!state->hint.empty()) hint = state->hint;
        auto revoked = api.endpoints().revoke(*token, client_auth(*state), hint);
        if (!revoked) {
            exit_code = report(revoked.error());
            return;
        }
        std::cout << "Revoked.\n";
        exit_code = kOk;
    });
}

}  // namespace

void add_token_commands(CLI::App& app, int& exit_code) {
    auto* group = app.add_subcommand("token", "Introspect or revoke tokens (RFC 7662, RFC 7009)");
    group->require_subcommand(1);
    describe_group(*group);
    add_introspect(*group, exit_code);
    add_revoke(*group, exit_code);
}

}  // namespace tessera::cli
