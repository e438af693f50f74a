#include "core/oauth/registration.hpp"

#include <gtest/gtest.h>

#include "base/fake_clock.hpp"
#include "core/accounts/password_authenticator.hpp"
#include "core/keys/key_ring.hpp"
#include "crypto/token_format.hpp"
#include "storage/sqlite/memory_store.hpp"

namespace tessera::core {
namespace {

using Strings = std::vector<std::string>;

class RegistrationTest : public ::testing::Test {
protected:
    RegistrationTest()
        : digester_(Secret(std::string(32, 'k'))), clients_(store_, clock_, random_, digester_) {
        Account account{Id::generate(random_), "owner", clock_.now()};
        owner_ = User{Id::generate(random_), "owner@example.com", "", "", account.id, 0, 0};
        EXPECT_TRUE(store_.create_user(owner_, account).has_value());
    }

    RegistrationService service(RegistrationMode mode) {
        return RegistrationService(clients_, store_, store_, catalog_, clock_, random_, digester_,
                                   {mode, owner_.id, owner_.account_id});
    }
    static ClientMetadata web_app() {
        ClientMetadata m;
        m.client_name = "Web app";
        m.redirect_uris = Strings{"https://app.example/cb"};
        m.grant_types = Strings{"authorization_code", "refresh_token"};
        m.scope = "openid read";
        return m;
    }
    static ClientMetadata update_of(const RegisteredClient& r, ClientMetadata m) {
        m.client_id = r.client.id.uuid();
        return m;
    }

