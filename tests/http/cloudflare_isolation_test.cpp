// Wire tests for who may call the Cloudflare v4 surface (Cloudflare spec
// §1.3, §7): credential headers, roles and credential scopes, and tenant
// isolation for every account-scoped endpoint, against the real server on
// loopback. After every refused call the owner still sees the same clients.
#include <gtest/gtest.h>

#include "cloudflare_fixture.hpp"

namespace tessera::testing {
namespace {

using CloudflareCredentials = CloudflareWire;

std::string header_error(int code, const std::string& header) {
    return R"({"success":false,"errors":[{"code":6003,"message":"Invalid request headers",)"
           R"("error_chain":[{"code":)" +
           std::to_string(code) + R"(,"message":"Invalid format for )" + header +
           R"( header"}]}],"messages":[],"result":null})";
}

std::string global_key(const std::string& email, const std::string& key) {
    return "X-Auth-Email: " + email + "\r\nX-Auth-Key: " + key + "\r\n";
}

// One account-scoped endpoint (§1.2) and a body that would change something.
struct Endpoint {
    std::string name;
    std::string method;
    std::string suffix;  // after the client id; unused without one
    bool with_client;
    bool writes;
    std::string body;
};

std::vector<Endpoint> endpoints() {
    return {
        {"list", "GET", "", false, false, ""},
        {"create", "POST", "", false, true, json::serialize(valid_body())},
        {"get", "GET", "", true, false, ""},
        {"update", "PATCH", "", true, true,
         R"({"client_name":"Hijacked","redirect_uris":["https://evil.example/cb"]})"},
        {"rotate_secret", "POST", "/rotate_secret", true, true, ""},
        {"delete_rotated_secret", "DELETE", "/rotate_secret", true, true, ""},
        {"delete", "DELETE", "", true, true, ""},
    };
}

std::string target(const Endpoint& e, const std::string& account, const std::string& client) {
    std::string path = "/client/v4/accounts/" + account + "/oauth_clients";
    return e.with_client ? path + "/" + client + e.suffix : path;
}

// ---- credentials (§1.3, §7) ----

TEST_F(CloudflareCredentials, MissingOrUnknownCredentialsGet401Code10000) {
    std::string forged = token_;
    forged.back() = forged.back() == 'A' ? 'B' : 'A';  // breaks the checksum
    for (const auto& credentials :
         {std::string(), bearer("nope"), bearer(forged), bearer("tat_" + std::string(60, 'x')),
          global_key(kOwnerEmail, "tak_unknown"), global_key("nobody@example.com", "x")}) {
        auto r = send(credentials, "GET", clients_path());
        EXPECT_EQ(r.status, 401) << credentials;
        EXPECT_EQ(r.body, authentication_error_body()) << credentials;
        EXPECT_EQ(r.header("content-type"), "application/json");
    }
}

TEST_F(CloudflareCredentials, MalformedAuthorizationHeadersGet400Code6003) {
    std::string key = api_key(kOwnerEmail);
    for (const std::string value :
         {"Basic abc", "Bearer", "Bearer a b", "Token abc", "Bearer  abc", "bearer"}) {
        auto r = send("Authorization: " + value + "\r\n", "GET", clients_path());
        EXPECT_EQ(r.status, 400) << value;
        EXPECT_EQ(r.body, header_error(6111, "Authorization")) << value;
        // The Authorization header decides even beside a valid global key.
        auto both = send("Authorization: " + value + "\r\n" + global_key(kOwnerEmail, key), "GET",
                         clients_path());
        EXPECT_EQ(both.status, 400) << value;
    }
}

TEST_F(CloudflareCredentials, IncompleteOrMalformedGlobalKeyHeadersGet400Code6003) {
    std::string key = api_key(kOwnerEmail);
    struct Case {
        std::string headers;
        int code;
        std::string header;
    };
    for (const auto& c : std::vector<Case>{
             {"X-Auth-Email: " + kOwnerEmail + "\r\n", 6103, "X-Auth-Key"},
             {"X-Auth-Key: " + key + "\r\n", 6102, "X-Auth-Email"},
             {"X-Auth-Email: " + kOwnerEmail + "\r\nX-Auth-Key: \r\n", 6103, "X-Auth-Key"},
             {"X-Auth-Email: \r\nX-Auth-Key: " + key + "\r\n", 6102, "X-Auth-Email"},
             {"X-Auth-Email: a b@example.com\r\nX-Auth-Key: " + key + "\r\n", 6102, "X-Auth-Email"},
         }) {
        auto r = send(c.headers, "GET", clients_path());
        EXPECT_EQ(r.status, 400) << c.headers;
        EXPECT_EQ(r.body, header_error(c.code, c.header)) << c.headers;
    }
}

TEST_F(CloudflareCredentials, AGlobalApiKeyWorksUntilANewOneIsIssued) {
    std::string old_key = api_key(kOwnerEmail);
    EXPECT_EQ(send(global_key(kOwnerEmail, old_key), "GET", clients_path()).status, 200);
    auto created = send(global_key(kOwnerEmail, old_key), "POST", clients_path(),
                        json::serialize(valid_body()));
    EXPECT_EQ(created.status, 200) << created.body;

    user_token("other@example.com");
    std::string other_key = api_key("other@example.com");
    auto swapped = send(global_key(kOwnerEmail, other_key), "GET", clients_path());
    EXPECT_EQ(swapped.status, 401);  // a key only works with its own email
    EXPECT_EQ(swapped.body, authentication_error_body());

    std::string new_key = api_key(kOwnerEmail);
    auto stale = send(global_key(kOwnerEmail, old_key), "GET", clients_path());
    EXPECT_EQ(stale.status, 401);
    EXPECT_EQ(stale.body, authentication_error_body());
    EXPECT_EQ(send(global_key(kOwnerEmail, new_key), "GET", clients_path()).status, 200);
}

TEST_F(CloudflareCredentials, AUserServiceKeyAloneGets403) {
    auto r = send("X-Auth-User-Service-Key: v1.0-0123456789abcdef\r\n", "GET", clients_path());
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(r.body, authentication_error_body());
}

TEST_F(CloudflareCredentials, ABearerTokenWinsOverGlobalKeyHeaders) {
    std::string key = api_key(kOwnerEmail);
    // Decision C5; the TS SDK sends every configured credential at once (§1.3).
    EXPECT_EQ(
        send(bearer(token_) + global_key(kOwnerEmail, "tak_wrong"), "GET", clients_path()).status,
        200);
    EXPECT_EQ(send(bearer(token_) + global_key(kOwnerEmail, key), "GET", clients_path()).status,
              200);
    EXPECT_EQ(send(bearer(token_) + "X-Auth-Email: " + kOwnerEmail + "\r\n", "GET", clients_path())
                  .status,
              200);
    auto bad_bearer = send(bearer("nope") + global_key(kOwnerEmail, key), "GET", clients_path());
    EXPECT_EQ(bad_bearer.status, 401);
    EXPECT_EQ(bad_bearer.body, authentication_error_body());
}

TEST_F(CloudflareCredentials, AReadScopedTokenReadsButCannotWrite) {
    auto created = create_client();
    std::string id = std::string(created["client_id"].as_string());
    std::string read = user_token(kOwnerEmail, {"read"});
    std::string before = call("GET", clients_path()).body;
    for (const auto& e : endpoints()) {
        std::string path = target(e, account_, id);
        auto r = as(read, e.method, path, e.body);
        if (e.writes) {
            EXPECT_EQ(r.status, 403) << e.name;
            EXPECT_EQ(r.body, authentication_error_body()) << e.name;
        } else {
            EXPECT_EQ(r.status, 200) << e.name;
            EXPECT_EQ(r.body, call("GET", path).body) << e.name;
        }
        EXPECT_EQ(call("GET", clients_path()).body, before) << e.name;
    }
    std::string write = user_token(kOwnerEmail, {"write"});
    EXPECT_EQ(as(write, "POST", clients_path(), json::serialize(valid_body())).status, 200);
    std::string identity = user_token(kOwnerEmail, {"identity"});
    EXPECT_EQ(as(identity, "GET", clients_path()).status, 403);
}

TEST_F(CloudflareCredentials, RolesDecideWhatMembersMayDo) {
    struct Member {
        std::string email;
        core::Role role;
        bool writes;
    };
    for (const auto& m : std::vector<Member>{
             {"read@example.com", core::Role::oauth_client_read, false},
             {"write@example.com", core::Role::oauth_client_write, true},
             {"admin@example.com", core::Role::administrator, true},
             {"super@example.com", core::Role::super_administrator, true},
         }) {
        std::string token = user_token(m.email);
        add_member(account_, m.email, m.role);
        EXPECT_EQ(as(token, "GET", clients_path()).status, 200) << m.email;
        auto created = as(token, "POST", clients_path(), json::serialize(valid_body()));
        EXPECT_EQ(created.status, m.writes ? 200 : 403) << m.email;
    }
}

TEST(CloudflareRateLimit, PastTheLimitCallsGet429WithRetryAfter) {
    app::Config config;
    config.rate_limit_capacity = 3;
    config.rate_limit_per_minute = 1;
    TestServer server(config);
    Client http(server.port());
    std::string token = server.create_user_token(kOwnerEmail);
    auto account = server.app().accounts().create("Acme", kOwnerEmail);
    ASSERT_TRUE(account.has_value());
    std::string path = "/client/v4/accounts/" + account->id.hex() + "/oauth_clients";
    for (int i = 0; i < 3; ++i) EXPECT_EQ(http.send("GET", path, bearer(token)).status, 200) << i;
    auto limited = http.send("GET", path, bearer(token));
    EXPECT_EQ(limited.status, 429);
    EXPECT_EQ(limited.header("retry-after"), "60");
    EXPECT_EQ(limited.body, failure_body({{10429, "Rate limited"}}));
}

// ---- tenant isolation (§1.3, §1.7, §7) ----

class TwoAccounts : public CloudflareWire {
protected:
    TwoAccounts() {
        auto a = create_client(valid_body({{"client_name", "Alpha Private App"}}));
        client_a_ = std::string(a["client_id"].as_string());
        secret_a_ = std::string(a["client_secret"].as_string());
        rotated_a_ = std::string(
            create_client(valid_body({{"client_name", "Alpha Rotated App"}}))["client_id"]
                .as_string());
        EXPECT_EQ(call("POST", client_path(rotated_a_) + "/rotate_secret").status, 200);

        bob_ = user_token("bob@example.com");
        bob_key_ = api_key("bob@example.com");
        account_b_ = new_account("Bobco", "bob@example.com");
        auto b = as(bob_, "POST", clients_path(account_b_), json::serialize(valid_body()));
        EXPECT_EQ(b.status, 200) << b.body;
        client_b_ = std::string(
            json::parse(b.body).as_object()["result"].as_object()["client_id"].as_string());

        rita_ = user_token("rita@example.com");
        add_member(account_, "rita@example.com", core::Role::oauth_client_read);
    }

    // The client of account_ an endpoint acts on: one with a rotated secret
    // for delete_rotated_secret, so that call would change something.
    std::string client_for(const Endpoint& e) const {
        return e.name == "delete_rotated_secret" ? rotated_a_ : client_a_;
    }
    std::string snapshot_a() { return call("GET", clients_path()).body; }
    std::string snapshot_b() { return as(bob_, "GET", clients_path(account_b_)).body; }
    // Nothing about account_ that its outsiders did not send themselves.
    void expect_no_leak(const WireResponse& r, const std::string& what) {
        for (const auto& secret : {std::string("Alpha"), kOwnerEmail, std::string("Acme"),
                                   secret_a_, std::string("client_secret")})
            EXPECT_EQ(r.body.find(secret), std::string::npos) << what << ": " << r.body;
    }

    std::string client_a_, secret_a_, rotated_a_;
    std::string bob_, bob_key_, account_b_, client_b_, rita_;
};

TEST_F(TwoAccounts, ANonMemberGetsTheSame404AsForAnUnknownAccount) {
    const std::string before_a = snapshot_a(), before_b = snapshot_b();
    const std::string unknown = "0123456789abcdef0123456789abcdef";
    for (const auto& e : endpoints()) {
        for (const auto& credentials : {bearer(bob_), global_key("bob@example.com", bob_key_)}) {
            std::string path = target(e, account_, client_for(e));
            auto r = send(credentials, e.method, path, e.body);
            EXPECT_EQ(r.status, 404) << e.name;
            EXPECT_EQ(r.body, not_routable_body(path)) << e.name;
            expect_no_leak(r, e.name);
            std::string random_path = target(e, unknown, client_for(e));
            auto random = send(credentials, e.method, random_path, e.body);
            EXPECT_EQ(random.status, r.status) << e.name;
            EXPECT_EQ(random.body, not_routable_body(random_path)) << e.name;
            EXPECT_EQ(snapshot_a(), before_a) << e.name;
        }
    }
    EXPECT_EQ(snapshot_b(), before_b);
}

TEST_F(TwoAccounts, AReadMemberReadsButEveryWriteGets403) {
    const std::string before = snapshot_a();
    for (const auto& e : endpoints()) {
        std::string path = target(e, account_, client_for(e));
        auto r = as(rita_, e.method, path, e.body);
        if (e.writes) {
            EXPECT_EQ(r.status, 403) << e.name;
            EXPECT_EQ(r.body, authentication_error_body()) << e.name;
        } else {
            EXPECT_EQ(r.status, 200) << e.name;
            EXPECT_EQ(r.body, call("GET", path).body) << e.name;  // what the owner sees
        }
        EXPECT_EQ(snapshot_a(), before) << e.name;
    }
}

TEST_F(TwoAccounts, NoCredentialsGet401BeforeAnyIdIsLookedAt) {
    const std::string before = snapshot_a();
    for (const auto& e : endpoints()) {
        for (const auto& account : {account_, std::string("0123456789abcdef0123456789abcdef"),
                                    std::string("not-an-id")}) {
            auto r = send("", e.method, target(e, account, client_for(e)), e.body);
            EXPECT_EQ(r.status, 401) << e.name << ' ' << account;
            EXPECT_EQ(r.body, authentication_error_body()) << e.name;
        }
        EXPECT_EQ(snapshot_a(), before) << e.name;
    }
}

TEST_F(TwoAccounts, AnotherAccountsClientIdInYourOwnPathGets404) {
    const std::string before_a = snapshot_a(), before_b = snapshot_b();
    for (const auto& e : endpoints()) {
        if (!e.with_client) continue;
        std::string path = target(e, account_b_, client_for(e));
        auto r = as(bob_, e.method, path, e.body);
        EXPECT_EQ(r.status, 404) << e.name;
        EXPECT_EQ(r.body, not_routable_body(path)) << e.name;
        expect_no_leak(r, e.name);
        // The owner of account_ cannot reach Bob's client through account_ either.
        std::string reverse = target(e, account_, client_b_);
        auto back = call(e.method, reverse, e.body);
        EXPECT_EQ(back.status, 404) << e.name;
        EXPECT_EQ(back.body, not_routable_body(reverse)) << e.name;
        EXPECT_EQ(snapshot_a(), before_a) << e.name;
        EXPECT_EQ(snapshot_b(), before_b) << e.name;
    }
}

TEST_F(TwoAccounts, RefusedCallsLeaveTheSecretsWorking) {
    for (const auto& e : endpoints()) {
        std::string path = target(e, account_, client_for(e));
        send("", e.method, path, e.body);
        as(bob_, e.method, path, e.body);
        as(rita_, e.method, path, e.body);
        if (e.with_client) as(bob_, e.method, target(e, account_b_, client_for(e)), e.body);
    }
    auto tokens = redeem(client_a_, secret_a_, code_for(client_a_));
    EXPECT_EQ(tokens.status, 200) << tokens.body;
    auto a = fetch(client_a_);
    EXPECT_EQ(a["client_name"], "Alpha Private App");
    EXPECT_EQ(a["has_rotated_secret"], false);
    EXPECT_EQ(fetch(rotated_a_)["has_rotated_secret"], true);
}

}  // namespace
}  // namespace tessera::testing
