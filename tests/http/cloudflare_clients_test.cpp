// Wire tests for the Cloudflare v4 OAuth clients surface (Cloudflare spec
// §1.2, §2, §3, §5, §6 and the routing rows of §7) against the real server on
// loopback: each endpoint's success in exact bytes, secrets tried at the
// token endpoint through a real code flow, and routing errors.
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "base/encoding.hpp"
#include "cloudflare_fixture.hpp"
#include "support/browser.hpp"

namespace tessera::testing {
namespace {

const std::regex kHex32("^[0-9a-f]{32}$");
const std::regex kDatetime("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$");
const std::regex kSecret("^[A-Za-z0-9_-]{43,}$");  // §4.8: 256 bits, URL-safe
constexpr const char* kForm = "Content-Type: application/x-www-form-urlencoded\r\n";

using CloudflareClients = CloudflareWire;

std::string str(const json::value& v) { return std::string(v.as_string()); }

std::vector<std::string> strings(const json::value& v) {
    std::vector<std::string> out;
    for (const auto& item : v.as_array()) out.emplace_back(item.as_string());
    return out;
}

std::vector<std::string> keys(const json::object& o) {
    std::vector<std::string> out;
    for (const auto& kv : o) out.emplace_back(kv.key());
    return out;
}

// The spec's example client (§3) as a create body.
json::object example_body() {
    return valid_body(
        {{"client_uri", "https://example.com"}, {"logo_uri", "https://example.com/logo.png"}});
}

// The spec's example client as rendered, then `tail` (e.g. the secret).
std::string example_client(const std::string& id, const std::string& txt, const std::string& at,
                           const std::string& tail = "") {
    return fill(R"({"client_id":"$ID","visibility":"private","client_name":"My OAuth App",)"
                R"("client_uri":"https://example.com","client_uri_verification":)"
                R"({"status":"pending","text":"cloudflare_oauth_client_publisher=$TXT"},)"
                R"("logo_uri":"https://example.com/logo.png",)"
                R"("redirect_uris":["https://example.com/callback"],)"
                R"("post_logout_redirect_uris":[],"allowed_cors_origins":[],)"
                R"("grant_types":["authorization_code","refresh_token"],)"
                R"("response_types":["code"],"scopes":["account.read","offline_access"],)"
                R"("optional_scopes":[],"token_endpoint_auth_method":"client_secret_post",)"
                R"("has_rotated_secret":false,"created_at":"$AT","updated_at":"$AT")",
                {{"$ID", id}, {"$TXT", txt}, {"$AT", at}}) +
           tail + "}";
}

// ---- create (§2.1) ----

TEST_F(CloudflareClients, CreateAnswers200WithTheClientAndItsSecretShownOnce) {
    auto r = call("POST", clients_path(), json::serialize(example_body()));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("content-type"), "application/json");
    EXPECT_EQ(r.header("cache-control"), "no-store");
    auto result = json::parse(r.body).as_object()["result"].as_object();
    std::string id = str(result["client_id"]);
    std::string at = str(result["created_at"]);
    std::string secret = str(result["client_secret"]);
    std::string text = str(result["client_uri_verification"].as_object()["text"]);
    std::string txt = text.substr(text.find('=') + 1);
    EXPECT_TRUE(std::regex_match(id, kHex32)) << id;
    EXPECT_TRUE(std::regex_match(at, kDatetime)) << at;
    EXPECT_TRUE(std::regex_match(secret, kSecret)) << secret;
    EXPECT_TRUE(std::regex_match(txt, kHex32)) << text;  // §4.6
    EXPECT_EQ(r.body,
              success_body(example_client(id, txt, at, R"(,"client_secret":")" + secret + "\"")));

    auto got = call("GET", client_path(id));
    EXPECT_EQ(got.status, 200);
    EXPECT_EQ(got.body, success_body(example_client(id, txt, at)));
    auto listed = call("GET", clients_path());
    EXPECT_EQ(listed.body.find(secret), std::string::npos);
    EXPECT_EQ(listed.body.find("\"client_secret\":"), std::string::npos);
}

