// Wire tests for the Heroku OAuth Authorizations API (direct authorizations,
// Heroku spec §3) and GET /account, against the real server on loopback.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <regex>

#include "base/encoding.hpp"
#include "base/fake_clock.hpp"
#include "support/http_client.hpp"
#include "support/test_server.hpp"

namespace tessera::testing {
namespace {

namespace json = boost::json;

const std::regex kRedacted("^HRKU-[A-Za-z0-9_-]{4}\\*{10}[A-Za-z0-9_-]{4}$");

class HerokuAuthorizations : public ::testing::Test {
protected:
    HerokuAuthorizations() : client_(server_.port()) {
        token_ = server_.create_user_token("owner@example.com");
    }
    WireResponse call(const std::string& method, const std::string& target,
                      const std::string& body = "", const std::string& token = "") {
        return client_.send(method, target,
                            "Accept: application/vnd.heroku+json; version=3\r\n"
                            "Authorization: Bearer " +
                                (token.empty() ? token_ : token) +
                                "\r\nContent-Type: application/json\r\n",
                            body);
    }
    json::object create(const std::string& body = "{}") {
        auto r = call("POST", "/oauth/authorizations", body);
        EXPECT_EQ(r.status, 201) << r.body;
        return json::parse(r.body).as_object();
    }
    static std::string token_of(json::object& o) {
        return std::string(o["access_token"].as_object()["token"].as_string());
    }

