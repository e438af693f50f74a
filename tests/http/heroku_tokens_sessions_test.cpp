// Wire tests for a client's authorization (Heroku spec §3.2 with `client`,
// §3.1, §3.7), POST /oauth/tokens (§4.2) and OAuth sessions (§5), against the
// real server on loopback.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <regex>

#include "base/encoding.hpp"
#include "support/http_client.hpp"
#include "support/test_server.hpp"

namespace tessera::testing {
namespace {

namespace json = boost::json;

const std::regex kUuid("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");
const std::regex kRedacted("^[A-Za-z0-9_-]{9}\\*{10}[A-Za-z0-9_-]{4}$");
const std::string kGenericFailure =
    R"({"id":"unauthorized","message":"Invalid OAuth credentials: the grant code, refresh token )"
    R"(or client secret is invalid, expired or revoked."})";
const std::string kNoSession =
    R"({"id":"not_found","message":"Couldn't find that session.","resource":"session"})";

std::vector<std::string> keys_of(const json::object& o) {
    std::vector<std::string> keys;
    for (const auto& kv : o) keys.emplace_back(kv.key());
    return keys;
}

std::string str(const json::value& v) { return std::string(v.as_string()); }

// A session as the API flow starts it: the tokens and the ids they name.
struct Started {
    std::string access_token;
    std::string refresh_token;
    std::string session_id;
    std::string authorization_id;
};

class HerokuTokensSessions : public ::testing::Test {
protected:
    explicit HerokuTokensSessions(app::Config config = {})
        : server_(config), wire_(server_.port()) {
        token_ = server_.create_user_token("owner@example.com");
        auto c = json::parse(call("POST", "/oauth/clients",
                                  R"({"name":"Amazing","redirect_uri":"https://example.com/cb"})")
                                 .body)
                     .as_object();
        client_id_ = str(c["id"]);
        secret_ = str(c["secret"]);
    }

    WireResponse call(const std::string& method, const std::string& target,
                      const std::string& body = "", const std::string& token = "") {
        return wire_.send(method, target,
                          "Accept: application/vnd.heroku+json; version=3\r\n"
                          "Authorization: Bearer " +
                              (token.empty() ? token_ : token) +
                              "\r\nContent-Type: application/json\r\n",
                          body);
    }

    // POST /oauth/tokens as heroku-client built without a token sends it:
    // `Basic :undefined` and Range on every request.
    WireResponse tokens(const std::string& body) {
        return wire_.send("POST", "/oauth/tokens",
                          "Accept: application/vnd.heroku+json; version=3\r\n"
                          "Authorization: Basic " +
                              base64_encode(std::string(":undefined")) +
                              "\r\nContent-Type: application/json\r\nRange: id ]..; max=1000\r\n",
                          body);
    }

    // §3.2 with `client`: returns the created authorization object.
    json::object authorize(const std::string& scope = R"(["global"])",
                           const std::string& token = "") {
        auto r = call("POST", "/oauth/authorizations",
                      R"({"client":")" + client_id_ + R"(","scope":)" + scope + "}", token);
        EXPECT_EQ(r.status, 201) << r.body;
        return json::parse(r.body).as_object();
    }

    std::string code_body(const std::string& code, const std::string& secret = "") {
        return R"({"grant":{"type":"authorization_code","code":")" + code +
               R"("},"client":{"secret":")" + (secret.empty() ? secret_ : secret) + R"("}})";
    }
    std::string refresh_body(const std::string& refresh) {
        return R"({"grant":{"type":"refresh_token"},"refresh_token":{"token":")" + refresh +
               R"("},"client":{"secret":")" + secret_ + R"("}})";
    }

    Started start_session(const std::string& scope = R"(["global"])") {
        auto a = authorize(scope);
        auto r = tokens(code_body(str(a["grant"].as_object()["code"])));
        EXPECT_EQ(r.status, 201) << r.body;
        auto t = json::parse(r.body).as_object();
        return {str(t["access_token"].as_object()["token"]),
                str(t["refresh_token"].as_object()["token"]), str(t["session"].as_object()["id"]),
                str(t["authorization"].as_object()["id"])};
    }

    TestServer server_;
    Client wire_;
    std::string token_;
    std::string client_id_;
    std::string secret_;
};

// -- §3.2 with `client`.