TEST_F(CloudflareClients, CreateForAPublicClientIssuesNoSecret) {
    auto result = create_client(valid_body({{"token_endpoint_auth_method", "none"}}));
    EXPECT_EQ(
        keys(result),
        (std::vector<std::string>{
            "client_id", "visibility", "client_name", "redirect_uris", "post_logout_redirect_uris",
            "allowed_cors_origins", "grant_types", "response_types", "scopes", "optional_scopes",
            "token_endpoint_auth_method", "has_rotated_secret", "created_at", "updated_at"}));
    EXPECT_EQ(result["token_endpoint_auth_method"], "none");
}

TEST_F(CloudflareClients, CreateManagesProtocolScopesAndDropsDuplicates) {
    struct Case {
        std::vector<std::string> grants, responses, scopes;
        std::vector<std::string> want_grants, want_scopes;
    };
    const std::string ac = "authorization_code", rt = "refresh_token";
    for (const auto& c : std::vector<Case>{
             {{ac}, {"code"}, {"account.read", "offline_access", "openid"}, {ac}, {"account.read"}},
             {{ac, rt}, {"code"}, {"account.read"}, {ac, rt}, {"account.read", "offline_access"}},
             {{ac}, {"code", "id_token"}, {"account.read"}, {ac}, {"account.read", "openid"}},
             {{ac, rt, ac, rt},
              {"code", "id_token", "code"},
              {"openid", "account.read", "offline_access", "profile", "account.read"},
              {ac, rt},
              {"account.read", "profile", "offline_access", "openid"}},
         }) {
        auto result = create_client(valid_body({{"grant_types", json::value_from(c.grants)},
                                                {"response_types", json::value_from(c.responses)},
                                                {"scopes", json::value_from(c.scopes)}}));
        EXPECT_EQ(strings(result["grant_types"]), c.want_grants);
        EXPECT_EQ(strings(result["scopes"]), c.want_scopes);
        if (c.responses.size() == 3) {
            EXPECT_EQ(strings(result["response_types"]),
                      (std::vector<std::string>{"code", "id_token"}));
        }
    }
}

TEST_F(CloudflareClients, CreateIgnoresUnknownFieldsAndAcceptsPrivateVisibility) {
    auto result = create_client(
        valid_body({{"visibility", "private"}, {"future_field", json::object{{"x", 1}}}}));
    EXPECT_EQ(result["visibility"], "private");
    EXPECT_FALSE(result.contains("future_field"));
}

TEST_F(CloudflareClients, TheTypeScriptSdksHeadersAreAccepted) {
    // §1.4: what cloudflare@7.3.0 sends beside its credentials.
    const std::string sdk =
        "Accept: application/json\r\nUser-Agent: Cloudflare/JS 7.3.0\r\n"
        "api-version: 2026-06-03\r\nX-Stainless-Retry-Count: 0\r\nX-Stainless-Timeout: 60\r\n"
        "X-Stainless-Lang: js\r\nX-Stainless-Package-Version: 7.3.0\r\n";
    auto created =
        send(sdk + bearer(token_), "POST", clients_path(), json::serialize(valid_body()));
    EXPECT_EQ(created.status, 200) << created.body;
    EXPECT_EQ(send(sdk + bearer(token_), "GET", clients_path()).status, 200);
    EXPECT_EQ(send(sdk + bearer(token_), "GET", "/client/v4/oauth/scopes").status, 200);
}

// ---- list and get (§2.2, §2.3, §5) ----

TEST_F(CloudflareClients, ListReturnsEveryClientInOnePageWithResultInfo) {
    auto empty = call("GET", clients_path());
    EXPECT_EQ(empty.status, 200);
    EXPECT_EQ(empty.body, R"({"success":true,"errors":[],"messages":[],"result":[],)"
                          R"("result_info":{"page":1,"per_page":0,"count":0,"total_count":0}})");
    std::string a = str(create_client()["client_id"]);
    std::string b = str(create_client(valid_body({{"client_name", "Second"}}))["client_id"]);
    auto r = call("GET", clients_path() + "?page=2&per_page=1");  // ignored (§5)
    ASSERT_EQ(r.status, 200) << r.body;
    auto body = json::parse(r.body).as_object();
    EXPECT_EQ(keys(body),
              (std::vector<std::string>{"success", "errors", "messages", "result", "result_info"}));
    EXPECT_EQ(json::serialize(body["result_info"]),
              R"({"page":1,"per_page":2,"count":2,"total_count":2})");
    std::set<std::string> ids;
    for (const auto& item : body["result"].as_array()) {
        auto client = item.as_object();
        std::string id = str(client["client_id"]);
        ids.insert(id);
        EXPECT_EQ(json::serialize(client), json::serialize(fetch(id)));
    }
    EXPECT_EQ(ids, (std::set<std::string>{a, b}));
}