    TestServer server_;
    Client client_;
    std::string token_;
};

TEST_F(HerokuAuthorizations, CreateMintsAPersonalTokenShownOnce) {
    auto r = call("POST", "/oauth/authorizations", "{}");
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(r.header("cache-control"), "no-store");
    auto o = json::parse(r.body).as_object();
    std::vector<std::string> keys;
    for (auto& kv : o) keys.emplace_back(kv.key());
    EXPECT_EQ(keys, (std::vector<std::string>{"access_token", "client", "created_at", "description",
                                              "grant", "id", "refresh_token", "scope", "session",
                                              "updated_at", "user"}));
    EXPECT_EQ(json::serialize(o["scope"]), R"(["global"])");
    EXPECT_EQ(o["description"], "");
    EXPECT_TRUE(o["client"].is_null());
    EXPECT_TRUE(o["access_token"].as_object()["expires_in"].is_null());
    EXPECT_EQ(o["user"].as_object()["email"], "owner@example.com");
    std::string minted = token_of(o);
    EXPECT_TRUE(minted.starts_with("HRKU-"));
    EXPECT_EQ(call("GET", "/oauth/clients", "", minted).status, 200);  // it works
    // Later reads show only the redacted form (D2).
    auto info =
        json::parse(call("GET", "/oauth/authorizations/" + std::string(o["id"].as_string())).body)
            .as_object();
    std::string shown = token_of(info);
    EXPECT_TRUE(std::regex_match(shown, kRedacted)) << shown;
    EXPECT_EQ(shown.substr(0, 9), minted.substr(0, 9));
    EXPECT_EQ(shown.substr(19), minted.substr(minted.size() - 4));
}

TEST_F(HerokuAuthorizations, CreateAcceptsWhatTheCliSends) {
    auto o = create(R"({"description":"For CI","expires_in":"3600","scope":["read","write"]})");
    EXPECT_EQ(o["description"], "For CI");
    EXPECT_EQ(json::serialize(o["scope"]), R"(["read","write"])");
    EXPECT_EQ(o["access_token"].as_object()["expires_in"], 3600);
    auto login = create(
        R"({"description":"Heroku CLI login from host","expires_in":2592000,"scope":["global"]})");
    EXPECT_EQ(login["access_token"].as_object()["expires_in"], 2592000);
}

TEST_F(HerokuAuthorizations, InvalidBodiesAre422AndCreateNothing) {
    for (auto body :
         {R"({"expires_in":"abc"})", R"({"expires_in":0})", R"({"expires_in":31536001})",
          R"({"scope":"global"})", R"({"scope":["root"]})", R"({"scope":[1]})",
          R"({"description":5})", R"({"client":"not-a-uuid"})", R"({"client":{"id":5}})"}) {
        auto r = call("POST", "/oauth/authorizations", body);
        EXPECT_EQ(r.status, 422) << body;
        EXPECT_EQ(json::parse(r.body).as_object()["id"], "invalid_params") << body;
    }
    auto list = json::parse(call("GET", "/oauth/authorizations").body).as_array();
    EXPECT_EQ(list.size(), 1u);  // only the fixture's own token
}

TEST_F(HerokuAuthorizations, ListPagesByIdAndShowsRedactedTokens) {
    for (int i = 0; i < 4; ++i) create(R"({"description":"n)" + std::to_string(i) + R"("})");
    std::vector<std::string> seen;
    std::string range = "id ]..; max=2";
    while (true) {
        auto r = client_.send("GET", "/oauth/authorizations",
                              "Authorization: Bearer " + token_ + "\r\nRange: " + range + "\r\n");
        auto page = json::parse(r.body);
        for (auto& item : page.as_array()) {
            auto o = item.as_object();
            seen.emplace_back(o["id"].as_string());
            EXPECT_TRUE(std::regex_match(token_of(o), kRedacted));
            EXPECT_TRUE(o["description"].is_string());
        }
        if (r.status == 200) break;
        ASSERT_EQ(r.status, 206);
        range = r.header("next-range");
    }
    EXPECT_EQ(seen.size(), 5u);
    EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
}

TEST_F(HerokuAuthorizations, TildeIsTheApiKeyAuthorization) {
    auto none = call("GET", "/oauth/authorizations/~");
    EXPECT_EQ(none.status, 404);
    EXPECT_EQ(
        none.body,
        R"({"id":"not_found","message":"Couldn't find that authorization.","resource":"authorization"})");
    auto owner = server_.app().users().find_by_email("owner@example.com");
    auto key = server_.app().authorizations().create_direct({owner->id, {}, "API Key", {}, true});
    ASSERT_TRUE(key.has_value());
    auto found = call("GET", "/oauth/authorizations/~");
    ASSERT_EQ(found.status, 200);
    EXPECT_EQ(json::parse(found.body).as_object()["id"].as_string(), key->authorization.id.uuid());
}

TEST_F(HerokuAuthorizations, UpdateRenamesAndOthersSeeNothing) {
    auto o = create(R"({"description":"old"})");
    std::string path = "/oauth/authorizations/" + std::string(o["id"].as_string());
    auto r = call("PATCH", path, R"({"description":"new"})");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(json::parse(r.body).as_object()["description"], "new");
    std::string stranger = server_.create_user_token("stranger@example.com");
    for (auto method : {"GET", "PATCH", "DELETE"}) {
        auto denied = call(
            method, path, method == std::string("PATCH") ? R"({"description":"x"})" : "", stranger);
        EXPECT_EQ(denied.status, 404) << method;
    }
    EXPECT_EQ(json::parse(call("GET", path).body).as_object()["description"], "new");
    EXPECT_EQ(call("GET", "/oauth/authorizations/not-an-id").status, 404);
}

TEST_F(HerokuAuthorizations, UpdateReassociatesWithAClientOnlyWithItsSecret) {
    auto c = json::parse(call("POST", "/oauth/clients",
                              R"({"name":"App","redirect_uri":"https://example.com/cb"})")
                             .body)
                 .as_object();
    std::string client_id(c["id"].as_string()), secret(c["secret"].as_string());
    auto o = create(R"({"description":"cli"})");
    std::string path = "/oauth/authorizations/" + std::string(o["id"].as_string());
    for (const auto& body :
         {std::string(R"({"client":{"id":")") + client_id + R"(","secret":"tcs_wrong"}})",
          std::string(R"({"client":{"id":")") + client_id + R"("}})",
          std::string(R"({"client":"not an object"})")}) {
        auto r = call("PATCH", path, body);
        EXPECT_EQ(r.status, 422) << body;
        EXPECT_EQ(json::parse(r.body).as_object()["id"], "invalid_params");
    }
    EXPECT_TRUE(json::parse(call("GET", path).body).as_object()["client"].is_null());
    auto r = call("PATCH", path,
                  R"({"description":"linked","client":{"id":")" + client_id + R"(","secret":")" +
                      secret + R"("}})");
    ASSERT_EQ(r.status, 200) << r.body;
    auto linked = json::parse(r.body).as_object();
    EXPECT_EQ(linked["description"], "linked");
    EXPECT_EQ(linked["client"].as_object()["id"].as_string(), client_id);
    EXPECT_EQ(linked["client"].as_object()["name"], "App");
    // Someone else's client, even with its secret, is not there for this user.
    std::string stranger = server_.create_user_token("stranger@example.com");
    auto theirs =
        json::parse(call("POST", "/oauth/clients",
                         R"({"name":"Theirs","redirect_uri":"https://e.com/cb"})", stranger)
                        .body)
            .as_object();
    auto denied =
        call("PATCH", path,
             R"({"client":{"id":")" + std::string(theirs["id"].as_string()) + R"(","secret":")" +
                 std::string(theirs["secret"].as_string()) + R"("}})");
    EXPECT_EQ(denied.status, 404);
    EXPECT_EQ(json::parse(denied.body).as_object()["resource"], "client");
}

TEST_F(HerokuAuthorizations, RegenerateReplacesTheTokenAtOnce) {
    auto o = create(R"({"expires_in":600})");
    std::string old_token = token_of(o);
    auto r = call("POST", "/oauth/authorizations/" + std::string(o["id"].as_string()) +
                              "/actions/regenerate-tokens");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("cache-control"), "no-store");
    auto fresh = json::parse(r.body).as_object();
    std::string new_token = token_of(fresh);
    EXPECT_NE(new_token, old_token);
    EXPECT_EQ(fresh["access_token"].as_object()["expires_in"], 600);  // same lifetime
    EXPECT_EQ(call("GET", "/oauth/clients", "", old_token).status, 401);
    EXPECT_EQ(call("GET", "/oauth/clients", "", new_token).status, 200);
}

