// Wire tests for the Cloudflare v4 validation rules (Cloudflare spec §2.1,
// §2.4, §4.1–§4.5, §4.7, §4.9) against the real server on loopback: every
// bad input gets 400 with one error per problem, its code (1001–1006) and
// its source.pointer, and leaves nothing behind.
#include <gtest/gtest.h>

#include <array>

#include "cloudflare_fixture.hpp"

namespace tessera::testing {
namespace {

using CloudflareValidation = CloudflareWire;

struct Case {
    std::string name;
    json::object body;
    std::vector<Problem> errors;
};

json::object without(json::object body, std::string_view field) {
    body.erase(field);
    return body;
}

json::array repeated(std::string_view prefix, int n, std::string_view suffix = "") {
    json::array out;
    for (int i = 0; i < n; ++i)
        out.emplace_back(std::string(prefix) + std::to_string(i) + std::string(suffix));
    return out;
}

const std::string kRedirectScheme =
    "redirect_uris entry must use https, http on a loopback host, or a private-use scheme";
const std::string kRedirectAbsolute =
    "redirect_uris entry must be an absolute URI without a fragment";
const std::string kNotOrigin =
    "allowed_cors_origins entry must be an origin: scheme://host[:port] with no path, query or "
    "fragment";

std::vector<Case> bad_creates() {
    const json::string long_uri("https://example.com/" + std::string(2029, 'a'));  // 2049 bytes
    return {
        // 1001: every missing field at once, and each alone (below).
        {"empty object",
         {},
         {{1001, "client_name is required", "/client_name"},
          {1001, "grant_types is required", "/grant_types"},
          {1001, "redirect_uris is required", "/redirect_uris"},
          {1001, "response_types is required", "/response_types"},
          {1001, "scopes is required", "/scopes"},
          {1001, "token_endpoint_auth_method is required", "/token_endpoint_auth_method"}}},
        // 1002: wrong JSON types and values outside an enum.
        {"name a number",
         valid_body({{"client_name", 5}}),
         {{1002, "client_name must be a string", "/client_name"}}},
        {"name null",
         valid_body({{"client_name", nullptr}}),
         {{1002, "client_name must be a string", "/client_name"}}},
        {"grant_types a string",
         valid_body({{"grant_types", "authorization_code"}}),
         {{1002, "grant_types must be an array of strings", "/grant_types"}}},
        {"scopes null",
         valid_body({{"scopes", nullptr}}),
         {{1002, "scopes must be an array of strings", "/scopes"}}},
        {"redirect entry a number",
         valid_body({{"redirect_uris", json::array{5}}}),
         {{1002, "redirect_uris/0 must be a string", "/redirect_uris/0"}}},
        {"method a boolean",
         valid_body({{"token_endpoint_auth_method", true}}),
         {{1002, "token_endpoint_auth_method must be a string", "/token_endpoint_auth_method"}}},
        {"origins an object",
         valid_body({{"allowed_cors_origins", json::object{}}}),
         {{1002, "allowed_cors_origins must be an array of strings", "/allowed_cors_origins"}}},
        {"logo a number",
         valid_body({{"logo_uri", 1}}),
         {{1002, "logo_uri must be a string or null", "/logo_uri"}}},
        {"visibility a number",
         valid_body({{"visibility", 1}}),
         {{1002, "visibility must be a string", "/visibility"}}},
        {"two wrong types",
         valid_body({{"client_name", 5}, {"scopes", "account.read"}}),
         {{1002, "client_name must be a string", "/client_name"},
          {1002, "scopes must be an array of strings", "/scopes"}}},
        {"unknown grant type",
         valid_body({{"grant_types", json::array{"implicit"}}}),
         {{1002, "grant_types entry 'implicit' is not supported", "/grant_types/0"},
          {1005, "grant_types must include authorization_code", "/grant_types"}}},
        {"unknown response type",
         valid_body({{"response_types", json::array{"code", "none"}}}),
         {{1002, "response_types entry 'none' is not supported", "/response_types/1"}}},
        {"unknown auth method",
         valid_body({{"token_endpoint_auth_method", "private_key_jwt"}}),
         {{1002,
           "token_endpoint_auth_method must be none, client_secret_basic or client_secret_post",
           "/token_endpoint_auth_method"}}},
        // 1005: names, grant and response types (§4.2, §4.3).
        {"blank name",
         valid_body({{"client_name", "   "}}),
         {{1005, "client_name must not be blank", "/client_name"}}},
        {"long name",
         valid_body({{"client_name", json::string(256, 'n')}}),
         {{1005, "client_name must be at most 255 characters", "/client_name"}}},
        {"no authorization_code",
         valid_body({{"grant_types", json::array{"refresh_token"}}}),
         {{1005, "grant_types must include authorization_code", "/grant_types"}}},
        {"no grant types",
         valid_body({{"grant_types", json::array{}}}),
         {{1005, "grant_types must include authorization_code", "/grant_types"}}},
        {"no code",
         valid_body({{"response_types", json::array{"token", "id_token"}}}),
         {{1005, "response_types must include code", "/response_types"}}},
        // Redirect URIs (§4.1).
        {"http redirect",
         valid_body({{"redirect_uris", json::array{"http://example.com/cb"}}}),
         {{1003, kRedirectScheme, "/redirect_uris/0"}}},
        {"loopback lookalike",
         valid_body({{"redirect_uris", json::array{"http://localhost.evil.example/cb"}}}),
         {{1003, kRedirectScheme, "/redirect_uris/0"}}},
        {"fragment",
         valid_body({{"redirect_uris", json::array{"https://example.com/cb#x"}}}),
         {{1003, kRedirectAbsolute, "/redirect_uris/0"}}},
        {"relative",
         valid_body({{"redirect_uris", json::array{"/callback"}}}),
         {{1003, kRedirectAbsolute, "/redirect_uris/0"}}},
        {"empty string",
         valid_body({{"redirect_uris", json::array{""}}}),
         {{1003, kRedirectAbsolute, "/redirect_uris/0"}}},
        {"no host",
         valid_body({{"redirect_uris", json::array{"javascript:alert(1)"}}}),
         {{1003, "redirect_uris entry must name a host", "/redirect_uris/0"}}},
        {"userinfo",
         valid_body({{"redirect_uris", json::array{"https://u:p@example.com/cb"}}}),
         {{1003, "redirect_uris entry must not contain user information", "/redirect_uris/0"}}},
        {"too long",
         valid_body({{"redirect_uris", json::array{long_uri}}}),
         {{1003, "redirect_uris entry must be at most 2048 characters", "/redirect_uris/0"}}},
        {"no redirect",
         valid_body({{"redirect_uris", json::array{}}}),
         {{1005, "redirect_uris must hold at least one URI", "/redirect_uris"}}},
        {"21 redirects",
         valid_body({{"redirect_uris", repeated("https://example.com/", 21)}}),
         {{1006, "redirect_uris may hold at most 20 entries", "/redirect_uris"}}},
        {"duplicate redirect",
         valid_body({{"redirect_uris", json::array{"https://a.example/cb", "https://b.example/cb",
                                                   "https://a.example/cb"}}}),
         {{1005, "redirect_uris entry is listed twice", "/redirect_uris/2"}}},
        {"http post-logout",
         valid_body({{"post_logout_redirect_uris", json::array{"http://example.com/bye"}}}),
         {{1003,
           "post_logout_redirect_uris entry must use https, http on a loopback host, or a "
           "private-use scheme",
           "/post_logout_redirect_uris/0"}}},
        {"21 post-logout",
         valid_body({{"post_logout_redirect_uris", repeated("https://example.com/", 21)}}),
         {{1006, "post_logout_redirect_uris may hold at most 20 entries",
           "/post_logout_redirect_uris"}}},
        // CORS origins (§4.1).
        {"origin with path",
         valid_body({{"allowed_cors_origins", json::array{"https://a.example/x"}}}),
         {{1003, kNotOrigin, "/allowed_cors_origins/0"}}},
        {"origin with slash",
         valid_body({{"allowed_cors_origins", json::array{"https://a.example/"}}}),
         {{1003, kNotOrigin, "/allowed_cors_origins/0"}}},
        {"origin with query",
         valid_body({{"allowed_cors_origins", json::array{"https://a.example?q=1"}}}),
         {{1003, kNotOrigin, "/allowed_cors_origins/0"}}},
        {"origin with fragment",
         valid_body({{"allowed_cors_origins", json::array{"https://a.example#f"}}}),
         {{1003, kNotOrigin, "/allowed_cors_origins/0"}}},
        {"bare host",
         valid_body({{"allowed_cors_origins", json::array{"a.example"}}}),
         {{1003, kNotOrigin, "/allowed_cors_origins/0"}}},
        {"http origin",
         valid_body({{"allowed_cors_origins", json::array{"http://a.example"}}}),
         {{1003, "allowed_cors_origins entry must use https (or http on a loopback host)",
           "/allowed_cors_origins/0"}}},
        {"21 origins",
         valid_body({{"allowed_cors_origins", repeated("https://o", 21, ".example")}}),
         {{1006, "allowed_cors_origins may hold at most 20 entries", "/allowed_cors_origins"}}},
        {"duplicate origin",
         valid_body(
             {{"allowed_cors_origins", json::array{"https://a.example", "https://a.example"}}}),
         {{1005, "allowed_cors_origins entry is listed twice", "/allowed_cors_origins/1"}}},
        // https-only pages (§4.1).
        {"http logo",
         valid_body({{"logo_uri", "http://example.com/logo.png"}}),
         {{1003, "logo_uri must be an absolute https URL", "/logo_uri"}}},
        {"relative policy",
         valid_body({{"policy_uri", "/policy"}}),
         {{1003, "policy_uri must be an absolute https URL", "/policy_uri"}}},
        {"ftp tos",
         valid_body({{"tos_uri", "ftp://example.com/tos"}}),
         {{1003, "tos_uri must be an absolute https URL", "/tos_uri"}}},
        {"long logo",
         valid_body({{"logo_uri", long_uri}}),
         {{1003, "logo_uri must be at most 2048 characters", "/logo_uri"}}},
        // Scopes (§4.4).
        {"colon scope",
         valid_body({{"scopes", json::array{"account:read"}}}),
         {{1004, "scope 'account:read' must not contain ':'", "/scopes/0"}}},
        {"unknown dotted scope",
         valid_body({{"scopes", json::array{"account.read", "zone.read"}}}),
         {{1004, "scope 'zone.read' is not offered", "/scopes/1"}}},
        {"heroku scope",
         valid_body({{"scopes", json::array{"global"}}}),
         {{1004, "scope 'global' is neither a catalog scope nor an identity scope", "/scopes/0"}}},
        {"unknown scope",
         valid_body({{"scopes", json::array{"read"}}}),
         {{1004, "scope 'read' is neither a catalog scope nor an identity scope", "/scopes/0"}}},
        {"no scopes",
         valid_body(
             {{"grant_types", json::array{"authorization_code"}}, {"scopes", json::array{}}}),
         {{1005, "scopes must name at least one scope", "/scopes"}}},
        {"only a removed protocol scope",
         valid_body({{"grant_types", json::array{"authorization_code"}},
                     {"scopes", json::array{"offline_access"}}}),
         {{1005, "scopes must name at least one scope", "/scopes"}}},
        // Optional scopes (§4.5).
        {"optional not in scopes",
         valid_body({{"optional_scopes", json::array{"apps.read"}}}),
         {{1005, "optional scope 'apps.read' must also be in scopes", "/optional_scopes/0"}}},
        {"optional openid",
         valid_body({{"response_types", json::array{"code", "id_token"}},
                     {"optional_scopes", json::array{"openid"}}}),
         {{1005, "scope 'openid' cannot be optional", "/optional_scopes/0"}}},
        {"optional offline_access",
         valid_body({{"optional_scopes", json::array{"offline_access"}}}),
         {{1005, "scope 'offline_access' cannot be optional", "/optional_scopes/0"}}},
        {"optional offline",
         valid_body({{"optional_scopes", json::array{"offline"}}}),
         {{1005, "scope 'offline' cannot be optional", "/optional_scopes/0"}}},
        // Visibility (§2.1, §4.7).
        {"public on create",
         valid_body({{"visibility", "public"}}),
         {{1005, "a new client is private; promote it with an update once its domain is verified",
           "/visibility"}}},
        // Several problems: one error each, in field order.
        {"four problems",
         valid_body({{"redirect_uris", json::array{"http://example.com/cb"}},
                     {"scopes", json::array{"account:read"}},
                     {"allowed_cors_origins", json::array{"https://a.example/x"}},
                     {"logo_uri", "http://example.com/l.png"}}),
         {{1003, kRedirectScheme, "/redirect_uris/0"},
          {1004, "scope 'account:read' must not contain ':'", "/scopes/0"},
          {1003, kNotOrigin, "/allowed_cors_origins/0"},
          {1003, "logo_uri must be an absolute https URL", "/logo_uri"}}},
    };
}

TEST_F(CloudflareValidation, EveryBadCreateGets400WithOneErrorPerProblem) {
    std::vector<Case> cases = bad_creates();
    for (const auto* field : {"client_name", "grant_types", "redirect_uris", "response_types",
                              "scopes", "token_endpoint_auth_method"})
        cases.push_back({std::string("missing ") + field,
                         without(valid_body(), field),
                         {{1001, std::string(field) + " is required", std::string("/") + field}}});
    for (const auto& c : cases) {
        auto r = call("POST", clients_path(), json::serialize(c.body));
        EXPECT_EQ(r.status, 400) << c.name;
        EXPECT_EQ(r.body, failure_body(c.errors)) << c.name;
    }
    auto listed = call("GET", clients_path());
    EXPECT_NE(listed.body.find(R"("result":[],)"), std::string::npos) << listed.body;
}

TEST_F(CloudflareValidation, GoodInputsAreAcceptedAsGiven) {
    struct Good {
        std::string_view field;
        json::value value;
        json::value rendered;
    };
    for (const auto& g : std::vector<Good>{
             {"redirect_uris",
              json::array{"https://example.com/cb?x=1", "http://localhost:3000/cb",
                          "http://127.0.0.1/cb", "http://[::1]:8080/cb", "com.example.app:/cb"},
              nullptr},
             {"redirect_uris", repeated("https://example.com/", 20), nullptr},
             {"post_logout_redirect_uris", json::array{"https://example.com/bye"}, nullptr},
             {"allowed_cors_origins",
              json::array{"https://a.example", "https://a.example:8443", "http://localhost:3000"},
              nullptr},
             {"client_name", "  Padded  ", "Padded"},
             {"client_uri", "https://example.com/home", nullptr},
             {"policy_uri", "https://example.com/policy", nullptr},
             {"tos_uri", "https://example.com/tos", nullptr},
             {"scopes", json::array{"account.read", "profile", "email"},
              json::array{"account.read", "profile", "email", "offline_access"}},
         }) {
        auto r = call("POST", clients_path(), json::serialize(valid_body({{g.field, g.value}})));
        ASSERT_EQ(r.status, 200) << g.field << ' ' << r.body;
        auto result = json::parse(r.body).as_object()["result"].as_object();
        EXPECT_EQ(result[g.field], g.rendered.is_null() ? g.value : g.rendered) << g.field;
    }
    auto r = call("POST", clients_path(),
                  json::serialize(valid_body({{"scopes", json::array{"account.read", "apps.read"}},
                                              {"optional_scopes", json::array{"apps.read"}}})));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(json::parse(r.body).as_object()["result"].as_object()["optional_scopes"],
              (json::array{"apps.read"}));
}

TEST_F(CloudflareValidation, MalformedBodiesGet400Code1002) {
    const std::string not_an_object =
        failure_body({{1002, "the request body must be a JSON object"}});
    for (const std::string body : {"{", "[]", "\"text\"", "{\"client_name\":\"x\",}", "nul"}) {
        auto created = call("POST", clients_path(), body);
        EXPECT_EQ(created.status, 400) << body;
        EXPECT_EQ(created.body, not_an_object) << body;
    }
    std::string id = std::string(create_client()["client_id"].as_string());
    auto patched = call("PATCH", client_path(id), "{\"client_name\":");
    EXPECT_EQ(patched.status, 400);
    EXPECT_EQ(patched.body, not_an_object);
}

TEST_F(CloudflareValidation, EveryBadUpdateGets400AndChangesNothing) {
    const json::object original = valid_body({{"scopes", json::array{"account.read", "apps.read"}},
                                              {"optional_scopes", json::array{"apps.read"}}});
    for (const auto& c : std::vector<Case>{
             {"private",
              {{"visibility", "private"}},
              {{1005, "a client cannot be made private again", "/visibility"}}},
             {"to none",
              {{"token_endpoint_auth_method", "none"}},
              {{1005, "token_endpoint_auth_method cannot change between none and a secret method",
                "/token_endpoint_auth_method"}}},
             {"null required array",
              {{"redirect_uris", nullptr}},
              {{1002, "redirect_uris must be an array of strings", "/redirect_uris"}}},
             {"null name",
              {{"client_name", nullptr}},
              {{1002, "client_name must be a string", "/client_name"}}},
             {"empty redirects",
              {{"redirect_uris", json::array{}}},
              {{1005, "redirect_uris must hold at least one URI", "/redirect_uris"}}},
             {"scopes drop an optional one",
              {{"scopes", json::array{"account.read"}}},
              {{1005, "optional scope 'apps.read' must also be in scopes", "/optional_scopes/0"}}},
             {"no authorization_code",
              {{"grant_types", json::array{"refresh_token"}}},
              {{1005, "grant_types must include authorization_code", "/grant_types"}}},
             {"http logo",
              {{"logo_uri", "http://example.com/l.png"}},
              {{1003, "logo_uri must be an absolute https URL", "/logo_uri"}}},
             {"two problems",
              {{"scopes", json::array{"account.read", "a:b"}}},
              {{1004, "scope 'a:b' must not contain ':'", "/scopes/1"},
               {1005, "optional scope 'apps.read' must also be in scopes", "/optional_scopes/0"}}},
         }) {
        std::string path =
            client_path(std::string(create_client(original)["client_id"].as_string()));
        std::string before = call("GET", path).body;
        auto r = call("PATCH", path, json::serialize(c.body));
        EXPECT_EQ(r.status, 400) << c.name;
        EXPECT_EQ(r.body, failure_body(c.errors)) << c.name;
        EXPECT_EQ(call("GET", path).body, before) << c.name;
    }
}

// §4.1: client_uri obeys the same https rule as the other pages, on create
// and on update, and a refused one is not stored.
TEST_F(CloudflareValidation, ClientUriMustBeAnHttpsUrl) {
    const std::string long_uri = "https://example.com/" + std::string(2029, 'a');
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"http://example.com", "client_uri must be an absolute https URL"},
        {"ftp://example.com", "client_uri must be an absolute https URL"},
        {long_uri, "client_uri must be at most 2048 characters"}};
    for (const auto& [uri, message] : cases) {
        auto created = call("POST", clients_path(),
                            json::serialize(valid_body({{"client_uri", json::string(uri)}})));
        EXPECT_EQ(created.status, 400) << uri.substr(0, 40);
        EXPECT_EQ(created.body, failure_body({{1003, message, "/client_uri"}}))
            << uri.substr(0, 40);
    }
    for (const auto& [uri, message] : cases) {
        std::string path = client_path(std::string(create_client()["client_id"].as_string()));
        std::string before = call("GET", path).body;
        auto patched =
            call("PATCH", path, json::serialize(json::object{{"client_uri", json::string(uri)}}));
        EXPECT_EQ(patched.status, 400) << uri.substr(0, 40);
        EXPECT_EQ(patched.body, failure_body({{1003, message, "/client_uri"}}))
            << uri.substr(0, 40);
        EXPECT_EQ(call("GET", path).body, before) << uri.substr(0, 40);
    }
}

