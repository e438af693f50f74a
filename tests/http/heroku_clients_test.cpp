// Wire tests for the Heroku OAuth Clients API (Heroku spec §1, §2) against the
// real server on loopback, asserting status, headers and bodies.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <regex>
#include <set>

#include "base/encoding.hpp"
#include "support/http_client.hpp"
#include "support/test_server.hpp"

namespace tessera::testing {
namespace {

namespace json = boost::json;

const std::regex kUuid("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");
const std::regex kDatetime("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$");
constexpr const char* kAccept = "Accept: application/vnd.heroku+json; version=3\r\n";
constexpr const char* kJson = "Content-Type: application/json\r\n";

class HerokuClients : public ::testing::Test {
protected:
    HerokuClients() : client_(server_.port()) {
        token_ = server_.create_user_token("owner@example.com");
    }

    std::string auth(const std::string& token) const {
        return "Authorization: Bearer " + token + "\r\n";
    }
    WireResponse call(const std::string& method, const std::string& target,
                      const std::string& body = "", const std::string& extra = "") {
        return client_.send(method, target, kAccept + auth(token_) + kJson + extra, body);
    }
    json::object create(const std::string& name,
                        const std::string& uri = "https://example.com/cb") {
        auto r = call("POST", "/oauth/clients",
                      json::serialize(json::object{{"name", name}, {"redirect_uri", uri}}));
        EXPECT_EQ(r.status, 201) << r.body;
        return json::parse(r.body).as_object();
    }
    std::size_t count_clients() {
        auto r = call("GET", "/oauth/clients", "", "Range: id ..; max=1000\r\n");
        EXPECT_EQ(r.status, 200);
        return json::parse(r.body).as_array().size();
    }