TEST_F(HerokuAuthorizations, DeleteRevokesEverythingUnderIt) {
    auto o = create(R"({"description":"doomed"})");
    std::string minted = token_of(o);
    std::string path = "/oauth/authorizations/" + std::string(o["id"].as_string());
    auto r = call("DELETE", path);
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(json::parse(r.body).as_object()["description"], "doomed");  // the CLI prints it
    EXPECT_EQ(call("GET", "/oauth/clients", "", minted).status, 401);
    EXPECT_EQ(call("GET", path).status, 404);
    EXPECT_EQ(call("DELETE", path).status, 404);
}

TEST_F(HerokuAuthorizations, PasswordLoginMintsATokenOnlyOnCreate) {
    auto basic = [](const std::string& user, const std::string& password) {
        return "Authorization: Basic " + base64_encode(user + ":" + password) + "\r\n";
    };
    std::string login_body =
        R"({"description":"Heroku CLI login from host","expires_in":2592000,"scope":["global"]})";
    auto r = client_.send(
        "POST", "/oauth/authorizations",
        basic("owner@example.com", "correct horse battery") + "Content-Type: application/json\r\n",
        login_body);
    ASSERT_EQ(r.status, 201) << r.body;
    auto o = json::parse(r.body).as_object();
    EXPECT_EQ(o["user"].as_object()["email"], "owner@example.com");  // login -i reads it
    EXPECT_EQ(call("GET", "/account", "", token_of(o)).status, 200);

    auto wrong = client_.send("POST", "/oauth/authorizations",
                              basic("owner@example.com", "wrong password"), "{}");
    EXPECT_EQ(wrong.status, 401);
    EXPECT_EQ(wrong.body, R"({"id":"unauthorized","message":"Invalid credentials provided."})");
    // A password is accepted nowhere else.
    auto elsewhere =
        client_.send("GET", "/oauth/clients", basic("owner@example.com", "correct horse battery"));
    EXPECT_EQ(elsewhere.status, 401);
}