// §4: a value outside an enum is code 1002, visibility's {private, public}
// included (the wording of the message is the server's own).
TEST_F(CloudflareValidation, AnUnknownVisibilityIsAnEnumError) {
    std::string id = std::string(create_client()["client_id"].as_string());
    for (const auto& [method, path, body] : std::vector<std::array<std::string, 3>>{
             {"POST", clients_path(), json::serialize(valid_body({{"visibility", "internal"}}))},
             {"PATCH", client_path(id), R"({"visibility":"internal"})"}}) {
        auto r = call(method, path, body);
        EXPECT_EQ(r.status, 400) << method;
        auto errors = json::parse(r.body).as_object()["errors"].as_array();
        ASSERT_EQ(errors.size(), 1u) << r.body;
        EXPECT_EQ(errors[0].as_object()["code"], 1002) << method << ' ' << r.body;
        EXPECT_EQ(json::serialize(errors[0].as_object()["source"]), R"({"pointer":"/visibility"})");
    }
}

TEST_F(CloudflareValidation, PromotionListsEachUnmetPrecondition) {
    const Problem logo{1005, "a public client needs a logo_uri", "/logo_uri"};
    const Problem domain{1005, "a public client needs a client_uri whose domain is verified",
                         "/client_uri"};
    const Problem scope{1005, "a public client needs a scope beyond the identity scopes",
                        "/scopes"};
    struct Promotion {
        json::object body;
        std::string patch;
        std::vector<Problem> errors;
    };
    for (const auto& p : std::vector<Promotion>{
             {valid_body({{"scopes", json::array{"profile"}}}),
              R"({"visibility":"public"})",
              {logo, domain, scope}},
             {valid_body(), R"({"visibility":"public"})", {logo, domain}},
             {valid_body({{"logo_uri", "https://example.com/l.png"},
                          {"client_uri", "https://example.com"},
                          {"scopes", json::array{"profile", "email"}}}),
              R"({"visibility":"public"})",
              {domain, scope}},
             {valid_body({{"client_uri", "https://example.com"}}),
              R"({"visibility":"public","logo_uri":"https://example.com/l.png"})",
              {domain}},
         }) {
        std::string path = client_path(std::string(create_client(p.body)["client_id"].as_string()));
        std::string before = call("GET", path).body;
        auto r = call("PATCH", path, p.patch);
        EXPECT_EQ(r.status, 400) << p.patch;
        EXPECT_EQ(r.body, failure_body(p.errors)) << p.patch;
        EXPECT_EQ(call("GET", path).body, before);
    }
}