TEST_F(HerokuTokensSessions, CreateWithAClientReturnsItsGrantOnce) {
    auto r = call("POST", "/oauth/authorizations",
                  R"({"client":")" + client_id_ + R"(","scope":["read"]})");
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(r.header("cache-control"), "no-store");
    auto o = json::parse(r.body).as_object();
    EXPECT_EQ(keys_of(o), (std::vector<std::string>{"access_token", "client", "created_at",
                                                    "description", "grant", "id", "refresh_token",
                                                    "scope", "session", "updated_at", "user"}));
    EXPECT_TRUE(o["access_token"].is_null());
    EXPECT_TRUE(o["refresh_token"].is_null());
    EXPECT_TRUE(o["session"].is_null());
    EXPECT_EQ(json::serialize(o["scope"]), R"(["read"])");
    EXPECT_EQ(o["description"], "Amazing");  // the standing grant is named after its client
    EXPECT_EQ(json::serialize(o["client"]),
              R"({"id":")" + client_id_ +
                  R"(","name":"Amazing","redirect_uri":"https://example.com/cb"})");
    auto grant = o["grant"].as_object();
    EXPECT_EQ(keys_of(grant), (std::vector<std::string>{"code", "expires_in", "id"}));
    EXPECT_FALSE(str(grant["code"]).empty());
    EXPECT_EQ(grant["expires_in"], 60);
    EXPECT_TRUE(std::regex_match(str(grant["id"]), kUuid));
    EXPECT_EQ(o["user"].as_object()["email"], "owner@example.com");

    // Later reads never show the code again; there is no session yet.
    std::string path = "/oauth/authorizations/" + str(o["id"]);
    auto info = json::parse(call("GET", path).body).as_object();
    EXPECT_TRUE(info["grant"].is_null());
    EXPECT_TRUE(info["session"].is_null());
    EXPECT_TRUE(info["access_token"].is_null());
    EXPECT_EQ(info["client"], o["client"]);

    // {"id": uuid} works too, and widens the same standing grant.
    auto again = call("POST", "/oauth/authorizations",
                      R"({"client":{"id":")" + client_id_ + R"("},"scope":["identity"]})");
    ASSERT_EQ(again.status, 201) << again.body;
    auto widened = json::parse(again.body).as_object();
    EXPECT_EQ(widened["id"], o["id"]);
    EXPECT_EQ(json::serialize(widened["scope"]), R"(["read","identity"])");
    EXPECT_NE(widened["grant"].as_object()["code"], grant["code"]);
}

