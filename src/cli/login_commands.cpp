// tessera login|logout|whoami. Login works like `heroku login -i`: the
// email and password create a direct authorization (Basic email:password on
// POST /oauth/authorizations, spec heroku-oauth.md §1.2, §3.2) whose token
// is kept in the credentials file; `login --browser` signs in through the
// browser instead (browser_login.cpp) and keeps the same kind of token;
// logout revokes that authorization.
#include <termios.h>
#include <unistd.h>

#include <iostream>
#include <memory>

#include "cli/browser_login.hpp"
#include "cli/command_groups.hpp"
#include "cli/context.hpp"
#include "cli/credentials_file.hpp"
#include "cli/exit_codes.hpp"
#include "cli/login_token.hpp"
#include "cli/output.hpp"
#include "tessera/json.hpp"

namespace tessera::cli {
namespace {

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

int password_login(const CommonFlags& flags, std::string email) {
    if (email.empty()) {
        auto line = read_line("Email: ", false);
        if (!line || line->empty()) return usage_error("an email is required (--email)");
        email = *line;
    }
    auto password = read_line("Password: ", true);
    if (!password || password->empty())
        return usage_error("a password is required (on the terminal or stdin)");
    std::string url = resolve_api_url(flags);
    sdk::Api api(url, sdk::Credentials::password(email, sdk::Secret(*password)),
                 api_options(flags));
    return keep_login(api, url, email);
}

void add_login(CLI::App& app, int& exit_code) {
    struct State {
        CommonFlags flags;
        std::string email;
        bool browser = false;
        BrowserLoginFlags browser_flags;
    };
    auto state = std::make_shared<State>();
    auto* command =
        app.add_subcommand("login", "Log in with your email and password, or in the browser");
    auto* email =
        command->add_option("-e,--email", state->email, "Your email (asked when not given)");
    auto* browser = command->add_flag("-b,--browser", state->browser,
                                      "Sign in in your web browser instead of with a password");
    browser->excludes(email);
    command
        ->add_option("--client-id", state->browser_flags.client_id,
                     "With --browser: the public OAuth client to sign in with")
        ->envname("TESSERA_LOGIN_CLIENT_ID");  // ignored without --browser, so the
                                               // variable may stay set
    command
        ->add_option("--timeout", state->browser_flags.timeout_seconds,
                     "With --browser: seconds to wait for the sign-in (default 300)")
        ->check(CLI::Range(1, 86400))
        ->needs(browser);
    state->flags.add_to(*command, false);
    describe_group(*command);
    command->footer(
        "Creates a 30-day API token (a direct authorization with scope global) and keeps it in "
        "$XDG_CONFIG_HOME/tessera/credentials (default ~/.config/tessera/credentials, mode "
        "0600), for the server it was made for only. The password is read from the terminal "
        "without echo, or as one line from stdin.\n"
        "With --browser the sign-in happens on the server's pages in your browser ($BROWSER, "
        "else xdg-open; the URL is printed too): the code flow with PKCE on a redirect to "
        "http://127.0.0.1:<port>/callback, for a public client (--client-id or "
        "TESSERA_LOGIN_CLIENT_ID) registered with the redirect URI http://127.0.0.1/callback "
        "and scope global.\n" +
        std::string(command->get_footer()));
    command->callback([state, &exit_code] {
        exit_code = state->browser ? browser_login(state->flags, state->browser_flags)
                                   : password_login(state->flags, state->email);
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