    TestServer server_;
    Client client_;
    std::string token_;
};

TEST_F(HerokuClients, CreateReturns201WithTheClientAndItsSecretOnce) {
    auto r =
        call("POST", "/oauth/clients",
             R"({"name":"Amazing","redirect_uri":"https://example.com/auth/heroku/callback"})");
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(r.header("content-type"), "application/json; charset=utf-8");
    EXPECT_EQ(r.header("cache-control"), "no-store");
    EXPECT_TRUE(std::regex_match(r.header("request-id"), kUuid));
    EXPECT_FALSE(r.header("ratelimit-remaining").empty());
    auto o = json::parse(r.body).as_object();
    std::vector<std::string> keys;
    for (auto& kv : o) keys.emplace_back(kv.key());
    EXPECT_EQ(keys, (std::vector<std::string>{"created_at", "id", "ignores_delinquent", "name",
                                              "redirect_uri", "secret", "updated_at"}));
    EXPECT_TRUE(std::regex_match(std::string(o["id"].as_string()), kUuid));
    EXPECT_TRUE(std::regex_match(std::string(o["created_at"].as_string()), kDatetime));
    EXPECT_EQ(o["name"], "Amazing");
    EXPECT_TRUE(o["ignores_delinquent"].is_null());
    EXPECT_TRUE(std::string(o["secret"].as_string()).starts_with("tcs_"));

    auto info = call("GET", "/oauth/clients/" + std::string(o["id"].as_string()));
    ASSERT_EQ(info.status, 200);
    EXPECT_FALSE(json::parse(info.body).as_object().contains("secret"));
    EXPECT_EQ(info.body.find(std::string(o["secret"].as_string())), std::string::npos);
}

TEST_F(HerokuClients, RedirectUriRulesMatchWhatTheCliAllows) {
    for (auto uri : {"https://example.com/cb", "http://localhost:3000/cb", "http://app.local/cb",
                     "http://127.0.0.1:8080/cb", "http://10.0.0.1/cb", "http://192.168.1.2/cb"}) {
        auto r = call("POST", "/oauth/clients",
                      json::serialize(json::object{{"name", "x"}, {"redirect_uri", uri}}));
        EXPECT_EQ(r.status, 201) << uri << ' ' << r.body;
    }
    for (auto uri : {"http://example.com/cb", "https://example.com/cb#frag", "/relative",
                     "https://user:pw@example.com/", "not a uri", "", "javascript:alert(1)"}) {
        auto r = call("POST", "/oauth/clients",
                      json::serialize(json::object{{"name", "x"}, {"redirect_uri", uri}}));
        EXPECT_EQ(r.status, 422) << uri;
        auto o = json::parse(r.body).as_object();
        EXPECT_EQ(o["id"], "invalid_params");
        EXPECT_NE(std::string(o["message"].as_string()).find("redirect_uri"), std::string::npos);
    }
}

TEST_F(HerokuClients, MissingOrInvalidCredentialsGet401WithAJsonBody) {
    auto none = client_.send("GET", "/oauth/clients", kAccept);
    EXPECT_EQ(none.status, 401);
    EXPECT_EQ(none.body, R"({"id":"unauthorized","message":"Invalid credentials provided."})");
    auto forged = client_.send("GET", "/oauth/clients", kAccept + auth("HRKU-forged"));
    EXPECT_EQ(forged.status, 401);
    EXPECT_EQ(forged.body, none.body);
    auto basic_junk = client_.send("GET", "/oauth/clients",
                                   std::string(kAccept) + "Authorization: Basic %%%\r\n");
    EXPECT_EQ(basic_junk.status, 401);
}

TEST_F(HerokuClients, BasicAuthCarriesTheTokenAsPassword) {
    for (auto user : {"", "owner@example.com"}) {
        auto header =
            "Authorization: Basic " + base64_encode(std::string(user) + ":" + token_) + "\r\n";
        auto r = client_.send("GET", "/oauth/clients", kAccept + header);
        EXPECT_EQ(r.status, 200) << user;
    }
}

TEST_F(HerokuClients, TokensWithoutGlobalScopeAreForbidden) {
    auto narrow = server_.create_user_token("owner@example.com", {"read"});
    auto r = client_.send("GET", "/oauth/clients", kAccept + auth(narrow));
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(json::parse(r.body).as_object()["id"], "forbidden");
}

TEST_F(HerokuClients, AcceptSelectsVersion3OrAnswers406) {
    for (auto accept : {"", "Accept: */*\r\n", "Accept: application/json\r\n",
                        "Accept: application/vnd.heroku+json; version=3.foo\r\n"}) {
        auto r = client_.send("GET", "/oauth/clients", accept + auth(token_));
        EXPECT_EQ(r.status, 200) << accept;
    }
    auto r = client_.send("GET", "/oauth/clients",
                          "Accept: application/vnd.heroku+json; version=2\r\n" + auth(token_));
    EXPECT_EQ(r.status, 406);
    EXPECT_EQ(json::parse(r.body).as_object()["id"], "not_acceptable");
}

TEST_F(HerokuClients, InfoAcceptsBothIdFormsAndHidesOtherUsersClients) {
    auto c = create("Mine");
    std::string id(c["id"].as_string());
    std::string hex = id;
    std::erase(hex, '-');
    std::string upper = id;
    for (auto& ch : upper) ch = static_cast<char>(std::toupper(ch));
    for (auto form : {id, hex, upper}) {
        auto r = call("GET", "/oauth/clients/" + form);
        EXPECT_EQ(r.status, 200) << form;
        EXPECT_EQ(json::parse(r.body).as_object()["id"].as_string(), id);
    }
    auto other = server_.create_user_token("other@example.com");
    auto r = client_.send("GET", "/oauth/clients/" + id, kAccept + auth(other));
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(
        r.body,
        R"({"id":"not_found","message":"Couldn't find that OAuth client.","resource":"client"})");
    auto del = client_.send("DELETE", "/oauth/clients/" + id, kAccept + auth(other));
    EXPECT_EQ(del.status, 404);
    EXPECT_EQ(call("GET", "/oauth/clients/" + id).status, 200);  // untouched
    EXPECT_EQ(call("GET", "/oauth/clients/not-an-id").status, 404);
    EXPECT_EQ(call("GET", "/oauth/clients/00000000-0000-4000-8000-000000000000").status, 404);
}

TEST_F(HerokuClients, InfoWithoutCredentialsShowsPublicFields) {
    auto c = create("Public");
    auto r = client_.send("GET", "/oauth/clients/" + std::string(c["id"].as_string()), kAccept);
    ASSERT_EQ(r.status, 200);
    auto o = json::parse(r.body).as_object();
    EXPECT_EQ(o["name"], "Public");
    EXPECT_FALSE(o.contains("secret"));
}

TEST_F(HerokuClients, EtagAnswers304OnlyToAMatchingIfNoneMatch) {
    auto c = create("Cached");
    std::string path = "/oauth/clients/" + std::string(c["id"].as_string());
    auto first = call("GET", path);
    std::string etag = first.header("etag");
    ASSERT_TRUE(std::regex_match(etag, std::regex("^\"[0-9a-f]{32}\"$"))) << etag;
    auto again = call("GET", path, "", "If-None-Match: " + etag + "\r\n");
    EXPECT_EQ(again.status, 304);
    EXPECT_TRUE(again.body.empty());
    auto stale = call("GET", path, "", "If-None-Match: \"0123\"\r\n");
    EXPECT_EQ(stale.status, 200);
    EXPECT_EQ(call("GET", path).status, 200);
}

TEST_F(HerokuClients, UpdateChangesOnlyTheGivenFields) {
    auto c = create("Before", "https://before.example/cb");
    std::string path = "/oauth/clients/" + std::string(c["id"].as_string());
    auto r = call("PATCH", path, R"({"name":"After"})");
    ASSERT_EQ(r.status, 200) << r.body;
    auto o = json::parse(r.body).as_object();
    EXPECT_EQ(o["name"], "After");
    EXPECT_EQ(o["redirect_uri"], "https://before.example/cb");
    EXPECT_FALSE(o.contains("secret"));
    auto same = call("PATCH", path, "{}");
    EXPECT_EQ(same.status, 200);
    EXPECT_EQ(json::parse(same.body).as_object()["name"], "After");
    auto bad = call("PATCH", path, R"({"redirect_uri":"ftp://x"})");
    EXPECT_EQ(bad.status, 422);
    EXPECT_EQ(json::parse(call("GET", path).body).as_object()["redirect_uri"],
              "https://before.example/cb");
}

TEST_F(HerokuClients, RotateCredentialsReturnsANewSecret) {
    auto c = create("Rotating");
    std::string path = "/oauth/clients/" + std::string(c["id"].as_string());
    auto r = call("POST", path + "/actions/rotate-credentials");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("cache-control"), "no-store");
    auto o = json::parse(r.body).as_object();
    EXPECT_TRUE(std::string(o["secret"].as_string()).starts_with("tcs_"));
    EXPECT_NE(o["secret"], c["secret"]);
}

TEST_F(HerokuClients, DeleteReturnsTheClientThenItIsGone) {
    auto c = create("Doomed");
    std::string path = "/oauth/clients/" + std::string(c["id"].as_string());
    auto r = call("DELETE", path, "", "Range: id ]..; max=1000\r\n");  // heroku-client sends Range
    ASSERT_EQ(r.status, 200);
    auto o = json::parse(r.body).as_object();
    EXPECT_EQ(o["name"], "Doomed");
    EXPECT_FALSE(o.contains("secret"));
    EXPECT_EQ(call("GET", path).status, 404);
    EXPECT_EQ(call("DELETE", path).status, 404);
}

TEST_F(HerokuClients, ListPagesWithRangeWithoutDuplicatesOrGaps) {
    std::set<std::string> created;
    for (int i = 0; i < 25; ++i)
        created.insert(std::string(create("c" + std::to_string(i))["id"].as_string()));
    std::vector<std::string> seen;
    std::string range = "id ]..; max=10";
    int pages = 0;
    while (true) {
        auto r = call("GET", "/oauth/clients", "", "Range: " + range + "\r\n");
        ++pages;
        auto items = json::parse(r.body).as_array();
        for (auto& item : items) seen.emplace_back(item.as_object()["id"].as_string());
        EXPECT_EQ(r.header("accept-ranges"), "id, name");
        if (r.status == 200) {
            EXPECT_FALSE(r.has_header("next-range"));
            break;
        }
        ASSERT_EQ(r.status, 206);
        EXPECT_EQ(r.header("content-range"),
                  "id " + seen[seen.size() - items.size()] + ".." + seen.back() + "; max=10");
        EXPECT_EQ(r.header("next-range"), "id ]" + seen.back() + "..; max=10");
        range = r.header("next-range");
    }
    EXPECT_EQ(pages, 3);
    EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
    EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()), created);
    EXPECT_EQ(seen.size(), created.size());
    auto desc = call("GET", "/oauth/clients", "", "Range: name ..; max=5, order=desc\r\n");
    EXPECT_EQ(desc.status, 206);
    EXPECT_EQ(json::parse(desc.body).as_array()[0].as_object()["name"], "c9");
    EXPECT_TRUE(desc.header("next-range").ends_with("; max=5, order=desc"));
}

TEST_F(HerokuClients, BadInputGetsTheDocumentedErrorAndChangesNothing) {
    create("Existing");
    struct Case {
        std::string body;
        int status;
        std::string id;
    };
    for (const auto& c :
         {Case{"{not json", 400, "bad_request"}, Case{"[1,2]", 400, "bad_request"},
          Case{"\"str\"", 400, "bad_request"},
          Case{R"({"name":1,"redirect_uri":"https://x.example"})", 422, "invalid_params"},
          Case{R"({"name":"x","redirect_uri":null})", 422, "invalid_params"},
          Case{R"({"redirect_uri":"https://x.example"})", 422, "invalid_params"},
          Case{R"({"name":"x"})", 422, "invalid_params"},
          Case{R"({"name":"   ","redirect_uri":"https://x.example"})", 422, "invalid_params"},
          Case{R"({"name":")" + std::string(256, 'n') + R"(","redirect_uri":"https://x.example"})",
               422, "invalid_params"}}) {
        auto r = call("POST", "/oauth/clients", c.body);
        EXPECT_EQ(r.status, c.status) << c.body;
        auto o = json::parse(r.body).as_object();
        EXPECT_EQ(o["id"].as_string(), c.id) << c.body;
        EXPECT_FALSE(o["message"].as_string().empty());
    }
    auto wrong_type = client_.send("POST", "/oauth/clients",
                                   kAccept + auth(token_) + "Content-Type: text/plain\r\n",
                                   R"({"name":"x","redirect_uri":"https://x.example"})");
    EXPECT_EQ(wrong_type.status, 400);
    // Unknown fields are ignored so newer clients keep working.
    auto extra = call("POST", "/oauth/clients",
                      R"({"name":"extra","redirect_uri":"https://x.example","future":true})");
    EXPECT_EQ(extra.status, 201);
    EXPECT_EQ(count_clients(), 2u);
}

TEST_F(HerokuClients, HostileBodiesGetClearErrorsNeverA500) {
    std::string deep(100, '[');
    deep += std::string(100, ']');
    struct Case {
        std::string body;
        int status;
    };
    for (const auto& c :
         {Case{deep, 400},
          Case{"{\"name\":\"\xff\xfe\",\"redirect_uri\":\"https://x.example\"}", 400},
          Case{R"({"name":"a\u0000b","redirect_uri":"https://x.example"})", 422},
          Case{R"({"name":"ok","redirect_uri":"https://x.example/\u0000"})", 422},
          Case{R"({"name":{"nested":1},"redirect_uri":"https://x.example"})", 422},
          Case{"{\"name\":\"ok\",\"redirect_uri\":\"https://x.example\"", 400},
          Case{std::string("{\"name\":\"") + std::string(10000, 'x') +
                   "\",\"redirect_uri\":\"https://x.example\"}",
               422}}) {
        auto r = call("POST", "/oauth/clients", c.body);
        EXPECT_EQ(r.status, c.status) << c.body.substr(0, 80);
        auto o = json::parse(r.body).as_object();
        EXPECT_FALSE(o["message"].as_string().empty());
    }
    EXPECT_EQ(count_clients(), 0u);
    auto headers =
        client_.send("GET", "/oauth/clients",
                     kAccept + auth(token_) + "Range: id " + std::string(20000, ']') + "\r\n");
    EXPECT_EQ(headers.status, 431);
    Client fresh(server_.port());
    EXPECT_EQ(fresh.send("GET", "/health/alive").status, 200);
}

TEST_F(HerokuClients, OversizeBodiesGet413AsJson) {
    // The declared length alone is over the limit: the answer comes before the body.
    auto r = client_.raw(std::string("POST /oauth/clients HTTP/1.1\r\nHost: x\r\n") + kAccept +
                         auth(token_) + kJson + "Content-Length: 2000000\r\n\r\n{");
    EXPECT_EQ(r.status, 413);
    EXPECT_EQ(json::parse(r.body).as_object()["id"], "request_too_large");
    Client fresh(server_.port());
    EXPECT_EQ(fresh.send("GET", "/oauth/clients", kAccept + auth(token_)).status, 200);
    EXPECT_EQ(json::parse(fresh.send("GET", "/oauth/clients", kAccept + auth(token_)).body)
                  .as_array()
                  .size(),
              0u);
}

TEST_F(HerokuClients, MalformedRangeGets400AndUnknownField416) {
    auto bad = call("GET", "/oauth/clients", "", "Range: id ]x\r\n");
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(json::parse(bad.body).as_object()["id"], "bad_request");
    auto field = call("GET", "/oauth/clients", "", "Range: created_at ..\r\n");
    EXPECT_EQ(field.status, 416);
    EXPECT_EQ(json::parse(field.body).as_object()["id"], "requested_range_not_satisfiable");
    // Range is ignored outside lists (heroku-client sends it everywhere).
    auto created = call("POST", "/oauth/clients",
                        R"({"name":"r","redirect_uri":"https://x.example"})", "Range: garbage\r\n");
    EXPECT_EQ(created.status, 201);
}

TEST_F(HerokuClients, UnknownPathsAndMethodsAnswerInJson) {
    auto missing = call("GET", "/oauth/nothing");
    EXPECT_EQ(missing.status, 404);
    EXPECT_EQ(json::parse(missing.body).as_object()["id"], "not_found");
    auto method = call("PUT", "/oauth/clients");
    EXPECT_EQ(method.status, 405);
    EXPECT_EQ(method.header("allow"), "POST, GET");
    EXPECT_EQ(json::parse(method.body).as_object()["id"], "method_not_allowed");
    auto dots = call("GET", "/oauth/clients/%2e%2e");
    EXPECT_EQ(dots.status, 400);
}

TEST_F(HerokuClients, AbsoluteFormTargetsRouteByPath) {
    auto r = client_.send("GET", "https://api.heroku.com/oauth/clients", kAccept + auth(token_));
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "[]");
}

TEST_F(HerokuClients, HealthEndpointsAnswer) {
    auto alive = client_.send("GET", "/health/alive");
    EXPECT_EQ(alive.status, 200);
    EXPECT_EQ(alive.body, R"({"status":"alive"})");
    auto ready = client_.send("GET", "/health/ready");
    EXPECT_EQ(ready.status, 200);
    EXPECT_EQ(ready.body, R"({"status":"ready"})");
}

TEST(HerokuClientSecrets, RetrievableSecretsAreShownToTheOwnerOnlyAndStoredSealed) {
    app::Config config;
    config.retrievable_client_secrets = true;
    TestServer server(config);
    std::string token = server.create_user_token("owner@example.com");
    std::string other = server.create_user_token("other@example.com");
    Client client(server.port());
    auto headers = [&](const std::string& t) {
        return std::string(kAccept) + "Authorization: Bearer " + t + "\r\n" + kJson;
    };
    auto created = json::parse(client
                                   .send("POST", "/oauth/clients", headers(token),
                                         R"({"name":"Shell","redirect_uri":"https://e.com/cb"})")
                                   .body)
                       .as_object();
    std::string id(created["id"].as_string()), secret(created["secret"].as_string());
    auto info = client.send("GET", "/oauth/clients/" + id, headers(token));
    EXPECT_EQ(json::parse(info.body).as_object()["secret"].as_string(), secret);
    EXPECT_EQ(info.header("cache-control"), "no-store");
    auto list = json::parse(client.send("GET", "/oauth/clients", headers(token)).body).as_array();
    EXPECT_EQ(list[0].as_object()["secret"].as_string(), secret);
    // Nobody else sees it: not another user, not an anonymous caller.
    EXPECT_EQ(client.send("GET", "/oauth/clients/" + id, headers(other)).status, 404);
    auto anonymous = client.send("GET", "/oauth/clients/" + id, kAccept);
    EXPECT_FALSE(json::parse(anonymous.body).as_object().contains("secret"));
    // After a rotation the new secret is the one shown.
    auto rotated =
        json::parse(client
                        .send("POST", "/oauth/clients/" + id + "/actions/rotate-credentials",
                              headers(token))
                        .body)
            .as_object();
    auto after =
        json::parse(client.send("GET", "/oauth/clients/" + id, headers(token)).body).as_object();
    EXPECT_EQ(after["secret"], rotated["secret"]);
    EXPECT_NE(after["secret"].as_string(), secret);
    // The database holds no secret in the clear.
    std::string bytes = server.database().stored_bytes();
    EXPECT_GT(bytes.size(), 0u);
    EXPECT_EQ(bytes.find(secret), std::string::npos);
    EXPECT_EQ(bytes.find(std::string(after["secret"].as_string())), std::string::npos);
}

TEST_F(HerokuClients, RateLimitAnswers429WithRetryAfter) {
    app::Config config;
    config.rate_limit_capacity = 3;
    config.rate_limit_per_minute = 1;
    TestServer limited(config);
    auto token = limited.create_user_token("busy@example.com");
    Client c(limited.port());
    for (int i = 2; i >= 0; --i) {
        auto r = c.send("GET", "/oauth/clients", kAccept + auth(token));
        EXPECT_EQ(r.status, 200);
        EXPECT_EQ(r.header("ratelimit-remaining"), std::to_string(i));
    }
    auto r = c.send("GET", "/oauth/clients", kAccept + auth(token));
    EXPECT_EQ(r.status, 429);
    EXPECT_EQ(json::parse(r.body).as_object()["id"], "rate_limit");
    EXPECT_FALSE(r.header("retry-after").empty());
}

}  // namespace
}  // namespace tessera::testing