TEST_F(CloudflareValidation, AnAccountHoldsAtMost200Clients) {
    const std::string body = json::serialize(valid_body());
    std::string last;
    for (int i = 0; i < 200; ++i) {
        auto r = call("POST", clients_path(), body);
        ASSERT_EQ(r.status, 200) << i << ' ' << r.body;
        if (i == 199)
            last = std::string(
                json::parse(r.body).as_object()["result"].as_object()["client_id"].as_string());
    }
    auto refused = call("POST", clients_path(), body);
    EXPECT_EQ(refused.status, 400);
    EXPECT_EQ(refused.body,
              failure_body({{1006, "an account may have at most 200 OAuth clients"}}));
    auto listed = json::parse(call("GET", clients_path()).body).as_object();
    EXPECT_EQ(listed["result"].as_array().size(), 200u);
    EXPECT_EQ(json::serialize(listed["result_info"]),
              R"({"page":1,"per_page":200,"count":200,"total_count":200})");
    // Another account is not affected, and a deletion makes room.
    user_token("other@example.com");
    std::string other = new_account("Other", "other@example.com");
    add_member(other, kOwnerEmail, core::Role::administrator);
    EXPECT_EQ(call("POST", clients_path(other), body).status, 200);
    ASSERT_EQ(call("DELETE", client_path(last)).status, 200);
    EXPECT_EQ(call("POST", clients_path(), body).status, 200);
}

