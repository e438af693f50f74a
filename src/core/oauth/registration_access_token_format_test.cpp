// A client chooses JWT access tokens (RFC 9068) through `access_token_format`,
// a Tessera extension of the RFC 7591 metadata, and `tessera admin clients
// create --access-token-format` (ClientService::register_client).
#include <gtest/gtest.h>

#include "base/fake_clock.hpp"
#include "core/clients/client_rules.hpp"
#include "core/oauth/registration.hpp"
#include "storage/sqlite/memory_store.hpp"

namespace tessera::core {
namespace {

using Strings = std::vector<std::string>;

TEST(ClientRules, AccessTokenFormatIsOpaqueOrJwt) {
    EXPECT_TRUE(check_access_token_format("opaque").has_value());
    EXPECT_TRUE(check_access_token_format("jwt").has_value());
    for (std::string bad : {"", "JWT", "jwt ", "paseto"}) {
        auto r = check_access_token_format(bad);
        ASSERT_FALSE(r.has_value()) << bad;
        EXPECT_EQ(r.error().code, Code::invalid_params);
        EXPECT_EQ(r.error().subject, "access_token_format");
        EXPECT_EQ(r.error().description, "access_token_format must be opaque or jwt");
    }
}

class RegistrationAccessTokenFormat : public ::testing::Test {
protected:
    static ClientMetadata machine(std::optional<std::string> format) {
        ClientMetadata m;
        m.grant_types = Strings{"client_credentials"};
        m.scope = "read";
        m.access_token_format = std::move(format);
        return m;
    }

    FakeClock clock_;
    SeededRandom random_{9068};
    storage::sqlite::MemoryStore memory_;
    storage::sqlite::SqliteStore& store_ = memory_.store();
    crypto::Digester digester_{Secret(std::string(32, 'k'))};
    ScopeCatalog catalog_ = ScopeCatalog::heroku_default();
    ClientService clients_{store_, clock_, random_, digester_};
    User owner_;
    // After owner_ exists: the policy names it.
    RegistrationService open_ =
        RegistrationService(clients_, store_, store_, catalog_, clock_, random_, digester_,
                            {RegistrationMode::open, create_owner().id, owner_.account_id});

private:
    const User& create_owner() {
        Account account{Id::generate(random_), "owner", clock_.now()};
        owner_ = User{Id::generate(random_), "owner@example.com", "", "", account.id, 0, 0};
        EXPECT_TRUE(store_.create_user(owner_, account).has_value());
        return owner_;
    }
};

TEST_F(RegistrationAccessTokenFormat, DefaultsToOpaqueAndKeepsJwt) {
    auto plain = open_.register_client(machine(std::nullopt), std::nullopt);
    ASSERT_TRUE(plain.has_value()) << plain.error().description;
    EXPECT_EQ(store_.find_client(plain->client.id)->access_token_format, "opaque");
    auto jwt = open_.register_client(machine("jwt"), std::nullopt);
    ASSERT_TRUE(jwt.has_value()) << jwt.error().description;
    EXPECT_EQ(jwt->client.access_token_format, "jwt");
    EXPECT_EQ(store_.find_client(jwt->client.id)->access_token_format, "jwt");
}

TEST_F(RegistrationAccessTokenFormat, AnUnknownFormatIsInvalidMetadata) {
    for (std::string bad : {"", "paseto", "JWT"}) {
        auto r = open_.register_client(machine(bad), std::nullopt);
        ASSERT_FALSE(r.has_value()) << bad;
        EXPECT_EQ(r.error().code, Code::invalid_client_metadata);
        EXPECT_EQ(r.error().description, "access_token_format must be opaque or jwt");
    }
}

TEST_F(RegistrationAccessTokenFormat, UpdateSetsItAndAnOmittedOneIsTheDefault) {
    auto r = *open_.register_client(machine(std::nullopt), std::nullopt);
    auto update = machine("jwt");
    update.client_id = r.client.id.uuid();
    auto updated = open_.update(r.client.id.uuid(), r.registration_access_token, update);
    ASSERT_TRUE(updated.has_value()) << updated.error().description;
    EXPECT_EQ(store_.find_client(r.client.id)->access_token_format, "jwt");
    update.access_token_format.reset();  // RFC 7592 §2.2: omitted, so the default
    ASSERT_TRUE(open_.update(r.client.id.uuid(), r.registration_access_token, update).has_value());
    EXPECT_EQ(store_.find_client(r.client.id)->access_token_format, "opaque");
    update.access_token_format = "opaque ";
    auto refused = open_.update(r.client.id.uuid(), r.registration_access_token, update);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code, Code::invalid_client_metadata);
}

TEST_F(RegistrationAccessTokenFormat, AdminCreatedClientsChooseItToo) {
    NewOAuthClient input{
        owner_.id, owner_.account_id, "Machine", {}, {"client_credentials"}, {"read"}, "", "",
        "jwt"};
    auto created = clients_.register_client(input, catalog_);
    ASSERT_TRUE(created.has_value()) << created.error().description;
    EXPECT_EQ(store_.find_client(created->client.id)->access_token_format, "jwt");
    input.access_token_format = "";
    EXPECT_EQ(clients_.register_client(input, catalog_)->client.access_token_format, "opaque");
    input.access_token_format = "xml";
    EXPECT_EQ(clients_.register_client(input, catalog_).error().subject, "access_token_format");
}

}  // namespace
}  // namespace tessera::core
