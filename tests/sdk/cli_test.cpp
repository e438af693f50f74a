// The `tessera` API commands end to end: the built binary, spawned against
// the real server on loopback, checked on stdout, --json and exit codes.
#include <sys/stat.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

#include "sdk/page_browser.hpp"
#include "sdk/process.hpp"
#include "sdk/sdk_fixture.hpp"

namespace tessera::testing {
namespace {

namespace json = boost::json;

class Cli : public SdkTest {
protected:
    Cli() : home_(server_.folder() / "home") { std::filesystem::create_directories(home_); }

    // Runs `tessera args...` with the owner's token and the server's URL in
    // the environment; `env` adds or (with an empty value) removes variables.
    ProcessResult tessera(const std::vector<std::string>& args,
                          const std::map<std::string, std::string>& env = {},
                          const std::string& input = "") {
        std::map<std::string, std::string> full = {{"HOME", home_.string()},
                                                   {"PATH", "/usr/bin:/bin"},
                                                   {"TESSERA_API_URL", base_url()},
                                                   {"TESSERA_API_KEY", token_}};
        for (const auto& [key, value] : env) {
            if (value.empty())
                full.erase(key);
            else
                full[key] = value;
        }
        return run_process(TESSERA_BIN, args, full, input);
    }
    static json::value parse(const ProcessResult& r) {
        boost::system::error_code ec;
        auto value = json::parse(r.out, ec);
        EXPECT_FALSE(ec) << r.out;
        return value;
    }
    std::filesystem::path credentials() const { return home_ / ".config/tessera/credentials"; }

    std::filesystem::path home_;
};

std::string str(const json::value& v) { return std::string(v.as_string()); }

TEST_F(Cli, ClientsCreateListRotateDestroy) {
    auto created = tessera({"clients", "create", "My app", "https://example.com/cb"});
    ASSERT_EQ(created.exit_code, 0) << created.err;
    EXPECT_TRUE(created.out.starts_with("=== Created OAuth client My app\nid:  ")) << created.out;
    std::smatch m;
    ASSERT_TRUE(std::regex_search(created.out, m, std::regex("id: +([0-9a-f-]{36})\n")));
    std::string id = m[1];
    ASSERT_TRUE(std::regex_search(created.out, m, std::regex("secret: +(tcs_\\S+)\n")));
    std::string secret = m[1];

    auto listed = tessera({"clients", "list"});
    ASSERT_EQ(listed.exit_code, 0) << listed.err;
    EXPECT_EQ(listed.out,
              "Name    ID                                    Redirect URI\n"
              "------  ------------------------------------  ----------------------\n"
              "My app  " +
                  id + "  https://example.com/cb\n");

    auto as_json = tessera({"clients", "list", "--json"});
    ASSERT_EQ(as_json.exit_code, 0);
    auto array = parse(as_json).as_array();
    ASSERT_EQ(array.size(), 1u);
    EXPECT_EQ(str(array[0].as_object()["id"]), id);
    EXPECT_EQ(str(array[0].as_object()["name"]), "My app");
    EXPECT_FALSE(array[0].as_object().contains("secret"));

    auto rotated = tessera({"clients", "rotate", id, "--json"});
    ASSERT_EQ(rotated.exit_code, 0) << rotated.err;
    auto new_secret = str(parse(rotated).as_object()["secret"]);
    EXPECT_NE(new_secret, secret);
    auto shell = tessera({"clients", "rotate", id, "--shell"});
    ASSERT_EQ(shell.exit_code, 0);
    EXPECT_TRUE(std::regex_match(
        shell.out, std::regex("TESSERA_OAUTH_ID=" + id + "\nTESSERA_OAUTH_SECRET=tcs_\\S+\n")))
        << shell.out;

    auto updated = tessera({"clients", "update", id, "--name", "Renamed"});
    ASSERT_EQ(updated.exit_code, 0) << updated.err;
    EXPECT_NE(updated.out.find("name:          Renamed\n"), std::string::npos) << updated.out;

    auto info = tessera({"clients", "info", id, "--json"});
    ASSERT_EQ(info.exit_code, 0);
    EXPECT_EQ(str(parse(info).as_object()["name"]), "Renamed");

    auto destroyed = tessera({"clients", "destroy", id});
    ASSERT_EQ(destroyed.exit_code, 0) << destroyed.err;
    EXPECT_EQ(destroyed.out, "Destroyed OAuth client Renamed (" + id + ").\n");

    // Gone: an API error, exit 1, with the server's message and request id.
    auto gone = tessera({"clients", "info", id});
    EXPECT_EQ(gone.exit_code, 1);
    EXPECT_EQ(gone.out, "");
    EXPECT_TRUE(
        gone.err.starts_with("Error: Couldn't find that OAuth client.\n"
                             "  (HTTP 404, not_found, resource client)\n"
                             "  Request id: "))
        << gone.err;
    auto empty = tessera({"clients", "list"});
    EXPECT_EQ(empty.out, "No OAuth clients.\n");
    EXPECT_EQ(tessera({"clients", "list", "--json"}).out, "[]\n");
}

TEST_F(Cli, UsageErrorsExitTwo) {
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"clients"},
             {"clients", "bogus"},
             {"clients", "info"},
             {"clients", "update", "0123"},
             {"clients", "create", "only-a-name"},
             {"authorizations", "update", "x", "--client-id", "y"},
             {"authorizations", "create", "--expires-in", "0"},
             {"accounts", "clients", "create", "acct"},
             {"token", "revoke", "t"},
             {"sessions", "list", "--no-such-flag"}}) {
        auto r = tessera(args);
        EXPECT_EQ(r.exit_code, 2) << args[0] << " " << (args.size() > 1 ? args[1] : "") << "\n"
                                  << r.err;
        EXPECT_FALSE(r.err.empty());
    }
    // The admin commands keep CLI11's own codes.
    EXPECT_NE(tessera({"admin", "users", "create"}).exit_code, 2);
}

