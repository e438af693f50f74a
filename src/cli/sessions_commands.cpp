// tessera sessions list|info|destroy: refresh-token families (spec
// heroku-oauth.md §5).
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

void print_session(const sdk::OAuthSession& s, const CommonFlags& flags,
                   const std::string& heading) {
    if (flags.json) {
        std::cout << sdk::to_json(s) << '\n';
        return;
    }
    print_fields(std::cout, heading,
                 {{"id", s.id},
                  {"description", s.description},
                  {"expires_in", expiry_text(s.expires_in)},
                  {"created_at", s.created_at},
                  {"updated_at", s.updated_at}});
}

struct OneSession {
    CommonFlags flags;
    std::string id;
};

void add_list(CLI::App& group, int& exit_code) {
    auto flags = std::make_shared<CommonFlags>();
    auto* command = group.add_subcommand("list", "List your sessions (sorted by description)");
    flags->add_to(*command);
    command->callback([flags, &exit_code] {
        exit_code = with_api(*flags, [&](sdk::Api& api) {
            auto list = api.oauth().sessions().list();
            if (!list) return report(list.error());
            std::stable_sort(list->begin(), list->end(), [](const auto& a, const auto& b) {
                return a.description < b.description;
            });
            if (flags->json) {
                std::cout << sdk::to_json(*list) << '\n';
                return kOk;
            }
            if (list->empty()) {
                std::cout << "No sessions.\n";
                return kOk;
            }
            Table table({"Description", "ID", "Expires in"});
            for (const auto& s : *list) table.add({s.description, s.id, expiry_text(s.expires_in)});
            table.print(std::cout);
            return kOk;
        });
    });
}

void add_info(CLI::App& group, int& exit_code) {
    auto state = std::make_shared<OneSession>();
    auto* command = group.add_subcommand("info", "Show one session ('~': the current one)");
    command->add_option("id", state->id, "The session's id")->required();
    state->flags.add_to(*command);
    command->callback([state, &exit_code] {
        exit_code = with_api(state->flags, [&](sdk::Api& api) {
            auto s = api.oauth().sessions(state->id).info();
            if (!s) return report(s.error());
            print_session(*s, state->flags, s->description.empty() ? s->id : s->description);
            return kOk;
        });
    });
}

void add_destroy(CLI::App& group, int& exit_code) {
    auto state = std::make_shared<OneSession>();
    auto* command =
        group.add_subcommand("destroy", "End a session: revoke every token issued in it");
    command->add_option("id", state->id, "The session's id")->required();
    state->flags.add_to(*command);
    command->callback([state, &exit_code] {
        exit_code = with_api(state->flags, [&](sdk::Api& api) {
            auto s = api.oauth().sessions(state->id).remove();
            if (!s) return report(s.error());
            if (state->flags.json)
                std::cout << sdk::to_json(*s) << '\n';
            else
                std::cout << "Destroyed session " << s->id << ".\n";
            return kOk;
        });
    });
}

}  // namespace

void add_sessions_commands(CLI::App& app, int& exit_code) {
    auto* group = app.add_subcommand("sessions", "Manage your sessions (/oauth/sessions)");
    group->require_subcommand(1);
    describe_group(*group);
    add_list(*group, exit_code);
    add_info(*group, exit_code);
    add_destroy(*group, exit_code);
}

}  // namespace tessera::cli
