// The OAuth rules in core: client authentication, the client_credentials
// grant, introspection and revocation, on a real SqliteStore(":memory:") with a
// fake clock.
#include <gtest/gtest.h>

#include "base/fake_clock.hpp"
#include "core/clients/client_service.hpp"
#include "core/oauth/client_authenticator.hpp"
#include "core/oauth/introspection.hpp"
#include "core/oauth/revocation.hpp"
#include "core/oauth/token/token_service.hpp"
#include "crypto/token_format.hpp"
#include "storage/sqlite/memory_store.hpp"

namespace tessera::core {
namespace {

class OAuthRules : public ::testing::Test {
protected:
    OAuthRules() {
        Account account{Id::generate(random_), "a", 0};
        User user{Id::generate(random_), "o@example.com", "", "", account.id, 0, 0};
        EXPECT_TRUE(store_.create_user(user, account).has_value());
        owner_ = user;
        machine_ = add_client({"client_credentials"}, {"read", "write"}, "client_secret_basic");
    }

    ClientWithSecret add_client(std::vector<std::string> grants, std::vector<std::string> scopes,
                                std::string method, std::vector<std::string> uris = {}) {
        auto created = clients_.register_client(
            {owner_.id, owner_.account_id, "c", uris, grants, scopes, method, ""}, catalog_);
        EXPECT_TRUE(created.has_value()) << created.error().description;
        return std::move(*created);
    }
    Result<Client> authenticate(const ClientWithSecret& c, std::optional<std::string> secret) {
        return authenticator_.authenticate(
            {c.client.id.hex(), secret ? std::optional<Secret>(Secret(*secret)) : std::nullopt});
    }
    IssuedToken mint(const std::string& scope = "read") {
        auto issued = tokens_.exchange(machine_.client, {"client_credentials", scope});
        EXPECT_TRUE(issued.has_value());
        return std::move(*issued);
    }