TEST_F(HerokuTokensSessions, CreateWithAClientIsRefusedWithTheRightError) {
    auto unknown = call("POST", "/oauth/authorizations",
                        R"({"client":"01234567-89ab-cdef-0123-456789abcdef"})");
    EXPECT_EQ(unknown.status, 404);
    EXPECT_EQ(
        unknown.body,
        R"({"id":"not_found","message":"Couldn't find that OAuth client.","resource":"client"})");
    for (auto body : {R"({"client":"not-a-uuid"})", R"({"client":{"id":5}})", R"({"client":5})",
                      R"({"client":{}})"}) {
        auto r = call("POST", "/oauth/authorizations", body);
        EXPECT_EQ(r.status, 422) << body;
        EXPECT_EQ(json::parse(r.body).as_object()["id"], "invalid_params") << body;
    }
    auto unknown_scope = call("POST", "/oauth/authorizations",
                              R"({"client":")" + client_id_ + R"(","scope":["root"]})");
    EXPECT_EQ(unknown_scope.status, 422);
    EXPECT_EQ(unknown_scope.body, R"({"id":"invalid_params","message":"unknown scope 'root'"})");
    // Nothing was recorded by the refusals: only the fixture's own token.
    EXPECT_EQ(json::parse(call("GET", "/oauth/authorizations").body).as_array().size(), 1u);
}

TEST_F(HerokuTokensSessions, AReadTokenCannotGrantGlobal) {
    std::string read = server_.create_user_token("owner@example.com", {"read"});
    // A read token cannot manage authorizations at all (global needed, §1.2)...
    auto denied = call("POST", "/oauth/authorizations",
                       R"({"client":")" + client_id_ + R"(","scope":["global"]})", read);
    EXPECT_EQ(denied.status, 403);
    EXPECT_EQ(json::parse(denied.body).as_object()["id"], "forbidden");
    // ...and a session token of a `read` grant cannot either, nor mint `global`.
    auto session = start_session(R"(["read"])");
    auto wider =
        call("POST", "/oauth/authorizations",
             R"({"client":")" + client_id_ + R"(","scope":["global"]})", session.access_token);
    EXPECT_EQ(wider.status, 403);
    EXPECT_EQ(json::parse(wider.body).as_object()["id"], "forbidden");
}

TEST_F(HerokuTokensSessions, AGlobalCredentialCannotBeUsedToGrantBeyondIt) {
    // Password sign-in counts as global; a global caller may grant anything.
    auto basic = "Authorization: Basic " +
                 base64_encode(std::string("owner@example.com:correct horse battery")) + "\r\n";
    auto r = wire_.send("POST", "/oauth/authorizations", basic,
                        R"({"client":")" + client_id_ + R"(","scope":["write"]})");
    EXPECT_EQ(r.status, 201) << r.body;
}

TEST_F(HerokuTokensSessions, AnyUserMayAuthorizeAnotherUsersClient) {
    std::string stranger = server_.create_user_token("stranger@example.com");
    auto o = authorize(R"(["identity"])", stranger);
    EXPECT_EQ(o["user"].as_object()["email"], "stranger@example.com");
    EXPECT_EQ(str(o["client"].as_object()["id"]), client_id_);
    // The owner of the client does not see the stranger's authorization.
    std::string path = "/oauth/authorizations/" + str(o["id"]);
    EXPECT_EQ(call("GET", path).status, 404);
    EXPECT_EQ(call("GET", path, "", stranger).status, 200);
}

// -- §4.2 POST /oauth/tokens.

TEST_F(HerokuTokensSessions, ACodeIsExchangedForTheTokenObject) {
    auto a = authorize();
    auto r = tokens(code_body(str(a["grant"].as_object()["code"])));
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(r.header("cache-control"), "no-store");
    EXPECT_EQ(r.header("content-type"), "application/json; charset=utf-8");
    EXPECT_FALSE(r.has_header("next-range"));
    auto t = json::parse(r.body).as_object();
    EXPECT_EQ(keys_of(t), (std::vector<std::string>{"access_token", "authorization", "client",
                                                    "created_at", "grant", "id", "refresh_token",
                                                    "session", "updated_at", "user"}));
    auto access = t["access_token"].as_object();
    EXPECT_EQ(keys_of(access), (std::vector<std::string>{"expires_in", "id", "token"}));
    EXPECT_EQ(access["expires_in"], 28800);
    EXPECT_EQ(t["id"], access["id"]);
    auto refresh = t["refresh_token"].as_object();
    EXPECT_EQ(keys_of(refresh), (std::vector<std::string>{"expires_in", "id", "token"}));
    EXPECT_TRUE(refresh["expires_in"].is_null());  // refresh tokens do not expire (Heroku)
    EXPECT_TRUE(std::regex_match(str(refresh["id"]), kUuid));
    EXPECT_EQ(json::serialize(t["authorization"]), R"({"id":")" + str(a["id"]) + R"("})");
    EXPECT_TRUE(t["client"].is_null());
    EXPECT_EQ(json::serialize(t["grant"]), R"({"type":"authorization_code"})");
    EXPECT_TRUE(std::regex_match(str(t["session"].as_object()["id"]), kUuid));
    EXPECT_EQ(t["user"].as_object()["id"], a["user"].as_object()["id"]);
    EXPECT_EQ(t["created_at"], t["updated_at"]);

    // The token acts for the user.
    std::string token = str(access["token"]);
    auto account = call("GET", "/account", "", token);
    EXPECT_EQ(account.status, 200);
    EXPECT_EQ(json::parse(account.body).as_object()["email"], "owner@example.com");

    // §3.1: the client's authorization now shows its session and tokens, redacted.
    auto info = json::parse(call("GET", "/oauth/authorizations/" + str(a["id"])).body).as_object();
    EXPECT_EQ(info["session"], t["session"]);
    auto shown_access = info["access_token"].as_object();
    EXPECT_EQ(shown_access["id"], access["id"]);
    std::string masked = str(shown_access["token"]);
    EXPECT_TRUE(std::regex_match(masked, kRedacted)) << masked;
    EXPECT_EQ(masked.substr(0, 9), token.substr(0, 9));
    EXPECT_EQ(masked.substr(19), token.substr(token.size() - 4));
    auto shown_refresh = info["refresh_token"].as_object();
    EXPECT_EQ(shown_refresh["id"], refresh["id"]);
    EXPECT_TRUE(shown_refresh["expires_in"].is_null());
    std::string refresh_masked = str(shown_refresh["token"]);
    EXPECT_TRUE(std::regex_match(refresh_masked, kRedacted)) << refresh_masked;
    EXPECT_EQ(refresh_masked.substr(0, 9), str(refresh["token"]).substr(0, 9));
    EXPECT_TRUE(info["grant"].is_null());
    EXPECT_EQ(str(info["client"].as_object()["id"]), client_id_);
}

TEST_F(HerokuTokensSessions, ARefreshTokenYieldsANewAccessTokenInTheSameSession) {
    Started s = start_session();
    auto r = tokens(refresh_body(s.refresh_token));
    ASSERT_EQ(r.status, 201) << r.body;
    auto t = json::parse(r.body).as_object();
    EXPECT_EQ(json::serialize(t["grant"]), R"({"type":"refresh_token"})");
    std::string fresh = str(t["access_token"].as_object()["token"]);
    EXPECT_NE(fresh, s.access_token);
    // D3: a client registered on this surface keeps a stable refresh token.
    EXPECT_EQ(str(t["refresh_token"].as_object()["token"]), s.refresh_token);
    EXPECT_EQ(str(t["session"].as_object()["id"]), s.session_id);
    EXPECT_EQ(str(t["authorization"].as_object()["id"]), s.authorization_id);
    EXPECT_EQ(call("GET", "/account", "", fresh).status, 200);
    EXPECT_EQ(call("GET", "/account", "", s.access_token).status, 200);  // both live
    // The authorization shows one access token of its session: the newest,
    // though times are whole seconds, so within one second either may show.
    auto info =
        json::parse(call("GET", "/oauth/authorizations/" + s.authorization_id).body).as_object();
    std::string shown = str(info["access_token"].as_object()["token"]);
    EXPECT_TRUE(shown.substr(0, 9) == fresh.substr(0, 9) ||
                shown.substr(0, 9) == s.access_token.substr(0, 9))
        << shown;
    EXPECT_EQ(str(info["session"].as_object()["id"]), s.session_id);
}

TEST_F(HerokuTokensSessions, ACodeReplayFailsAndRevokesTheFirstExchange) {
    auto a = authorize();
    std::string code = str(a["grant"].as_object()["code"]);
    auto first = tokens(code_body(code));
    ASSERT_EQ(first.status, 201) << first.body;
    auto t = json::parse(first.body).as_object();
    std::string token = str(t["access_token"].as_object()["token"]);
    std::string refresh = str(t["refresh_token"].as_object()["token"]);
    std::string session = "/oauth/sessions/" + str(t["session"].as_object()["id"]);
    ASSERT_EQ(call("GET", "/account", "", token).status, 200);
    ASSERT_EQ(call("GET", session).status, 200);

    auto replay = tokens(code_body(code));
    EXPECT_EQ(replay.status, 401);
    EXPECT_EQ(replay.body, kGenericFailure);
    EXPECT_EQ(call("GET", "/account", "", token).status, 401);
    EXPECT_EQ(tokens(refresh_body(refresh)).body, kGenericFailure);
    EXPECT_EQ(call("GET", session).body, kNoSession);
}

TEST_F(HerokuTokensSessions, EveryCredentialFailureIsOneGeneric401) {
    auto a = authorize();
    std::string code = str(a["grant"].as_object()["code"]);
    std::string code_only = R"({"grant":{"type":"authorization_code","code":")" + code + R"("}})";
    for (const auto& body :
         {code_body(code, "tcs_" + std::string(40, 'x')),  // wrong secret
          code_only,                                       // no secret
          code_only.substr(0, code_only.size() - 1) + R"(,"client":{"secret":""}})",
          code_body("tac_not-a-real-code"), code_body("garbage"),
          refresh_body("trt_not-a-real-token"), refresh_body(code)}) {
        auto r = tokens(body);
        EXPECT_EQ(r.status, 401) << body;
        EXPECT_EQ(r.body, kGenericFailure) << body;
        EXPECT_EQ(r.header("cache-control"), "no-store");
    }
    // A wrong secret proves nothing and burns nothing: the code still works.
    auto right = tokens(code_body(code));
    EXPECT_EQ(right.status, 201) << right.body;

    // Another client's secret does not open this client's code.
    auto other = json::parse(call("POST", "/oauth/clients",
                                  R"({"name":"Other","redirect_uri":"https://other.example/cb"})")
                                 .body)
                     .as_object();
    auto b = authorize();
    auto crossed = tokens(code_body(str(b["grant"].as_object()["code"]), str(other["secret"])));
    EXPECT_EQ(crossed.status, 401);
    EXPECT_EQ(crossed.body, kGenericFailure);
}

TEST_F(HerokuTokensSessions, MalformedTokenRequestsAre422) {
    for (auto body : {
             R"({})",
             R"({"grant":"authorization_code"})",
             R"({"grant":{}})",
             R"({"grant":{"type":5}})",
             R"({"grant":{"type":"password"}})",
             R"({"grant":{"type":"client_credentials"},"client":{"secret":"x"}})",
             R"({"grant":{"type":"authorization_code"}})",
             R"({"grant":{"type":"authorization_code","code":5}})",
             R"({"grant":{"type":"refresh_token"}})",
             R"({"grant":{"type":"refresh_token"},"refresh_token":"trt_x"})",
             R"({"grant":{"type":"refresh_token"},"refresh_token":{"token":true}})",
             R"({"grant":{"type":"authorization_code","code":"x"},"client":"secret"})",
             R"({"grant":{"type":"authorization_code","code":"x"},"client":{"secret":1}})",
         }) {
        auto r = tokens(body);
        EXPECT_EQ(r.status, 422) << body;
        EXPECT_EQ(json::parse(r.body).as_object()["id"], "invalid_params") << body;
    }
    EXPECT_EQ(
        tokens(R"({"grant":{"type":"password"}})").body,
        R"({"id":"invalid_params","message":"grant.type must be authorization_code or refresh_token"})");
    EXPECT_EQ(tokens(R"({"grant":{"type":"authorization_code"}})").body,
              R"({"id":"invalid_params","message":"grant.code is required"})");
    EXPECT_EQ(tokens("[1]").status, 400);
    EXPECT_EQ(tokens("{").status, 400);
}

TEST_F(HerokuTokensSessions, NoAuthorizationHeaderIsNeeded) {
    auto a = authorize();
    auto r = wire_.send("POST", "/oauth/tokens", "Content-Type: application/json\r\n",
                        code_body(str(a["grant"].as_object()["code"])));
    EXPECT_EQ(r.status, 201) << r.body;
    EXPECT_TRUE(r.has_header("ratelimit-remaining"));
}

TEST_F(HerokuTokensSessions, DeletingOneTokenOfASessionLeavesTheSession) {
    auto a = authorize();
    auto t = json::parse(tokens(code_body(str(a["grant"].as_object()["code"]))).body).as_object();
    std::string token = str(t["access_token"].as_object()["token"]);
    auto r = call("DELETE", "/oauth/tokens/" + str(t["id"]));
    ASSERT_EQ(r.status, 200) << r.body;
    auto deleted = json::parse(r.body).as_object();
    EXPECT_EQ(deleted["session"], t["session"]);
    EXPECT_EQ(deleted["authorization"], t["authorization"]);
    EXPECT_TRUE(std::regex_match(str(deleted["access_token"].as_object()["token"]), kRedacted));
    EXPECT_EQ(call("GET", "/account", "", token).status, 401);
    // §4.3 revokes one token: the session's refresh token still works.
    EXPECT_EQ(tokens(refresh_body(str(t["refresh_token"].as_object()["token"]))).status, 201);
}

// -- §3.1, §3.7 on a client's authorization.

TEST_F(HerokuTokensSessions, RegenerateIsForbiddenForAClientsAuthorization) {
    Started s = start_session();
    auto r =
        call("POST", "/oauth/authorizations/" + s.authorization_id + "/actions/regenerate-tokens");
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(
        r.body,
        R"({"id":"forbidden","message":"Only direct authorizations can regenerate their tokens here."})");
    EXPECT_EQ(call("GET", "/account", "", s.access_token).status, 200);  // untouched
}

TEST_F(HerokuTokensSessions, DeletingAClientsAuthorizationEndsItsSessions) {
    Started s = start_session();
    // The client's resource server asks about the token (RFC 7662).
    auto introspect = [&](const std::string& token) {
        auto r = wire_.send("POST", "/oauth/introspect",
                            "Content-Type: application/x-www-form-urlencoded\r\n"
                            "Authorization: Basic " +
                                base64_encode(client_id_ + ":" + secret_) + "\r\n",
                            "token=" + token);
        EXPECT_EQ(r.status, 200) << r.body;
        return json::parse(r.body).as_object()["active"].as_bool();
    };
    EXPECT_TRUE(introspect(s.access_token));
    EXPECT_TRUE(introspect(s.refresh_token));
    auto r = call("DELETE", "/oauth/authorizations/" + s.authorization_id);
    ASSERT_EQ(r.status, 200) << r.body;
    auto o = json::parse(r.body).as_object();
    EXPECT_EQ(str(o["session"].as_object()["id"]), s.session_id);  // as it was
    EXPECT_EQ(call("GET", "/account", "", s.access_token).status, 401);
    EXPECT_EQ(tokens(refresh_body(s.refresh_token)).body, kGenericFailure);
    EXPECT_EQ(call("GET", "/oauth/sessions/" + s.session_id).status, 404);
    // Revoked everywhere: the API above, and introspection.
    EXPECT_FALSE(introspect(s.access_token));
    EXPECT_FALSE(introspect(s.refresh_token));
}

TEST_F(HerokuTokensSessions, AnotherUsersClientAuthorizationIsNotThere) {
    Started s = start_session();
    std::string stranger = server_.create_user_token("stranger@example.com");
    std::string path = "/oauth/authorizations/" + s.authorization_id;
    for (auto method : {"GET", "DELETE"}) EXPECT_EQ(call(method, path, "", stranger).status, 404);
    auto rotate = call("POST", path + "/actions/regenerate-tokens", "", stranger);
    EXPECT_EQ(rotate.status, 404);
    EXPECT_EQ(call("GET", "/account", "", s.access_token).status, 200);
}

// -- §5 sessions.

TEST_F(HerokuTokensSessions, SessionsAreListedPagedAndDescribed) {
    EXPECT_EQ(call("GET", "/oauth/sessions").body, "[]");
    std::vector<std::string> ids;
    for (int i = 0; i < 3; ++i) ids.push_back(start_session().session_id);
    std::sort(ids.begin(), ids.end());

    auto all = call("GET", "/oauth/sessions");
    ASSERT_EQ(all.status, 200) << all.body;
    EXPECT_EQ(all.header("accept-ranges"), "id");
    auto items = json::parse(all.body).as_array();
    ASSERT_EQ(items.size(), 3u);
    auto first = items[0].as_object();
    EXPECT_EQ(keys_of(first), (std::vector<std::string>{"created_at", "description", "expires_in",
                                                        "id", "updated_at"}));
    EXPECT_EQ(first["description"], "Amazing");
    EXPECT_TRUE(first["expires_in"].is_null());

    std::vector<std::string> seen;
    std::string range = "id ]..; max=2";
    for (int pages = 0; pages < 5; ++pages) {
        auto r = wire_.send("GET", "/oauth/sessions",
                            "Authorization: Bearer " + token_ + "\r\nRange: " + range + "\r\n");
        auto page = json::parse(r.body);
        for (auto& item : page.as_array()) seen.push_back(str(item.as_object()["id"]));
        if (r.status == 200) {
            EXPECT_FALSE(r.has_header("next-range"));
            break;
        }
        ASSERT_EQ(r.status, 206);
        range = r.header("next-range");
    }
    EXPECT_EQ(seen, ids);
    auto bad = wire_.send("GET", "/oauth/sessions",
                          "Authorization: Bearer " + token_ + "\r\nRange: name ..\r\n");
    EXPECT_EQ(bad.status, 416);

    auto info = call("GET", "/oauth/sessions/" + ids[1]);
    ASSERT_EQ(info.status, 200);
    EXPECT_EQ(json::parse(info.body), items[1]);
    EXPECT_TRUE(info.has_header("etag"));
}

TEST_F(HerokuTokensSessions, TildeIsThePresentingTokensSession) {
    Started s = start_session();
    auto r = call("GET", "/oauth/sessions/~", "", s.access_token);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(str(json::parse(r.body).as_object()["id"]), s.session_id);
    // A direct authorization's token has no session.
    auto none = call("GET", "/oauth/sessions/~");
    EXPECT_EQ(none.status, 404);
    EXPECT_EQ(none.body, kNoSession);
    auto none_deleted = call("DELETE", "/oauth/sessions/~");
    EXPECT_EQ(none_deleted.status, 404);
    EXPECT_EQ(none_deleted.body, kNoSession);
    EXPECT_EQ(call("GET", "/oauth/sessions/not-an-id").body, kNoSession);
}

TEST_F(HerokuTokensSessions, DeletingASessionRevokesEveryTokenInIt) {
    Started doomed = start_session();
    Started kept = start_session();
    auto refreshed = tokens(refresh_body(doomed.refresh_token));
    ASSERT_EQ(refreshed.status, 201);
    std::string second =
        str(json::parse(refreshed.body).as_object()["access_token"].as_object()["token"]);

    auto r = call("DELETE", "/oauth/sessions/" + doomed.session_id);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(str(json::parse(r.body).as_object()["id"]), doomed.session_id);
    EXPECT_EQ(call("GET", "/account", "", doomed.access_token).status, 401);
    EXPECT_EQ(call("GET", "/account", "", second).status, 401);
    EXPECT_EQ(tokens(refresh_body(doomed.refresh_token)).body, kGenericFailure);
    EXPECT_EQ(call("DELETE", "/oauth/sessions/" + doomed.session_id).body, kNoSession);
    EXPECT_EQ(call("GET", "/account", "", kept.access_token).status, 200);
    // The authorization stays, now showing the session that is left.
    auto info = json::parse(call("GET", "/oauth/authorizations/" + doomed.authorization_id).body)
                    .as_object();
    EXPECT_EQ(str(info["session"].as_object()["id"]), kept.session_id);
}

TEST_F(HerokuTokensSessions, DeletingTildeLogsTheTokenOut) {
    Started s = start_session();
    auto r = call("DELETE", "/oauth/sessions/~", "", s.access_token);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(str(json::parse(r.body).as_object()["id"]), s.session_id);
    auto after = call("DELETE", "/oauth/sessions/~", "", s.access_token);
    EXPECT_EQ(after.status, 401);  // the CLI's logout treats this as done
}

TEST_F(HerokuTokensSessions, AnotherUsersSessionIsNotThere) {
    Started s = start_session();
    std::string stranger = server_.create_user_token("stranger@example.com");
    std::string path = "/oauth/sessions/" + s.session_id;
    for (auto method : {"GET", "DELETE"}) {
        auto r = call(method, path, "", stranger);
        EXPECT_EQ(r.status, 404) << method;
        EXPECT_EQ(r.body, kNoSession) << method;
    }
    EXPECT_EQ(call("GET", "/oauth/sessions", "", stranger).body, "[]");
    EXPECT_EQ(call("GET", "/account", "", s.access_token).status, 200);
}

TEST_F(HerokuTokensSessions, SessionsNeedTheGlobalScope) {
    std::string identity = server_.create_user_token("owner@example.com", {"identity"});
    for (auto [method, path] :
         {std::pair{"GET", "/oauth/sessions"}, std::pair{"GET", "/oauth/sessions/~"},
          std::pair{"DELETE", "/oauth/sessions/~"}}) {
        auto r = call(method, path, "", identity);
        EXPECT_EQ(r.status, 403) << method << " " << path;
    }
    EXPECT_EQ(wire_.send("GET", "/oauth/sessions").status, 401);
}

class HerokuExpiringSessions : public HerokuTokensSessions {
protected:
    static app::Config config() {
        app::Config c;
        c.refresh_token_ttl = 3600;
        return c;
    }
    HerokuExpiringSessions() : HerokuTokensSessions(config()) {}
};

TEST_F(HerokuExpiringSessions, ExpiresInCountsDownTheSessionsLife) {
    auto a = authorize();
    auto r = tokens(code_body(str(a["grant"].as_object()["code"])));
    ASSERT_EQ(r.status, 201) << r.body;
    auto t = json::parse(r.body).as_object();
    auto in = t["refresh_token"].as_object()["expires_in"].as_int64();
    EXPECT_TRUE(in > 3590 && in <= 3600) << in;
    auto session =
        json::parse(call("GET", "/oauth/sessions/" + str(t["session"].as_object()["id"])).body)
            .as_object();
    in = session["expires_in"].as_int64();
    EXPECT_TRUE(in > 3590 && in <= 3600) << in;
}

}  // namespace
}  // namespace tessera::testing