TEST_F(Cli, NetworkAndAuthenticationFailuresExitThree) {
    auto unreachable =
        tessera({"clients", "list"},
                {{"TESSERA_API_URL", "http://127.0.0.1:" + std::to_string(unused_port())}});
    EXPECT_EQ(unreachable.exit_code, 3);
    EXPECT_NE(unreachable.err.find("cannot connect"), std::string::npos) << unreachable.err;

    auto refused = tessera({"clients", "list"}, {{"TESSERA_API_KEY", "HRKU-bogus"}});
    EXPECT_EQ(refused.exit_code, 3);
    EXPECT_NE(refused.err.find("(HTTP 401, unauthorized)"), std::string::npos) << refused.err;
    EXPECT_NE(refused.err.find("Request id: "), std::string::npos);

    auto anonymous = tessera({"clients", "list"}, {{"TESSERA_API_KEY", ""}});
    EXPECT_EQ(anonymous.exit_code, 3);
    EXPECT_NE(anonymous.err.find("not logged in"), std::string::npos) << anonymous.err;
}

TEST_F(Cli, HelpIsEverywhere) {
    for (const auto& args :
         std::vector<std::vector<std::string>>{{"--help"},
                                               {"clients", "--help"},
                                               {"clients", "create", "--help"},
                                               {"accounts", "clients", "update", "--help"},
                                               {"token", "introspect", "--help"},
                                               {"login", "--help"}}) {
        auto r = tessera(args);
        EXPECT_EQ(r.exit_code, 0) << args[0];
        EXPECT_NE(r.out.find("Usage: "), std::string::npos) << r.out;
    }
    EXPECT_NE(tessera({"clients", "--help"}).out.find("Exit codes: 0 success"), std::string::npos);
}