// On a clock that stands still, so no call refills the bucket however slowly
// the Argon2id checks run (sanitizers, a busy machine).
TEST(HerokuPasswordGuessing, IsRateLimitedPerAccount) {
    FakeClock clock;
    TestServer server({}, {"owner@example.com"}, &clock);
    Client client(server.port());
    auto attempt = [&](const std::string& password) {
        return client.send("POST", "/oauth/authorizations",
                           "Authorization: Basic " +
                               base64_encode("owner@example.com:" + password) + "\r\n",
                           "{}");
    };
    int limited_at = -1;
    for (int i = 0; i < 12 && limited_at < 0; ++i) {
        auto r = attempt("guess");
        if (r.status == 429)
            limited_at = i;
        else
            EXPECT_EQ(r.status, 401);
    }
    EXPECT_EQ(limited_at, 10);  // ten attempts per account, then a wait
    auto right = attempt("correct horse battery");
    EXPECT_EQ(right.status, 429);
    EXPECT_EQ(json::parse(right.body).as_object()["id"], "rate_limit");
    // The bucket refills one attempt every 6 s (10 a minute).
    clock.advance(6);
    EXPECT_EQ(attempt("correct horse battery").status, 201);
}

TEST_F(HerokuAuthorizations, DeletingATokenRevokesJustThatToken) {
    auto o = create(R"({"description":"keep me"})");
    std::string minted = token_of(o);
    std::string token_id(o["access_token"].as_object()["id"].as_string());
    std::string stranger = server_.create_user_token("stranger@example.com");
    auto denied = call("DELETE", "/oauth/tokens/" + token_id, "", stranger);
    EXPECT_EQ(denied.status, 404);
    EXPECT_EQ(call("GET", "/account", "", minted).status, 200);  // untouched

    auto r = call("DELETE", "/oauth/tokens/" + token_id);
    ASSERT_EQ(r.status, 200) << r.body;
    auto t = json::parse(r.body).as_object();
    EXPECT_EQ(t["id"].as_string(), token_id);
    EXPECT_TRUE(std::regex_match(std::string(t["access_token"].as_object()["token"].as_string()),
                                 kRedacted));
    EXPECT_EQ(t["authorization"].as_object()["id"], o["id"]);
    EXPECT_EQ(call("GET", "/account", "", minted).status, 401);
    auto again = call("DELETE", "/oauth/tokens/" + token_id);
    EXPECT_EQ(again.status, 404);
    EXPECT_EQ(json::parse(again.body).as_object()["resource"], "token");
    // The authorization itself stays (§4.3 revokes one token).
    EXPECT_EQ(call("GET", "/oauth/authorizations/" + std::string(o["id"].as_string())).status, 200);
}

TEST_F(HerokuAuthorizations, AccountDescribesTheCaller) {
    auto r = call("GET", "/account");
    ASSERT_EQ(r.status, 200);
    auto o = json::parse(r.body).as_object();
    EXPECT_EQ(o["email"], "owner@example.com");
    EXPECT_TRUE(o.contains("id") && o.contains("created_at") && o.contains("updated_at"));
    EXPECT_EQ(client_.send("GET", "/account").status, 401);
    // Heroku spec §7: identity reads the account; read and write do not.
    auto identity = server_.create_user_token("owner@example.com", {"identity"});
    EXPECT_EQ(call("GET", "/account", "", identity).status, 200);
    auto narrow = server_.create_user_token("owner@example.com", {"read", "write"});
    auto denied = call("GET", "/account", "", narrow);
    EXPECT_EQ(denied.status, 403);
    EXPECT_EQ(json::parse(denied.body).as_object()["id"], "forbidden");
    // An identity token cannot manage authorizations (global needed).
    EXPECT_EQ(call("GET", "/oauth/authorizations", "", identity).status, 403);
}

}  // namespace
}  // namespace tessera::testing