TEST_F(CloudflareClients, ListIsOldestFirst) {
    std::vector<std::string> created;
    for (int i = 0; i < 6; ++i)
        created.push_back(str(create_client(
            valid_body({{"client_name", json::string("c" + std::to_string(i))}}))["client_id"]));
    auto body = json::parse(call("GET", clients_path()).body);
    std::vector<std::string> listed;
    for (const auto& item : body.as_object()["result"].as_array())
        listed.push_back(str(item.as_object().at("client_id")));
    EXPECT_EQ(listed, created);
}

TEST_F(CloudflareClients, GetAcceptsDashedAndUppercaseIds) {
    std::string id = str(create_client()["client_id"]);
    std::string upper = id;
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    for (const auto& path :
         {client_path(dashed(id)), client_path(upper), client_path(dashed(account_), id),
          client_path(dashed(account_), upper)}) {
        auto r = call("GET", path);
        ASSERT_EQ(r.status, 200) << path << ' ' << r.body;
        EXPECT_EQ(str(json::parse(r.body).as_object()["result"].as_object()["client_id"]), id)
            << path;
    }
    EXPECT_EQ(call("GET", clients_path(dashed(account_))).status, 200);
    EXPECT_EQ(call("DELETE", client_path(upper)).body, success_body(R"({"id":")" + id + "\"}"));
}

// ---- update (§2.4) ----

TEST_F(CloudflareClients, UpdateChangesOnlyThePresentFields) {
    auto before = create_client(example_body());
    std::string id = str(before["client_id"]);
    auto r = call("PATCH", client_path(id), R"({"client_name":"Renamed"})");
    ASSERT_EQ(r.status, 200) << r.body;
    auto after = json::parse(r.body).as_object()["result"].as_object();
    EXPECT_EQ(after["client_name"], "Renamed");
    EXPECT_FALSE(after.contains("client_secret"));
    before.erase("client_secret");
    for (auto* field : {"client_name", "updated_at"}) {
        before.erase(field);
        after.erase(field);
    }
    EXPECT_EQ(json::serialize(after), json::serialize(before));
    EXPECT_EQ(fetch(id)["client_name"], "Renamed");
}