    FakeClock clock_;
    SeededRandom random_{11};
    crypto::Digester digester_{Secret(std::string(32, 'k'))};
    ScopeCatalog catalog_ = ScopeCatalog::heroku_default();
    storage::sqlite::MemoryStore memory_;
    storage::sqlite::SqliteStore& store_ = memory_.store();
    ClientService clients_{store_, clock_, random_, digester_};
    ClientAuthenticator authenticator_{store_, digester_};
    TokenService tokens_{store_, store_, catalog_, clock_, random_, digester_, TokenPolicy{600}};
    Introspector introspector_{store_, store_, store_, store_, clock_, digester_};
    Revoker revoker_{store_, store_, store_, digester_};
    User owner_;
    ClientWithSecret machine_;
};

TEST_F(OAuthRules, ConfidentialClientsAuthenticateWithTheirSecretOnly) {
    EXPECT_TRUE(authenticate(machine_, machine_.secret.reveal()).has_value());
    for (auto bad : std::vector<std::optional<std::string>>{std::nullopt, "", "tcs_wrong"}) {
        auto r = authenticate(machine_, bad);
        ASSERT_FALSE(r.has_value());
        EXPECT_EQ(r.error().code, Code::invalid_client);
        EXPECT_EQ(r.error().description, "client authentication failed");
    }
    auto unknown = authenticator_.authenticate({Id::generate(random_).uuid(), Secret("x")});
    EXPECT_EQ(unknown.error().code, Code::invalid_client);
    EXPECT_EQ(authenticator_.authenticate({"not an id", Secret("x")}).error().code,
              Code::invalid_client);
}

TEST_F(OAuthRules, APreviousSecretStillAuthenticatesUntilDropped) {
    std::string old_digest = machine_.client.secret_digest;
    Secret fresh("tcs_fresh-secret");
    ASSERT_TRUE(store_
                    .set_client_secrets(machine_.client.id, digester_.digest(fresh.reveal()),
                                        old_digest, std::nullopt, clock_.now())
                    .has_value());
    EXPECT_TRUE(authenticate(machine_, fresh.reveal()).has_value());
    EXPECT_TRUE(authenticate(machine_, machine_.secret.reveal()).has_value());
    ASSERT_TRUE(store_
                    .set_client_secrets(machine_.client.id, digester_.digest(fresh.reveal()),
                                        std::nullopt, std::nullopt, clock_.now())
                    .has_value());
    EXPECT_FALSE(authenticate(machine_, machine_.secret.reveal()).has_value());
}

TEST_F(OAuthRules, PublicClientsHaveNoSecretAndMustNotSendOne) {
    auto app = add_client({"authorization_code"}, {}, "none", {"http://localhost/cb"});
    EXPECT_TRUE(app.secret.empty());
    EXPECT_EQ(app.client.refresh_policy, "rotate");  // Heroku spec D3
    EXPECT_TRUE(authenticate(app, std::nullopt).has_value());
    EXPECT_FALSE(authenticate(app, "anything").has_value());
}

TEST_F(OAuthRules, RegistrationChecksEveryField) {
    struct Case {
        std::vector<std::string> grants, scopes, uris;
        std::string method, policy, field;
    };
    for (const auto& c :
         {Case{{"password"}, {}, {}, "", "", "grant_types"},
          Case{{"client_credentials", "client_credentials"}, {}, {}, "", "", "grant_types"},
          Case{{"authorization_code"}, {}, {}, "", "", "redirect_uris"},
          Case{{"client_credentials"}, {}, {}, "private_key_jwt", "", "token_endpoint_auth_method"},
          Case{{"client_credentials"}, {}, {}, "none", "", "token_endpoint_auth_method"},
          Case{{"client_credentials"}, {}, {}, "", "sometimes", "refresh_policy"},
          Case{{"client_credentials"}, {"root"}, {}, "", "", "scope"},
          Case{{"authorization_code"}, {}, {"http://evil.com/cb"}, "", "", "redirect_uri"}}) {
        auto r = clients_.register_client(
            {owner_.id, owner_.account_id, "x", c.uris, c.grants, c.scopes, c.method, c.policy},
            catalog_);
        ASSERT_FALSE(r.has_value()) << c.field;
        EXPECT_EQ(r.error().code, Code::invalid_params);
        EXPECT_EQ(r.error().subject, c.field);
    }
}

TEST_F(OAuthRules, ClientCredentialsGrantsRegisteredScopesWithoutRefreshOrUser) {
    auto issued = mint("read");
    EXPECT_TRUE(issued.access_token.reveal().starts_with("tat_"));
    EXPECT_EQ(issued.expires_in, 600);
    auto defaulted = tokens_.exchange(machine_.client, {"client_credentials", std::nullopt});
    EXPECT_EQ(defaulted->scope, (std::vector<std::string>{"read", "write"}));
    const std::string& raw = issued.access_token.reveal();
    auto id = crypto::embedded_id(raw);
    ASSERT_TRUE(id.has_value());  // found by its id: no digest index is needed
    EXPECT_FALSE(store_.find_access_token(digester_.digest(raw)).has_value());
    auto stored = store_.find_access_token(digester_.digest(raw), id);
    ASSERT_TRUE(stored.has_value());
    EXPECT_EQ(stored->id, *id);
    EXPECT_TRUE(stored->id_in_token);
    EXPECT_FALSE(stored->user_id.has_value());
    EXPECT_FALSE(stored->authorization_id.has_value());
    EXPECT_EQ(stored->client_id, machine_.client.id);
    EXPECT_EQ(stored->expires_at, clock_.now() + 600);
}

TEST_F(OAuthRules, ClientCredentialsRefusesWhatTheClientMayNotDo) {
    auto r1 = tokens_.exchange(machine_.client, {"client_credentials", "global"});
    EXPECT_EQ(r1.error().code, Code::invalid_scope);
    auto r2 = tokens_.exchange(machine_.client, {"client_credentials", "read  write"});
    EXPECT_EQ(r2.error().code, Code::invalid_scope);
    auto web =
        add_client({"authorization_code"}, {}, "client_secret_basic", {"https://example.com/cb"});
    auto r3 = tokens_.exchange(web.client, {"client_credentials", "read"});
    EXPECT_EQ(r3.error().code, Code::unauthorized_client);
    auto r4 = tokens_.exchange(machine_.client, {"password", std::nullopt});
    EXPECT_EQ(r4.error().code, Code::unsupported_grant_type);
    auto anything = add_client({"client_credentials"}, {}, "client_secret_basic");
    auto r5 = tokens_.exchange(anything.client, {"client_credentials", std::nullopt});
    EXPECT_EQ(r5.error().code, Code::invalid_scope);  // no default to fall back on
    EXPECT_TRUE(tokens_.exchange(anything.client, {"client_credentials", "identity"}));
}

TEST_F(OAuthRules, IntrospectionTurnsInactiveAtExpiry) {
    auto issued = mint();
    auto live = introspector_.introspect(machine_.client, issued.access_token.reveal());
    ASSERT_TRUE(live.has_value());
    EXPECT_TRUE(live->active);
    EXPECT_EQ(live->scope, std::vector<std::string>{"read"});
    clock_.advance(599);
    EXPECT_TRUE(introspector_.introspect(machine_.client, issued.access_token.reveal())->active);
    clock_.advance(1);
    EXPECT_FALSE(introspector_.introspect(machine_.client, issued.access_token.reveal())->active);
}

TEST_F(OAuthRules, RevocationIsForTheIssuingClientAndIdempotent) {
    auto issued = mint();
    auto other = add_client({"client_credentials"}, {"read"}, "client_secret_post");
    EXPECT_EQ(revoker_.revoke(other.client, issued.access_token.reveal()).error().code,
              Code::unauthorized_client);
    EXPECT_TRUE(introspector_.introspect(machine_.client, issued.access_token.reveal())->active);
    EXPECT_TRUE(revoker_.revoke(machine_.client, issued.access_token.reveal()).has_value());
    EXPECT_FALSE(introspector_.introspect(machine_.client, issued.access_token.reveal())->active);
    EXPECT_TRUE(revoker_.revoke(machine_.client, issued.access_token.reveal()).has_value());
    EXPECT_TRUE(revoker_.revoke(machine_.client, "garbage").has_value());
}

TEST_F(OAuthRules, UsersIntrospectWithAGlobalTokenWithinTheirAccount) {
    auto issued = mint();
    Caller global{owner_.id, Id::generate(random_), {"global"}};
    auto seen = introspector_.introspect_for_user(global, issued.access_token.reveal());
    ASSERT_TRUE(seen.has_value());
    EXPECT_TRUE(seen->active);
    Caller narrow{owner_.id, Id::generate(random_), {"read"}};
    EXPECT_EQ(introspector_.introspect_for_user(narrow, issued.access_token.reveal()).error().code,
              Code::forbidden);
    Account other{Id::generate(random_), "b", 0};
    User stranger{Id::generate(random_), "s@example.com", "", "", other.id, 0, 0};
    ASSERT_TRUE(store_.create_user(stranger, other).has_value());
    Caller outsider{stranger.id, Id::generate(random_), {"global"}};
    EXPECT_FALSE(introspector_.introspect_for_user(outsider, issued.access_token.reveal())->active);
}

TEST_F(OAuthRules, PublicClientsCannotIntrospect) {
    auto issued = mint();
    auto app = add_client({"authorization_code"}, {}, "none", {"http://localhost/cb"});
    EXPECT_EQ(introspector_.introspect(app.client, issued.access_token.reveal()).error().code,
              Code::invalid_client);
    EXPECT_TRUE(introspector_.introspect(machine_.client, issued.access_token.reveal())->active);
}

}  // namespace
}  // namespace tessera::core
