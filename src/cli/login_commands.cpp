// tessera login|logout|whoami. Login works like `heroku login -i`: the
// email and password create a direct authorization (Basic email:password on
// POST /oauth/authorizations, spec heroku-oauth.md §1.2, §3.2) whose token
// is kept in the credentials file; logout revokes that authorization.
#include <termios.h>
#include <unistd.h>

#include <iostream>
#include <memory>

#include "cli/command_groups.hpp"
#include "cli/context.hpp"
#include "cli/credentials_file.hpp"
#include "cli/exit_codes.hpp"
#include "cli/output.hpp"
#include "tessera/json.hpp"

namespace tessera::cli {
namespace {

// A login's token lives 30 days, as the Heroku CLI's does.
constexpr std::int64_t kLoginLifetime = 30 * 24 * 3600;

// One line from stdin; on a terminal after `prompt`, without echo when
// `hidden`. nullopt at end of input.
std::optional<std::string> read_line(const std::string& prompt, bool hidden) {
    bool terminal = ::isatty(STDIN_FILENO);
    if (terminal) std::cerr << prompt << std::flush;
    termios saved{};
    bool masked = terminal && hidden && ::tcgetattr(STDIN_FILENO, &saved) == 0;
    if (masked) {
        termios quiet = saved;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    std::string line;
    bool ok = static_cast<bool>(std::getline(std::cin, line));
    if (masked) {
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
        std::cerr << '\n';
    }
    if (!ok) return std::nullopt;
    while (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

std::string host_name() {
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) != 0) return "unknown host";
    return name;
}

void add_login(CLI::App& app, int& exit_code) {
    struct State {
        CommonFlags flags;
        std::string email;
    };
    auto state = std::make_shared<State>();
    auto* command = app.add_subcommand("login", "Log in with your email and password");
    command->add_option("-e,--email", state->email, "Your email (asked when not given)");
    state->flags.add_to(*command, false);
    describe_group(*command);
    command->footer(
        "Creates a 30-day API token (a direct authorization with scope global) and keeps it in "
        "$XDG_CONFIG_HOME/tessera/credentials (default ~/.config/tessera/credentials, mode "
        "0600), for the server it was made for only. The password is read from the terminal "
        "without echo, or as one line from stdin.\n" +
        std::string(command->get_footer()));
    command->callback([state, &exit_code] {
        std::string email = state->email;
        if (email.empty()) {
            auto line = read_line("Email: ", false);
            if (!line || line->empty()) {
                exit_code = usage_error("an email is required (--email)");
                return;
            }
            email = *line;
        }
        auto password = read_line("Password: ", true);
        if (!password || password->empty()) {
            exit_code = usage_error("a password is required (on the terminal or stdin)");
            return;
        }
        std::string url = resolve_api_url(state->flags);
        sdk::Api api(url, sdk::Credentials::password(email, sdk::Secret(*password)),
                     api_options(state->flags));
        auto created = api.oauth().authorizations().create(
            {.scope = {"global"},
             .description = "Tessera CLI login from " + host_name(),
             .expires_in = kLoginLifetime});
        if (!created) {
            exit_code = report(created.error());
            return;
        }
        if (!created->access_token) {
            exit_code = report(sdk::ApiError{.kind = sdk::ErrorKind::protocol,
                                             .message = "the server returned no token"});
            return;
        }
        StoredLogin login{url, created->user.email.empty() ? email : created->user.email,
                          created->access_token->token, created->id};
        if (auto error = save_login(credentials_path(), login); !error.empty()) {
            exit_code = usage_error(error);
            return;
        }
        std::cout << "Logged in as " << login.email << " at " << url << ".\n";
        exit_code = kOk;
    });
}

void add_logout(CLI::App& app, int& exit_code) {
    auto flags = std::make_shared<CommonFlags>();
    auto* command =
        app.add_subcommand("logout", "Revoke the token `tessera login` made and forget it");
    flags->add_to(*command, false);
    describe_group(*command);
    command->callback([flags, &exit_code] {
        auto path = credentials_path();
        auto stored = load_login(path);
        if (!stored) {
            std::cout << "Not logged in.\n";
            if (std::getenv("TESSERA_API_KEY"))
                std::cerr << "TESSERA_API_KEY is set; unset it to stop using that token.\n";
            exit_code = kOk;
            return;
        }
        CommonFlags target = *flags;
        target.api_url = stored->api_url;
        sdk::Api api(stored->api_url, sdk::Credentials::token(stored->token), api_options(target));
        if (!stored->authorization_id.empty()) {
            auto revoked = api.oauth().authorizations(stored->authorization_id).remove();
            // Already revoked (401) or gone (404): the goal is reached.
            if (!revoked && !revoked.error().is_unauthenticated() &&
                !revoked.error().is_not_found()) {
                exit_code = report(revoked.error());
                std::cerr << "The login was kept; try again, or remove " << path.string() << ".\n";
                return;
            }
        }
        if (auto error = erase_login(path); !error.empty()) {
            exit_code = usage_error(error);
            return;
        }
        std::cout << "Logged out of " << stored->api_url << ".\n";
        exit_code = kOk;
    });
}

void add_whoami(CLI::App& app, int& exit_code) {
    auto flags = std::make_shared<CommonFlags>();
    auto* command = app.add_subcommand("whoami", "Show the user the token belongs to");
    flags->add_to(*command);
    describe_group(*command);
    command->callback([flags, &exit_code] {
        exit_code = with_api(*flags, [&](sdk::Api& api) {
            auto account = api.account().info();
            if (!account) return report(account.error());
            if (flags->json)
                std::cout << sdk::to_json(*account) << '\n';
            else
                std::cout << account->email << '\n';
            return kOk;
        });
    });
}

}  // namespace

void add_login_commands(CLI::App& app, int& exit_code) {
    add_login(app, exit_code);
    add_logout(app, exit_code);
    add_whoami(app, exit_code);
}

}  // namespace tessera::cli