TEST_F(CloudflareClients, UpdateReplacesArraysInsteadOfMerging) {
    std::string id = str(create_client(
        valid_body({{"redirect_uris", json::array{"https://a.example/cb", "https://b.example/cb"}},
                    {"allowed_cors_origins", json::array{"https://a.example"}}}))["client_id"]);
    auto r = call("PATCH", client_path(id),
                  R"({"redirect_uris":["https://c.example/cb"],"allowed_cors_origins":[]})");
    ASSERT_EQ(r.status, 200) << r.body;
    auto result = fetch(id);
    EXPECT_EQ(strings(result["redirect_uris"]), std::vector<std::string>{"https://c.example/cb"});
    EXPECT_TRUE(result["allowed_cors_origins"].as_array().empty());
}

TEST_F(CloudflareClients, UpdateWithNullClearsOptionalStrings) {
    std::string id =
        str(create_client(valid_body({{"client_uri", "https://example.com"},
                                      {"logo_uri", "https://example.com/l.png"},
                                      {"policy_uri", "https://example.com/p"},
                                      {"tos_uri", "https://example.com/t"}}))["client_id"]);
    auto r = call("PATCH", client_path(id),
                  R"({"client_uri":null,"logo_uri":null,"policy_uri":null,"tos_uri":null})");
    ASSERT_EQ(r.status, 200) << r.body;  // §4.6: removing client_uri is fine while private
    auto result = json::parse(r.body).as_object()["result"].as_object();
    for (auto* field :
         {"client_uri", "client_uri_verification", "logo_uri", "policy_uri", "tos_uri"})
        EXPECT_FALSE(result.contains(field)) << field;
    EXPECT_EQ(json::serialize(fetch(id)), json::serialize(result));
}

TEST_F(CloudflareClients, AnEmptyPatchReturnsTheClientUnchanged) {
    auto before = create_client();
    std::string id = str(before["client_id"]);
    before.erase("client_secret");
    auto r = call("PATCH", client_path(id), "{}");
    ASSERT_EQ(r.status, 200) << r.body;
    auto after = json::parse(r.body).as_object()["result"].as_object();
    before.erase("updated_at");
    after.erase("updated_at");
    EXPECT_EQ(json::serialize(after), json::serialize(before));
}

TEST_F(CloudflareClients, DroppingRefreshTokenDropsOfflineAccess) {
    std::string id = str(create_client()["client_id"]);
    auto r = call("PATCH", client_path(id), R"({"grant_types":["authorization_code"]})");
    ASSERT_EQ(r.status, 200) << r.body;
    auto result = json::parse(r.body).as_object()["result"].as_object();
    EXPECT_EQ(strings(result["scopes"]), std::vector<std::string>{"account.read"});
    auto back = call("PATCH", client_path(id),
                     R"({"grant_types":["authorization_code","refresh_token"],)"
                     R"("response_types":["code","id_token"]})");
    EXPECT_EQ(strings(json::parse(back.body).as_object()["result"].as_object()["scopes"]),
              (std::vector<std::string>{"account.read", "offline_access", "openid"}));
}

TEST_F(CloudflareClients, ChangingClientUriOnTheSameHostKeepsTheVerificationRecord) {
    auto created = create_client(valid_body({{"client_uri", "https://example.com"}}));
    std::string id = str(created["client_id"]);
    auto text = [](json::object client) {
        return str(client["client_uri_verification"].as_object()["text"]);
    };
    std::string first = text(created);
    auto same_host =
        call("PATCH", client_path(id), R"({"client_uri":"https://example.com/about"})");
    ASSERT_EQ(same_host.status, 200) << same_host.body;
    EXPECT_EQ(text(fetch(id)), first);
    auto new_host = call("PATCH", client_path(id), R"({"client_uri":"https://other.example"})");
    ASSERT_EQ(new_host.status, 200) << new_host.body;
    auto result = fetch(id);
    EXPECT_NE(text(result), first);
    EXPECT_EQ(result["client_uri_verification"].as_object()["status"], "pending");
}

// ---- delete (§2.5) ----

TEST_F(CloudflareClients, DeleteAnswersWithTheIdAndTheClientIsGone) {
    std::string id = str(create_client()["client_id"]);
    std::string kept = str(create_client()["client_id"]);
    auto r = call("DELETE", client_path(id), "{\"ignored\":");  // a DELETE body is ignored
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.body, success_body(R"({"id":")" + id + "\"}"));
    auto gone = call("GET", client_path(id));
    EXPECT_EQ(gone.status, 404);
    EXPECT_EQ(gone.body, not_routable_body(client_path(id)));
    auto again = call("DELETE", client_path(id));
    EXPECT_EQ(again.status, 404);
    EXPECT_EQ(again.body, not_routable_body(client_path(id)));
    auto listed = json::parse(call("GET", clients_path()).body).as_object()["result"].as_array();
    ASSERT_EQ(listed.size(), 1u);
    EXPECT_EQ(str(listed[0].as_object()["client_id"]), kept);
}

TEST_F(CloudflareClients, DeleteRevokesEveryTokenAndAuthorizationOfTheClient) {
    auto created = create_client();
    std::string id = str(created["client_id"]), secret = str(created["client_secret"]);
    std::string code = code_for(id);
    ASSERT_FALSE(code.empty());
    auto tokens = redeem(id, secret, code);
    ASSERT_EQ(tokens.status, 200) << tokens.body;
    auto body = json::parse(tokens.body).as_object();
    std::string access = str(body["access_token"]), refresh = str(body["refresh_token"]);
    EXPECT_EQ(as(access, "GET", "/client/v4/oauth/scopes").status, 200);
    const std::string heroku = "Accept: application/vnd.heroku+json; version=3\r\n";
    auto grants = http_.send("GET", "/oauth/authorizations", heroku + bearer(token_));
    EXPECT_NE(grants.body.find(dashed(id)), std::string::npos) << grants.body;

    ASSERT_EQ(call("DELETE", client_path(id)).status, 200);
    auto refused = as(access, "GET", "/client/v4/oauth/scopes");
    EXPECT_EQ(refused.status, 401);
    EXPECT_EQ(refused.body, authentication_error_body());
    auto refreshed = http_.send("POST", "/oauth/token", kForm,
                                "grant_type=refresh_token&refresh_token=" + refresh +
                                    "&client_id=" + id + "&client_secret=" + secret);
    EXPECT_EQ(refreshed.status, 400);
    EXPECT_EQ(refreshed.body,
              R"({"error":"invalid_client","error_description":"client authentication failed"})");
    grants = http_.send("GET", "/oauth/authorizations", heroku + bearer(token_));
    EXPECT_EQ(grants.status, 200);
    EXPECT_EQ(grants.body.find(dashed(id)), std::string::npos) << grants.body;
    EXPECT_EQ(grants.body.find(id), std::string::npos) << grants.body;
}

// ---- secrets (§2.6, §2.7, §4.8) ----

TEST_F(CloudflareClients, RotatedSecretsBothWorkUntilTheOldOneIsDeleted) {
    auto created = create_client();
    std::string id = str(created["client_id"]), old_secret = str(created["client_secret"]);
    EXPECT_EQ(redeem(id, old_secret, code_for(id)).status, 200);

    auto rotated = call("POST", client_path(id) + "/rotate_secret");  // no body, length 0
    ASSERT_EQ(rotated.status, 200) << rotated.body;
    auto result = json::parse(rotated.body).as_object()["result"].as_object();
    std::string new_secret = str(result["client_secret"]);
    EXPECT_TRUE(std::regex_match(new_secret, kSecret));
    EXPECT_NE(new_secret, old_secret);
    EXPECT_EQ(rotated.body, success_body(R"({"client_secret":")" + new_secret + "\"}"));
    EXPECT_EQ(fetch(id)["has_rotated_secret"], true);
    EXPECT_EQ(redeem(id, new_secret, code_for(id)).status, 200);
    EXPECT_EQ(redeem(id, old_secret, code_for(id)).status, 200);

    auto twice = call("POST", client_path(id) + "/rotate_secret");
    EXPECT_EQ(twice.status, 409);
    EXPECT_EQ(twice.header("x-should-retry"), "false");
    EXPECT_EQ(twice.body, failure_body({{1409,
                                         "the client already has a rotated secret; delete "
                                         "it before rotating again"}}));

    auto dropped = call("DELETE", client_path(id) + "/rotate_secret");
    ASSERT_EQ(dropped.status, 200) << dropped.body;
    EXPECT_EQ(dropped.body, success_body(R"({"id":")" + id + "\"}"));
    EXPECT_EQ(fetch(id)["has_rotated_secret"], false);
    auto old_refused = redeem(id, old_secret, code_for(id));
    EXPECT_EQ(old_refused.status, 400);
    EXPECT_EQ(old_refused.body,
              R"({"error":"invalid_client","error_description":"client authentication failed"})");
    EXPECT_EQ(redeem(id, new_secret, code_for(id)).status, 200);

    auto none_left = call("DELETE", client_path(id) + "/rotate_secret");
    EXPECT_EQ(none_left.status, 404);
    EXPECT_EQ(none_left.body, failure_body({{1404, "the client has no rotated secret"}}));
    EXPECT_EQ(call("POST", client_path(id) + "/rotate_secret").status, 200);  // rotatable again
}