TEST_F(Cli, LoginKeepsAPrivateTokenAndLogoutRevokesIt) {
    std::map<std::string, std::string> env = {{"TESSERA_API_KEY", ""}};
    auto wrong = tessera({"login", "--email", kOwner}, env, "not the password\n");
    EXPECT_EQ(wrong.exit_code, 3) << wrong.err;
    EXPECT_FALSE(std::filesystem::exists(credentials()));

    auto login = tessera({"login", "--email", kOwner}, env, kPassword + "\n");
    ASSERT_EQ(login.exit_code, 0) << login.err;
    EXPECT_EQ(login.out, "Logged in as " + kOwner + " at " + base_url() + ".\n");
    struct stat info {};
    ASSERT_EQ(::stat(credentials().c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600);
    std::ifstream file(credentials());
    std::string text((std::istreambuf_iterator<char>(file)), {});
    EXPECT_NE(text.find("token=HRKU-"), std::string::npos);

    auto who = tessera({"whoami"}, env);
    EXPECT_EQ(who.exit_code, 0) << who.err;
    EXPECT_EQ(who.out, kOwner + "\n");
    auto listed = tessera({"authorizations", "list", "--json"}, env);
    ASSERT_EQ(listed.exit_code, 0);
    auto array = parse(listed).as_array();
    ASSERT_EQ(array.size(), 2u);

    // The stored token is never sent to another server.
    auto elsewhere =
        tessera({"whoami"}, {{"TESSERA_API_KEY", ""}, {"TESSERA_API_URL", "http://127.0.0.1:1"}});
    EXPECT_EQ(elsewhere.exit_code, 3);
    EXPECT_NE(elsewhere.err.find("not sent to another server"), std::string::npos);

    auto logout = tessera({"logout"}, env);
    ASSERT_EQ(logout.exit_code, 0) << logout.err;
    EXPECT_EQ(logout.out, "Logged out of " + base_url() + ".\n");
    EXPECT_FALSE(std::filesystem::exists(credentials()));
    auto after = api().oauth().authorizations().list();
    ASSERT_TRUE(after);
    EXPECT_EQ(after->size(), 1u);  // the login's authorization was revoked
    EXPECT_EQ(tessera({"whoami"}, env).exit_code, 3);
    EXPECT_EQ(tessera({"logout"}, env).out, "Not logged in.\n");
}

// `tessera login --browser`: the CLI is spawned with a $BROWSER that hands
// the URL to the test, and PageBrowser plays the browser on the server's
// pages, then follows the redirect to the CLI's loopback listener.
class CliBrowserLogin : public Cli {
protected:
    CliBrowserLogin() {
        // As the README tells an administrator to register it.
        auto owner = server_.app().users().find_by_email(kOwner);
        auto created =
            server_.app().clients().register_client({owner->id,
                                                     owner->account_id,
                                                     "Tessera CLI",
                                                     {"http://127.0.0.1/callback"},
                                                     {"authorization_code", "refresh_token"},
                                                     {"global"},
                                                     "none",
                                                     ""},
                                                    server_.app().scopes());
        EXPECT_TRUE(created) << created.error().description;
        client_id_ = created->client.id.uuid();
        std::ofstream(home_ / "browser.sh")
            << "#!/bin/sh\nprintf '%s\\n' \"$1\" > '" << (home_ / "opened.tmp").string()
            << "' && mv '" << (home_ / "opened.tmp").string() << "' '"
            << (home_ / "opened").string() << "'\n";
        std::filesystem::permissions(home_ / "browser.sh", std::filesystem::perms::owner_all);
    }

    std::map<std::string, std::string> env() const {
        return {{"TESSERA_API_KEY", ""}, {"BROWSER", (home_ / "browser.sh").string()}};
    }
    RunningProcess login(const std::vector<std::string>& extra = {}) {
        std::vector<std::string> args = {"login", "--browser", "--client-id", client_id_};
        args.insert(args.end(), extra.begin(), extra.end());
        std::map<std::string, std::string> full = {
            {"HOME", home_.string()}, {"PATH", "/usr/bin:/bin"}, {"TESSERA_API_URL", base_url()}};
        for (const auto& [key, value] : env())
            if (!value.empty()) full[key] = value;
        return start_process(TESSERA_BIN, args, full);
    }
    // The URL the CLI handed to $BROWSER, "" after 10 s without one.
    std::string opened_url() {
        auto file = home_ / "opened";
        for (int i = 0; i < 1000 && !std::filesystem::exists(file); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        std::ifstream in(file);
        std::string url;
        std::getline(in, url);
        std::filesystem::remove(file);
        return url;
    }

    std::string client_id_;
};

TEST_F(CliBrowserLogin, SignsInInTheBrowserAndKeepsALoginToken) {
    auto process = login();
    auto url = opened_url();
    ASSERT_FALSE(url.empty());
    EXPECT_TRUE(url.starts_with(
        "http://127.0.0.1:8080/oauth/authorize?response_type=code&client_id=" + client_id_ +
        "&redirect_uri=http%3A%2F%2F127.0.0.1%3A"))
        << url;
    EXPECT_NE(url.find("%2Fcallback&scope=global&state="), std::string::npos) << url;
    EXPECT_NE(url.find("&code_challenge_method=S256"), std::string::npos) << url;
    PageBrowser browser(server_.port(), kOwner, kPassword);
    auto location = browser.authorize(url);
    EXPECT_EQ(PageBrowser::follow(location).status, 200);
    auto done = process.finish();
    ASSERT_EQ(done.exit_code, 0) << done.err;
    EXPECT_EQ(done.out, "Logged in as " + kOwner + " at " + base_url() + ".\n");
    EXPECT_NE(done.err.find("If it does not open, visit:\n  " + url + "\n"), std::string::npos)
        << done.err;
    struct stat info {};
    ASSERT_EQ(::stat(credentials().c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600);

    // The login token works like the password login's; the browser
    // sign-in's own tokens are revoked (no session is left).
    EXPECT_EQ(tessera({"whoami"}, env()).out, kOwner + "\n");
    EXPECT_EQ(tessera({"sessions", "list"}, env()).out, "No sessions.\n");
    auto listed = tessera({"authorizations", "list", "--json"}, env());
    ASSERT_EQ(listed.exit_code, 0) << listed.err;
    int logins = 0;
    auto authorizations = parse(listed);
    for (const auto& a : authorizations.as_array())
        if (a.as_object().at("description").as_string().starts_with("Tessera CLI login from "))
            ++logins;
    EXPECT_EQ(logins, 1);

    // Signed in already, the browser goes straight back (consent is kept).
    auto again = login();
    EXPECT_EQ(PageBrowser::follow(browser.authorize(opened_url())).status, 200);
    EXPECT_EQ(again.finish().exit_code, 0);

    auto logout = tessera({"logout"}, env());
    ASSERT_EQ(logout.exit_code, 0) << logout.err;
    EXPECT_EQ(tessera({"whoami"}, env()).exit_code, 3);
}

TEST_F(CliBrowserLogin, ADenialOrNoAnswerKeepsNothing) {
    auto denied = login();
    PageBrowser browser(server_.port(), kOwner, kPassword);
    EXPECT_EQ(PageBrowser::follow(browser.authorize(opened_url(), "deny")).status, 200);
    auto refused = denied.finish();
    EXPECT_EQ(refused.exit_code, 1);
    EXPECT_TRUE(refused.err.starts_with("Sign in to " + base_url())) << refused.err;
    EXPECT_NE(refused.err.find("\nError: the user denied the request\n  (access_denied)\n"),
              std::string::npos)
        << refused.err;
    EXPECT_FALSE(std::filesystem::exists(credentials()));

    auto silent = start_process(TESSERA_BIN,
                                {"login", "--browser", "--client-id", client_id_, "--timeout", "1"},
                                {{"HOME", home_.string()},
                                 {"PATH", "/usr/bin:/bin"},
                                 {"TESSERA_API_URL", base_url()},
                                 {"BROWSER", "/nonexistent/browser %s --new-window"}});
    auto timed_out = silent.finish();
    EXPECT_EQ(timed_out.exit_code, 3) << timed_out.err;
    EXPECT_NE(timed_out.err.find("(No browser was started: cannot run /nonexistent/browser: "),
              std::string::npos)
        << timed_out.err;
    EXPECT_NE(timed_out.err.find("Error: no sign-in answer came from the browser in time (1 s)"),
              std::string::npos)
        << timed_out.err;
    EXPECT_FALSE(std::filesystem::exists(credentials()));
}

TEST_F(CliBrowserLogin, UsageErrorsExitTwo) {
    auto no_client = tessera({"login", "--browser"}, env());
    EXPECT_EQ(no_client.exit_code, 2);
    EXPECT_NE(no_client.err.find("--browser needs the id of a public OAuth client"),
              std::string::npos)
        << no_client.err;
    EXPECT_EQ(
        tessera({"login", "--browser", "--email", kOwner, "--client-id", "x"}, env()).exit_code, 2);
    // The variable may stay set for a password login.
    auto password =
        tessera({"login", "--email", kOwner},
                {{"TESSERA_API_KEY", ""}, {"TESSERA_LOGIN_CLIENT_ID", "x"}}, kPassword + "\n");
    EXPECT_EQ(password.exit_code, 0) << password.err;
    EXPECT_EQ(
        tessera({"login", "--browser", "--client-id", "x", "--timeout", "0"}, env()).exit_code, 2);
}

TEST_F(Cli, AuthorizationsCommands) {
    auto created = tessera({"authorizations", "create", "-d", "CI token", "-s", "read,identity",
                            "-e", "3600", "--short"});
    ASSERT_EQ(created.exit_code, 0) << created.err;
    EXPECT_TRUE(std::regex_match(created.out, std::regex("HRKU-\\S+\n"))) << created.out;
    std::string token = created.out.substr(0, created.out.size() - 1);
    EXPECT_EQ(tessera({"whoami"}, {{"TESSERA_API_KEY", token}}).exit_code, 0);

    auto listed = tessera({"authorizations", "list"});
    ASSERT_EQ(listed.exit_code, 0);
    std::smatch m;
    ASSERT_TRUE(std::regex_search(listed.out, m,
                                  std::regex("\nCI token +([0-9a-f-]{36})  read,identity\n")))
        << listed.out;
    std::string id = m[1];

    auto info = tessera({"authorizations", "info", id});
    EXPECT_EQ(info.exit_code, 0);
    EXPECT_TRUE(info.out.starts_with("=== CI token\n")) << info.out;
    EXPECT_NE(info.out.find("**********"), std::string::npos);  // redacted
    EXPECT_NE(info.out.find("expires_in:"), std::string::npos);

    auto updated = tessera({"authorizations", "update", id, "-d", "Renamed", "--json"});
    ASSERT_EQ(updated.exit_code, 0) << updated.err;
    EXPECT_EQ(str(parse(updated).as_object()["description"]), "Renamed");

    auto rotated = tessera({"authorizations", "rotate", id, "--json"});
    ASSERT_EQ(rotated.exit_code, 0) << rotated.err;
    auto new_token = str(parse(rotated).as_object()["access_token"].as_object()["token"]);
    EXPECT_NE(new_token, token);
    EXPECT_EQ(tessera({"whoami"}, {{"TESSERA_API_KEY", token}}).exit_code, 3);

    auto revoked = tessera({"authorizations", "revoke", id});
    ASSERT_EQ(revoked.exit_code, 0) << revoked.err;
    EXPECT_EQ(revoked.out, "Revoked authorization " + id + " from 'Renamed'.\n");
    EXPECT_EQ(tessera({"whoami"}, {{"TESSERA_API_KEY", new_token}}).exit_code, 3);
    EXPECT_EQ(tessera({"authorizations", "info", "~"}).exit_code, 1);
}

TEST_F(Cli, SessionsListAndDestroy) {
    auto client = api().oauth().clients().create({"Web", "https://example.com/cb"});
    ASSERT_TRUE(client);
    auto granted = api().oauth().authorizations().create({.client = client->id});
    ASSERT_TRUE(granted);
    auto tokens = api_with({}).oauth().tokens().create(
        {.code = granted->grant->code, .client_secret = client->secret});
    ASSERT_TRUE(tokens) << tokens.error().to_string();

    auto listed = tessera({"sessions", "list"});
    ASSERT_EQ(listed.exit_code, 0) << listed.err;
    EXPECT_NE(listed.out.find(*tokens->session_id + "  never\n"), std::string::npos) << listed.out;
    auto destroyed = tessera({"sessions", "destroy", *tokens->session_id});
    ASSERT_EQ(destroyed.exit_code, 0) << destroyed.err;
    EXPECT_EQ(destroyed.out, "Destroyed session " + *tokens->session_id + ".\n");
    EXPECT_EQ(tessera({"sessions", "list"}).out, "No sessions.\n");
}

TEST_F(Cli, AccountsClientsCommands) {
    auto account = new_account("Acme");
    auto created = tessera({"accounts", "clients", "create", account, "--name", "CF app",
                            "--redirect-uri", "https://example.com/cb", "--scope", "account.read",
                            "--grant-type", "authorization_code", "--grant-type", "refresh_token",
                            "--logo-uri", "https://example.com/logo.png", "--json"});
    ASSERT_EQ(created.exit_code, 0) << created.err;
    auto client = parse(created).as_object();
    std::string id = str(client["client_id"]);
    EXPECT_EQ(id.size(), 32u);
    EXPECT_TRUE(client.contains("client_secret"));
    EXPECT_EQ(json::serialize(client["scopes"]), R"(["account.read","offline_access"])");

    auto listed = tessera({"accounts", "clients", "list", account});
    ASSERT_EQ(listed.exit_code, 0) << listed.err;
    EXPECT_EQ(listed.out,
              "Name    Client ID                         Visibility  Redirect URIs\n"
              "------  --------------------------------  ----------  ----------------------\n"
              "CF app  " +
                  id + "  private     https://example.com/cb\n");

    auto updated = tessera({"accounts", "clients", "update", account, id, "--name", "Renamed",
                            "--clear", "logo_uri", "--json"});
    ASSERT_EQ(updated.exit_code, 0) << updated.err;
    auto after = parse(updated).as_object();
    EXPECT_EQ(str(after["client_name"]), "Renamed");
    EXPECT_FALSE(after.contains("logo_uri"));

    auto got = tessera({"accounts", "clients", "get", account, id});
    ASSERT_EQ(got.exit_code, 0);
    EXPECT_TRUE(got.out.starts_with("=== Renamed\nclient_id:  ")) << got.out;

    auto rotated = tessera({"accounts", "clients", "rotate-secret", account, id, "--json"});
    ASSERT_EQ(rotated.exit_code, 0) << rotated.err;
    EXPECT_TRUE(parse(rotated).as_object().contains("client_secret"));
    auto again = tessera({"accounts", "clients", "rotate-secret", account, id});
    EXPECT_EQ(again.exit_code, 1);
    EXPECT_NE(again.err.find("(HTTP 409, code 1409)"), std::string::npos) << again.err;
    auto ended = tessera({"accounts", "clients", "delete-rotated-secret", account, id});
    ASSERT_EQ(ended.exit_code, 0) << ended.err;
    EXPECT_EQ(ended.out, "Deleted the previous secret of OAuth client " + id + ".\n");

    auto invalid = tessera({"accounts", "clients", "create", account, "--name", "X",
                            "--redirect-uri", "http://example.com/cb", "--scope", "a:b"});
    EXPECT_EQ(invalid.exit_code, 1);
    EXPECT_NE(invalid.err.find("(code 1003, at /redirect_uris/0)"), std::string::npos)
        << invalid.err;
    EXPECT_NE(invalid.err.find("(code 1004, at /scopes/0)"), std::string::npos);

    auto deleted = tessera({"accounts", "clients", "delete", account, id, "--json"});
    ASSERT_EQ(deleted.exit_code, 0) << deleted.err;
    EXPECT_EQ(deleted.out, R"({"id":")" + id + "\"}\n");
    EXPECT_EQ(tessera({"accounts", "clients", "get", account, id}).exit_code, 1);

    auto scopes = tessera({"accounts", "scopes", "list"});
    ASSERT_EQ(scopes.exit_code, 0);
    EXPECT_NE(scopes.out.find("account.read"), std::string::npos);
}

TEST_F(Cli, TokenIntrospectAndRevoke) {
    auto user = server_.app().users().find_by_email(kOwner);
    ASSERT_TRUE(user);
    auto machine = server_.app().clients().register_client(
        {user->id, user->account_id, "Machine", {}, {"client_credentials"}, {}, "", ""},
        server_.app().scopes());
    ASSERT_TRUE(machine);
    std::string id = machine->client.id.uuid(), secret = machine->secret.reveal();
    auto tokens = api_with({}).endpoints().token(
        {.grant_type = "client_credentials", .client = {id, sdk::Secret(secret)}, .scope = "read"});
    ASSERT_TRUE(tokens) << tokens.error().to_string();
    std::string token = tokens->access_token.reveal();

    auto seen =
        tessera({"token", "introspect", token, "--client-id", id, "--client-secret", secret});
    ASSERT_EQ(seen.exit_code, 0) << seen.err;
    EXPECT_TRUE(std::regex_search(seen.out, std::regex("^active: +true\n"))) << seen.out;
    EXPECT_TRUE(std::regex_search(seen.out, std::regex("\nclient_id: +" + id + "\n"))) << seen.out;
    EXPECT_TRUE(std::regex_search(seen.out, std::regex("\nscope: +read\n"))) << seen.out;

    // With the caller's own global token, the token read from stdin.
    auto as_user = tessera({"token", "introspect", "-", "--json"}, {}, token + "\n");
    ASSERT_EQ(as_user.exit_code, 0) << as_user.err;
    EXPECT_EQ(parse(as_user).as_object()["active"], true);

    auto revoked =
        tessera({"token", "revoke", token, "--client-id", id}, {{"TESSERA_CLIENT_SECRET", secret}});
    ASSERT_EQ(revoked.exit_code, 0) << revoked.err;
    EXPECT_EQ(revoked.out, "Revoked.\n");
    auto inactive = tessera(
        {"token", "introspect", token, "--client-id", id, "--client-secret", secret, "--json"});
    EXPECT_EQ(inactive.out, "{\"active\":false}\n");

    auto bad_client =
        tessera({"token", "revoke", token, "--client-id", id, "--client-secret", "x"});
    EXPECT_EQ(bad_client.exit_code, 3);  // 401 invalid_client
    EXPECT_NE(bad_client.err.find("invalid_client"), std::string::npos) << bad_client.err;
}

}  // namespace
}  // namespace tessera::testing
