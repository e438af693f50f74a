#include "core/auth/token_authenticator.hpp"

#include <gtest/gtest.h>

#include "base/fake_clock.hpp"
#include "core/authorizations/authorization_service.hpp"
#include "storage/sqlite/memory_store.hpp"

namespace tessera::core {
namespace {

class TokenAuthenticatorTest : public ::testing::Test {
protected:
    TokenAuthenticatorTest()
        : digester_(Secret(std::string(32, 'k'))),
          authorizations_(store_, store_, scopes_, clock_, random_, digester_),
          authenticator_(store_, clock_, digester_) {
        Account account{Id::generate(random_), "a", clock_.now()};
        User user{Id::generate(random_), "u@example.com", "", "", account.id, 0, 0};
        EXPECT_TRUE(store_.create_user(user, account).has_value());
        user_ = user.id;
    }

    FakeClock clock_;
    SeededRandom random_{7};
    storage::sqlite::MemoryStore memory_;
    storage::sqlite::SqliteStore& store_ = memory_.store();
    crypto::Digester digester_;
    ScopeCatalog scopes_ = ScopeCatalog::heroku_default();
    AuthorizationService authorizations_;
    TokenAuthenticator authenticator_;
    Id user_;
};

TEST_F(TokenAuthenticatorTest, AcceptsALiveTokenAndNamesTheCaller) {
    auto minted = authorizations_.create_direct({user_, {}, "cli", std::nullopt, false});
    ASSERT_TRUE(minted.has_value());
    EXPECT_TRUE(minted->raw_access_token.reveal().starts_with("HRKU-"));
    EXPECT_EQ(minted->authorization.scope, std::vector<std::string>{"global"});
    auto caller = authenticator_.authenticate(minted->raw_access_token.reveal());
    ASSERT_TRUE(caller.has_value());
    EXPECT_EQ(caller->user_id, user_);
    EXPECT_EQ(caller->authorization_id, minted->authorization.id);
    EXPECT_FALSE(caller->session_id.has_value());  // a direct token starts no session
}

TEST_F(TokenAuthenticatorTest, ExpiredRevokedAndForgedTokensAreAllUnauthenticated) {
    auto expiring = authorizations_.create_direct({user_, {"read"}, "", 60, false});
    ASSERT_TRUE(expiring.has_value());
    EXPECT_TRUE(authenticator_.authenticate(expiring->raw_access_token.reveal()).has_value());
    clock_.advance(60);
    auto expired = authenticator_.authenticate(expiring->raw_access_token.reveal());
    EXPECT_EQ(expired.error().code, Code::unauthenticated);

    auto revoked = authorizations_.create_direct({user_, {}, "", std::nullopt, false});
    ASSERT_TRUE(store_.delete_authorization(revoked->authorization.id).has_value());
    auto gone = authenticator_.authenticate(revoked->raw_access_token.reveal());
    EXPECT_EQ(gone.error().code, Code::unauthenticated);
    EXPECT_EQ(gone.error().description, expired.error().description);

    EXPECT_EQ(authenticator_.authenticate("HRKU-forged").error().code, Code::unauthenticated);
    EXPECT_EQ(authenticator_.authenticate("").error().code, Code::unauthenticated);
}

TEST_F(TokenAuthenticatorTest, DirectAuthorizationsValidateScopeAndExpiry) {
    auto dup = authorizations_.create_direct({user_, {"read", "write", "read"}, "", {}, false});
    EXPECT_EQ(dup->authorization.scope, (std::vector<std::string>{"read", "write"}));
    EXPECT_EQ(authorizations_.create_direct({user_, {"root"}, "", {}, false}).error().subject,
              "scope");
    EXPECT_EQ(authorizations_.create_direct({user_, {}, "", 0, false}).error().subject,
              "expires_in");
    EXPECT_EQ(
        authorizations_.create_direct({user_, {}, "", kMaxExpiresIn + 1, false}).error().subject,
        "expires_in");
}

}  // namespace
}  // namespace tessera::core