    FakeClock clock_;
    SeededRandom random_{7591};
    storage::sqlite::MemoryStore memory_;
    storage::sqlite::SqliteStore& store_ = memory_.store();
    crypto::Digester digester_;
    ScopeCatalog catalog_ = ScopeCatalog::heroku_default();
    ClientService clients_;
    User owner_;
};

TEST_F(RegistrationTest, OffRegistersNothing) {
    auto off = service(RegistrationMode::off);
    auto r = off.register_client(web_app(), std::nullopt);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, Code::access_denied);
}

TEST_F(RegistrationTest, OpenRegistersAConfidentialClientKeepingOnlyDigests) {
    auto open = service(RegistrationMode::open);
    auto r = open.register_client(web_app(), std::nullopt);
    ASSERT_TRUE(r.has_value()) << r.error().description;
    EXPECT_TRUE(r->client_secret.reveal().starts_with("tcs_"));
    EXPECT_TRUE(r->registration_access_token.reveal().starts_with("tra_"));
    auto stored = store_.find_client(r->client.id);
    ASSERT_TRUE(stored.has_value());
    EXPECT_EQ(stored->owner_id, owner_.id);
    EXPECT_EQ(stored->account_id, owner_.account_id);
    EXPECT_EQ(stored->name, "Web app");
    EXPECT_EQ(stored->scopes, (Strings{"openid", "read"}));
    EXPECT_EQ(stored->token_endpoint_auth_method, "client_secret_basic");
    EXPECT_EQ(stored->refresh_policy, "rotate");  // Heroku spec D3
    EXPECT_EQ(stored->secret_digest, digester_.digest(r->client_secret.reveal()));
    EXPECT_EQ(stored->registration_token_digest,
              digester_.digest(r->registration_access_token.reveal()));
}

TEST_F(RegistrationTest, PublicAndMachineClientsTakeTheirDefaults) {
    auto open = service(RegistrationMode::open);
    ClientMetadata spa;
    spa.redirect_uris = Strings{"http://localhost:3000/cb"};
    spa.token_endpoint_auth_method = "none";
    auto pub = open.register_client(spa, std::nullopt);
    ASSERT_TRUE(pub.has_value()) << pub.error().description;
    EXPECT_TRUE(pub->client_secret.empty());
    EXPECT_EQ(pub->client.name, "Unnamed client");
    EXPECT_EQ(pub->client.grant_types, Strings{"authorization_code"});
    EXPECT_TRUE(pub->client.scopes.empty());  // the whole catalog
    ClientMetadata machine;
    machine.grant_types = Strings{"client_credentials"};
    auto m = open.register_client(machine, std::nullopt);
    ASSERT_TRUE(m.has_value()) << m.error().description;  // no response_types needed
}

TEST_F(RegistrationTest, EveryBrokenRuleIsARegistrationError) {
    auto open = service(RegistrationMode::open);
    struct Case {
        void (*change)(ClientMetadata&);
        Code code;
        const char* description;
    };
    for (auto c : {
             Case{[](ClientMetadata& m) { m.redirect_uris = Strings{"http://evil.example/cb"}; },
                  Code::invalid_redirect_uri,
                  "redirect_uri must use https (http is allowed only for localhost, *.local and "
                  "private IPv4 addresses)"},
             Case{[](ClientMetadata& m) { m.redirect_uris = Strings{"https://a.example/#f"}; },
                  Code::invalid_redirect_uri,
                  "redirect_uri must be an absolute URI without a fragment"},
             Case{[](ClientMetadata& m) { m.redirect_uris.reset(); }, Code::invalid_client_metadata,
                  "authorization_code needs at least one redirect URI"},
             Case{[](ClientMetadata& m) { m.grant_types = Strings{}; },
                  Code::invalid_client_metadata, "grant_types must not be empty"},
             Case{[](ClientMetadata& m) { m.grant_types = Strings{"password"}; },
                  Code::invalid_client_metadata, "unsupported grant type 'password'"},
             Case{[](ClientMetadata& m) {
                      m.response_types = Strings{"code", "token"};
                  },
                  Code::invalid_client_metadata, "response type token needs grant type implicit"},
             Case{[](ClientMetadata& m) {
                      m.response_types = Strings{"code", "none"};
                  },
                  Code::invalid_client_metadata,
                  "unsupported response type 'none' (code, id_token and token, alone or "
                  "combined)"},
             Case{[](ClientMetadata& m) {
                      m.grant_types = Strings{"authorization_code", "implicit"};
                      m.response_types = Strings{"code id_token", "id_token code"};
                  },
                  Code::invalid_client_metadata, "response type 'id_token code' is listed twice"},
             Case{[](ClientMetadata& m) {
                      m.grant_types = Strings{"authorization_code", "implicit"};
                  },
                  Code::invalid_client_metadata,
                  "grant type implicit needs a response type with id_token or token"},
             Case{[](ClientMetadata& m) { m.id_token_signed_response_alg = "HS256"; },
                  Code::invalid_client_metadata,
                  "id_token_signed_response_alg must be ES256, RS256 or EdDSA"},
             Case{[](ClientMetadata& m) { m.id_token_signed_response_alg = ""; },
                  Code::invalid_client_metadata, "id_token_signed_response_alg must not be empty"},
             Case{[](ClientMetadata& m) { m.id_token_signed_response_alg = "RS256"; },
                  Code::invalid_client_metadata,
                  "id_token_signed_response_alg RS256 is not available: this server has no "
                  "RS256 signing key"},
             Case{[](ClientMetadata& m) { m.response_types = Strings{}; },
                  Code::invalid_client_metadata,
                  "grant type authorization_code needs response type code"},
             Case{[](ClientMetadata& m) {
                      m.grant_types = Strings{"client_credentials"};
                      m.response_types = Strings{"code"};
                  },
                  Code::invalid_client_metadata,
                  "response type code needs grant type authorization_code"},
             Case{[](ClientMetadata& m) { m.token_endpoint_auth_method = "private_key_jwt"; },
                  Code::invalid_client_metadata,
                  "token_endpoint_auth_method must be client_secret_basic, client_secret_post or "
                  "none"},
             Case{[](ClientMetadata& m) {
                      m.token_endpoint_auth_method = "none";
                      m.grant_types = Strings{"authorization_code", "client_credentials"};
                  },
                  Code::invalid_client_metadata,
                  "a public client (none) cannot use client_credentials"},
             Case{[](ClientMetadata& m) { m.scope = "read admin"; }, Code::invalid_client_metadata,
                  "unknown scope 'admin'"},
             Case{[](ClientMetadata& m) { m.client_name = "  "; }, Code::invalid_client_metadata,
                  "client_name must not be blank"},
         }) {
        ClientMetadata m = web_app();
        c.change(m);
        auto r = open.register_client(m, std::nullopt);
        ASSERT_FALSE(r.has_value()) << c.description;
        EXPECT_EQ(r.error().code, c.code) << c.description;
        EXPECT_EQ(r.error().description, c.description);
    }
}

TEST_F(RegistrationTest, TokenModeNeedsAUsableInitialToken) {
    auto gated = service(RegistrationMode::token);
    auto issued = gated.issue_initial_token(60, 1);
    ASSERT_TRUE(issued.has_value());
    EXPECT_TRUE(issued->value.reveal().starts_with("tia_"));
    EXPECT_EQ(issued->token.digest, digester_.digest(issued->value.reveal()));
    auto other_kind = crypto::mint_token(crypto::TokenKind::access_token, random_);
    auto unknown = crypto::mint_token(crypto::TokenKind::initial_access_token, random_);
    for (const auto& token : {std::optional<Secret>(), std::optional(other_kind),
                              std::optional(unknown), std::optional(Secret("tia_x"))}) {
        auto r = gated.register_client(web_app(), token);
        ASSERT_FALSE(r.has_value());
        EXPECT_EQ(r.error().code, Code::invalid_token);
        EXPECT_EQ(r.error().description, "the initial access token is invalid or expired");
    }
    // Bad metadata does not spend the single use.
    ClientMetadata bad = web_app();
    bad.scope = "admin";
    EXPECT_EQ(gated.register_client(bad, issued->value).error().code,
              Code::invalid_client_metadata);
    ASSERT_TRUE(gated.register_client(web_app(), issued->value).has_value());
    EXPECT_EQ(gated.register_client(web_app(), issued->value).error().code, Code::invalid_token);
}

TEST_F(RegistrationTest, InitialTokensExpireAndMayAllowManyUses) {
    auto gated = service(RegistrationMode::token);
    auto many = gated.issue_initial_token(60, std::nullopt);
    ASSERT_TRUE(many.has_value());
    for (int i = 0; i < 3; ++i)
        ASSERT_TRUE(gated.register_client(web_app(), many->value).has_value());
    clock_.advance(60);
    EXPECT_EQ(gated.register_client(web_app(), many->value).error().code, Code::invalid_token);
    EXPECT_EQ(gated.issue_initial_token(0, 1).error().code, Code::invalid_params);
    EXPECT_EQ(gated.issue_initial_token(60, 0).error().code, Code::invalid_params);
    auto forever = gated.issue_initial_token(std::nullopt, 2);
    ASSERT_TRUE(forever.has_value());
    EXPECT_EQ(forever->token.expires_at, std::nullopt);
    EXPECT_EQ(forever->token.max_uses, 2);
}

TEST_F(RegistrationTest, OnlyTheClientsOwnRegistrationTokenManagesIt) {
    auto open = service(RegistrationMode::open);
    auto mine = *open.register_client(web_app(), std::nullopt);
    auto theirs = *open.register_client(web_app(), std::nullopt);
    auto id = mine.client.id.uuid();
    auto read = open.read(id, mine.registration_access_token);
    ASSERT_TRUE(read.has_value());
    EXPECT_EQ(read->client.name, "Web app");
    EXPECT_TRUE(read->client_secret.empty());
    // Wrong, another client's, unknown client, malformed id, plain client:
    // all the same error.
    auto plain = clients_.register_client(
        {owner_.id, owner_.account_id, "plain", {}, {"client_credentials"}, {}, "", ""}, catalog_);
    ASSERT_TRUE(plain.has_value());
    auto forged = crypto::mint_token(crypto::TokenKind::registration_access_token, random_);
    for (auto [client_id, token] :
         {std::pair{id, forged}, std::pair{id, theirs.registration_access_token},
          std::pair{Id::generate(random_).uuid(), mine.registration_access_token},
          std::pair{std::string("not-an-id"), mine.registration_access_token},
          std::pair{plain->client.id.uuid(), mine.registration_access_token},
          std::pair{id, Secret(mine.client_secret.reveal())}}) {
        for (const Error& r :
             std::vector<Error>{open.read(client_id, token).error(),
                                open.update(client_id, token, update_of(mine, web_app())).error(),
                                open.remove(client_id, token).error()}) {
            EXPECT_EQ(r.code, Code::invalid_token);
            EXPECT_EQ(r.description, "the registration access token is invalid or expired");
        }
    }
    EXPECT_TRUE(store_.find_client(mine.client.id).has_value());
}

TEST_F(RegistrationTest, UpdateReplacesTheMetadataAndKeepsTheCredentials) {
    auto open = service(RegistrationMode::open);
    auto r = *open.register_client(web_app(), std::nullopt);
    auto token = r.registration_access_token;
    ClientMetadata next;
    next.client_name = "Renamed";
    next.redirect_uris = Strings{"https://app.example/new"};
    next.token_endpoint_auth_method = "client_secret_post";
    next.client_secret = Secret(r.client_secret.reveal());
    clock_.advance(5);
    auto updated = open.update(r.client.id.uuid(), token, update_of(r, next));
    ASSERT_TRUE(updated.has_value()) << updated.error().description;
    auto stored = *store_.find_client(r.client.id);
    EXPECT_EQ(stored.name, "Renamed");
    EXPECT_EQ(stored.redirect_uris, Strings{"https://app.example/new"});
    EXPECT_EQ(stored.grant_types, Strings{"authorization_code"});  // omitted: the default
    EXPECT_TRUE(stored.scopes.empty());
    EXPECT_EQ(stored.token_endpoint_auth_method, "client_secret_post");
    EXPECT_EQ(stored.secret_digest, r.client.secret_digest);
    EXPECT_EQ(stored.registration_token_digest, r.client.registration_token_digest);
    EXPECT_EQ(stored.updated_at, r.client.created_at + 5);
    EXPECT_TRUE(open.read(r.client.id.uuid(), token).has_value());
}

TEST_F(RegistrationTest, UpdateRefusesAnotherIdASecretOrAChangeOfKind) {
    auto open = service(RegistrationMode::open);
    auto r = *open.register_client(web_app(), std::nullopt);
    auto id = r.client.id.uuid();
    const auto& token = r.registration_access_token;
    auto no_id = web_app();
    auto other_id = web_app();
    other_id.client_id = Id::generate(random_).uuid();
    auto chosen_secret = update_of(r, web_app());
    chosen_secret.client_secret = Secret("tcs_mine");
    auto to_public = update_of(r, web_app());
    to_public.token_endpoint_auth_method = "none";
    auto bad_uri = update_of(r, web_app());
    bad_uri.redirect_uris = Strings{"ftp://app.example/cb"};
    for (auto [m, code, description] :
         {std::tuple{no_id, Code::invalid_client_metadata, "client_id must be the client's id"},
          std::tuple{other_id, Code::invalid_client_metadata, "client_id must be the client's id"},
          std::tuple{chosen_secret, Code::invalid_client_metadata,
                     "client_secret must be the client's current secret"},
          std::tuple{to_public, Code::invalid_client_metadata,
                     "token_endpoint_auth_method cannot change between none and a client secret "
                     "method"},
          std::tuple{bad_uri, Code::invalid_redirect_uri,
                     "redirect_uri must use https (http is allowed only for localhost, *.local "
                     "and private IPv4 addresses)"}}) {
        auto updated = open.update(id, token, m);
        ASSERT_FALSE(updated.has_value()) << description;
        EXPECT_EQ(updated.error().code, code);
        EXPECT_EQ(updated.error().description, description);
    }
    EXPECT_EQ(store_.find_client(r.client.id)->name, "Web app");
}

TEST_F(RegistrationTest, RemoveDeletesTheClient) {
    auto open = service(RegistrationMode::open);
    auto r = *open.register_client(web_app(), std::nullopt);
    ASSERT_TRUE(open.remove(r.client.id.uuid(), r.registration_access_token).has_value());
    EXPECT_EQ(store_.find_client(r.client.id).error().code, Code::not_found);
    EXPECT_EQ(open.read(r.client.id.uuid(), r.registration_access_token).error().code,
              Code::invalid_token);
}

// OpenID Connect Registration §2: response_types combinations and the
// grant types they need, kept as registered; RFC 7592 keeps them on update.
TEST_F(RegistrationTest, HybridAndImplicitResponseTypesAreKeptAsRegistered) {
    auto open = service(RegistrationMode::open);
    ClientMetadata m = web_app();
    m.grant_types = Strings{"authorization_code", "implicit"};
    m.response_types = Strings{"code", "code id_token", "id_token token"};
    auto r = open.register_client(m, std::nullopt);
    ASSERT_TRUE(r.has_value()) << r.error().description;
    EXPECT_EQ(store_.find_client(r->client.id)->response_types, *m.response_types);

    ClientMetadata narrower = update_of(*r, web_app());  // defaults again: code only
    auto updated = open.update(r->client.id.uuid(), r->registration_access_token, narrower);
    ASSERT_TRUE(updated.has_value()) << updated.error().description;
    EXPECT_EQ(store_.find_client(r->client.id)->response_types, Strings{"code"});
    EXPECT_EQ(store_.find_client(r->client.id)->grant_types,
              (Strings{"authorization_code", "refresh_token"}));
}

// A client may choose an ID token algorithm only once its key line signs.
TEST_F(RegistrationTest, IdTokenAlgorithmNeedsACurrentKeyOfIt) {
    crypto::SecretBox sealer{Secret(std::string(32, 's'))};
    KeyRing keys{store_, sealer, clock_, random_};
    ASSERT_TRUE(keys.ensure_key().has_value());
    ClientService with_keys{store_, clock_, random_, digester_, nullptr, &keys};
    RegistrationService open(with_keys, store_, store_, catalog_, clock_, random_, digester_,
                             {RegistrationMode::open, owner_.id, owner_.account_id});
    ClientMetadata m = web_app();
    m.id_token_signed_response_alg = "RS256";
    auto refused = open.register_client(m, std::nullopt);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code, Code::invalid_client_metadata);
    EXPECT_EQ(refused.error().description,
              "id_token_signed_response_alg RS256 is not available: this server has no RS256 "
              "signing key");