TEST_F(CloudflareClients, APublicClientHasNoSecretToRotate) {
    std::string id =
        str(create_client(valid_body({{"token_endpoint_auth_method", "none"}}))["client_id"]);
    auto r = call("POST", client_path(id) + "/rotate_secret");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body, failure_body({{1400,
                                     "a client with token_endpoint_auth_method none has no "
                                     "secret to rotate"}}));
    auto d = call("DELETE", client_path(id) + "/rotate_secret");
    EXPECT_EQ(d.status, 404);
    EXPECT_EQ(d.body, failure_body({{1404, "the client has no rotated secret"}}));
    EXPECT_EQ(fetch(id)["has_rotated_secret"], false);
}

TEST_F(CloudflareClients, ASecretPostClientCannotAuthenticateWithBasic) {
    auto created = create_client();
    std::string id = str(created["client_id"]), secret = str(created["client_secret"]);
    std::string code = code_for(id);
    auto basic = http_.send(
        "POST", "/oauth/token",
        kForm + std::string("Authorization: Basic ") + base64_encode(id + ":" + secret) + "\r\n",
        "grant_type=authorization_code&code=" + code);
    EXPECT_EQ(basic.status, 401) << basic.body;  // §4.8: a method mismatch is invalid_client
    EXPECT_EQ(basic.body,
              R"({"error":"invalid_client","error_description":"client authentication failed"})");
}