TEST_F(CloudflareValidation, BodiesOver64KiBGet413InTheEnvelope) {
    auto sized = [](std::size_t size) {
        json::object body = valid_body({{"padding", ""}});
        std::size_t base = json::serialize(body).size();
        body["padding"] = std::string(size - base, 'p');
        return json::serialize(body);
    };
    const std::string too_large = failure_body({{1006, "the request body must be at most 64 KiB"}});
    ASSERT_EQ(sized(65536).size(), 65536u);
    auto at_limit = call("POST", clients_path(), sized(65536));
    EXPECT_EQ(at_limit.status, 200) << at_limit.body;
    std::string id = std::string(
        json::parse(at_limit.body).as_object()["result"].as_object()["client_id"].as_string());
    auto over = call("POST", clients_path(), sized(65537));
    EXPECT_EQ(over.status, 413);
    EXPECT_EQ(over.body, too_large);
    auto patch = call("PATCH", client_path(id), sized(100000));
    EXPECT_EQ(patch.status, 413);
    EXPECT_EQ(patch.body, too_large);
    auto listed = json::parse(call("GET", clients_path()).body).as_object();
    EXPECT_EQ(listed["result"].as_array().size(), 1u);
    // Past the transport's own limit the envelope still comes back.
    auto huge = call("POST", clients_path(), sized(2 * 1024 * 1024));
    EXPECT_EQ(huge.status, 413);
    auto envelope = json::parse(huge.body).as_object();
    EXPECT_EQ(envelope["success"], false);
    EXPECT_TRUE(envelope["result"].is_null());
}

}  // namespace
}  // namespace tessera::testing