    ASSERT_TRUE(keys.rotate(crypto::JwsAlgorithm::RS256).has_value());
    auto r = open.register_client(m, std::nullopt);
    ASSERT_TRUE(r.has_value()) << r.error().description;
    EXPECT_EQ(store_.find_client(r->client.id)->id_token_signed_response_alg, "RS256");
    m.id_token_signed_response_alg = "ES256";  // the default line is a line too
    EXPECT_TRUE(open.register_client(m, std::nullopt).has_value());
}

// Open registration: each address has a bucket of 3 here, refilled at one a
// minute; every attempt spends, refused ones too; other addresses and the
// token mode are not limited by it.
TEST_F(RegistrationTest, OpenRegistrationIsLimitedPerAddress) {
    RateLimiter limiter(clock_, 3, 1);
    RegistrationService open(clients_, store_, store_, catalog_, clock_, random_, digester_,
                             {RegistrationMode::open, owner_.id, owner_.account_id}, &limiter);
    Id here = network_address_key("192.0.2.7");
    Id there = network_address_key("198.51.100.9");
    ClientMetadata broken = web_app();
    broken.scope = "admin";
    EXPECT_EQ(open.register_client(broken, std::nullopt, here).error().code,
              Code::invalid_client_metadata);
    EXPECT_TRUE(open.register_client(web_app(), std::nullopt, here).has_value());
    EXPECT_TRUE(open.check_may_register(std::nullopt, here).has_value());
    auto limited = open.register_client(web_app(), std::nullopt, here);
    ASSERT_FALSE(limited.has_value());
    EXPECT_EQ(limited.error().code, Code::rate_limited);
    EXPECT_EQ(limited.error().description,
              "too many client registrations from this address; try again later");
    EXPECT_EQ(open.retry_after(), 60);
    EXPECT_TRUE(open.register_client(web_app(), std::nullopt, there).has_value());
    clock_.advance(60);
    EXPECT_TRUE(open.register_client(web_app(), std::nullopt, here).has_value());

    RegistrationService gated(clients_, store_, store_, catalog_, clock_, random_, digester_,
                              {RegistrationMode::token, owner_.id, owner_.account_id}, &limiter);
    auto token = gated.issue_initial_token(std::nullopt, std::nullopt);
    for (int i = 0; i < 5; ++i)
        EXPECT_TRUE(gated.register_client(web_app(), token->value, here).has_value()) << i;
}

}  // namespace
}  // namespace tessera::core