TEST_F(CloudflareClients, APrivateClientCanOnlyBeAuthorizedByMembers) {
    std::string id = str(create_client()["client_id"]);
    user_token("stranger@example.com");
    auto stranger = authorize(id, "stranger@example.com");
    EXPECT_EQ(query_param(stranger.header("location"), "code"), "")
        << stranger.status << ' ' << stranger.header("location");  // §4.7, §8
    EXPECT_FALSE(code_for(id).empty());
}

// ---- scopes (§6) ----

TEST_F(CloudflareClients, ScopesListsTheDottedCatalogEntriesForAnyCaller) {
    const std::string want =
        R"({"success":true,"errors":[],"messages":[],"result":[)"
        R"({"id":"user-details.read","name":"User Details Read","category":"account_and_billing",)"
        R"("scopes":["user.details.read"]},)"
        R"({"id":"account.read","name":"Account Read","category":"account_and_billing",)"
        R"("scopes":["account.settings.read"]},)"
        R"({"id":"account.write","name":"Account Write","category":"account_and_billing",)"
        R"("scopes":["account.settings.read","account.settings.write"]},)"
        R"({"id":"oauth-clients.read","name":"OAuth Clients Read","category":"account_and_billing",)"
        R"("scopes":["oauth.clients.read"]},)"
        R"({"id":"oauth-clients.write","name":"OAuth Clients Write",)"
        R"("category":"account_and_billing","scopes":["oauth.clients.read","oauth.clients.write"]},)"
        R"({"id":"apps.read","name":"Apps Read","category":"apps","scopes":["apps.read"]},)"
        R"({"id":"apps.write","name":"Apps Write","category":"apps",)"
        R"("scopes":["apps.read","apps.write"]}]})";
    auto r = call("GET", "/client/v4/oauth/scopes");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, want);
    // No role needed: a read-only token of a user in no account, or an API key.
    auto loner = user_token("loner@example.com", {"read"});
    EXPECT_EQ(as(loner, "GET", "/client/v4/oauth/scopes").body, want);
    std::string key = api_key("loner@example.com");
    auto keyed = send("X-Auth-Email: loner@example.com\r\nX-Auth-Key: " + key + "\r\n", "GET",
                      "/client/v4/oauth/scopes");
    EXPECT_EQ(keyed.body, want);
    auto anonymous = send("", "GET", "/client/v4/oauth/scopes");
    EXPECT_EQ(anonymous.status, 401);
    EXPECT_EQ(anonymous.body, authentication_error_body());
}

// ---- routing (§7) ----

TEST_F(CloudflareClients, UnknownPathsAnswer404NoRoute) {
    std::string id = str(create_client()["client_id"]);
    const std::string no_route = failure_body({{7003, "No route for the URI"}});
    for (const auto& path :
         {std::string("/client/v4"), std::string("/client/v4/"), std::string("/client/v4/accounts"),
          "/client/v4/accounts/" + account_, clients_path() + "/", client_path(id) + "/secrets",
          client_path(id) + "/rotate_secret/x", std::string("/client/v4/oauth/scopes/apps.read"),
          std::string("/client/v4/user/tokens/verify")}) {
        for (const auto& credentials : {bearer(token_), std::string()}) {
            auto r = send(credentials, "GET", path);
            EXPECT_EQ(r.status, 404) << path;
            EXPECT_EQ(r.body, no_route) << path;
            EXPECT_EQ(r.header("content-type"), "application/json") << path;
        }
    }
    // A lookalike prefix is not this surface.
    auto other = call("GET", "/client/v40/accounts");
    EXPECT_EQ(other.status, 404);
    EXPECT_FALSE(other.body.starts_with(R"({"success")")) << other.body;
}

TEST_F(CloudflareClients, WrongMethodsAnswer405WithAllow) {
    std::string id = str(create_client()["client_id"]);
    struct Case {
        std::string method, path, allow;
    };
    for (const auto& c : std::vector<Case>{
             {"PUT", clients_path(), "GET, POST"},
             {"DELETE", clients_path(), "GET, POST"},
             {"POST", client_path(id), "GET, PATCH, DELETE"},
             {"PUT", client_path(id), "GET, PATCH, DELETE"},
             {"GET", client_path(id) + "/rotate_secret", "POST, DELETE"},
             {"PATCH", client_path(id) + "/rotate_secret", "POST, DELETE"},
             {"POST", "/client/v4/oauth/scopes", "GET"},
         }) {
        auto r = call(c.method, c.path);
        EXPECT_EQ(r.status, 405) << c.method << ' ' << c.path;
        EXPECT_EQ(r.header("allow"), c.allow) << c.method << ' ' << c.path;
        EXPECT_EQ(r.body, failure_body({{10405, "Method not allowed"}}));
    }
    EXPECT_EQ(str(fetch(id)["client_id"]), id);  // nothing happened to it
}

TEST_F(CloudflareClients, MalformedOrUnknownIdsAnswer404CouldNotRoute) {
    std::string id = str(create_client()["client_id"]);
    std::string unknown = "0123456789abcdef0123456789abcdef";
    std::vector<std::string> bad_ids = {"xyz",
                                        id.substr(1),
                                        id + "0",
                                        std::string(32, 'g'),
                                        "0123456-789a-bcde-f012-3456789abcdef",
                                        "%20" + id.substr(1),
                                        unknown};
    for (const auto& bad : bad_ids) {
        for (const auto& path : {clients_path(bad), client_path(bad, id)}) {
            auto r = call("GET", path);
            EXPECT_EQ(r.status, 404) << path;
            EXPECT_EQ(r.body, not_routable_body(path));
        }
        for (const auto& [method, path] : std::vector<std::pair<std::string, std::string>>{
                 {"GET", client_path(bad)},
                 {"PATCH", client_path(bad)},
                 {"DELETE", client_path(bad)},
                 {"POST", client_path(bad) + "/rotate_secret"},
                 {"DELETE", client_path(bad) + "/rotate_secret"}}) {
            auto r = call(method, path, method == "PATCH" ? "{}" : "");
            EXPECT_EQ(r.status, 404) << method << ' ' << path;
            EXPECT_EQ(r.body, not_routable_body(path)) << method;
        }
    }
    EXPECT_EQ(fetch(id)["has_rotated_secret"], false);
}

TEST_F(CloudflareClients, DotSegmentsAndEncodedSlashesAreRefusedNotNormalised) {
    std::string id = str(create_client()["client_id"]);
    for (const auto& [path, reason] : std::vector<std::pair<std::string, std::string>>{
             {clients_path() + "/%2e%2e/oauth_clients", "the path has a dot segment"},
             {clients_path() + "/" + id + "%2Frotate_secret", "the path has an encoded slash"}}) {
        auto r = call("GET", path);
        EXPECT_EQ(r.status, 400) << path;
        EXPECT_EQ(r.body, failure_body({{1400, reason}})) << path;
    }
}

}  // namespace
}  // namespace tessera::testing
