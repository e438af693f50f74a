#include "core/accounts/password_authenticator.hpp"

#include <gtest/gtest.h>

#include "base/fake_clock.hpp"
#include "base/random.hpp"
#include "core/accounts/user_service.hpp"
#include "storage/sqlite/memory_store.hpp"

namespace tessera::core {
namespace {

class PasswordAuthenticatorTest : public ::testing::Test {
protected:
    PasswordAuthenticatorTest() {
        EXPECT_TRUE(users_.create({"Ada@Example.com", "correct horse battery", "Ada"}));
    }
    Id address(std::uint8_t n) {
        std::array<std::uint8_t, 16> b{};
        b[0] = n;
        return Id(b);
    }

    FakeClock clock_;
    SeededRandom random_{9};
    storage::sqlite::MemoryStore memory_;
    storage::sqlite::SqliteStore& store_ = memory_.store();
    UserService users_{store_, clock_, random_};
    RateLimiter per_account_{clock_, 3, 3};  // 3 attempts, 3 more a minute
    RateLimiter per_address_{clock_, 5, 5};
    PasswordAuthenticator authenticator_{store_, per_account_, per_address_};
};

TEST_F(PasswordAuthenticatorTest, SignsInWithTheRightPasswordOnly) {
    auto ok = authenticator_.authenticate("ada@example.com", "correct horse battery", address(1));
    ASSERT_TRUE(ok.has_value());
    EXPECT_EQ(ok->name, "Ada");
    auto wrong = authenticator_.authenticate("ADA@example.com", "wrong", address(1));
    auto unknown = authenticator_.authenticate("bob@example.com", "wrong", address(1));
    EXPECT_EQ(wrong.error().code, Code::unauthenticated);
    EXPECT_EQ(unknown.error().code, Code::unauthenticated);
    EXPECT_EQ(wrong.error().description, unknown.error().description);  // no hint which
    EXPECT_EQ(authenticator_.authenticate("not an email", "x", address(1)).error().code,
              Code::unauthenticated);
}

TEST_F(PasswordAuthenticatorTest, GuessingIsRateLimitedPerAccountAndPerAddress) {
    for (int i = 0; i < 3; ++i)
        EXPECT_EQ(authenticator_.authenticate("ada@example.com", "guess", address(2)).error().code,
                  Code::unauthenticated);
    // The account's bucket is empty: even the right password waits, from anywhere.
    EXPECT_EQ(authenticator_.authenticate("ada@example.com", "correct horse battery", address(3))
                  .error()
                  .code,
              Code::rate_limited);
    clock_.advance(60);
    EXPECT_TRUE(
        authenticator_.authenticate("ada@example.com", "correct horse battery", address(3)));
    // One address spraying many accounts runs out too.
    for (int i = 0; i < 5; ++i)
        (void)authenticator_.authenticate("user" + std::to_string(i) + "@example.com", "x",
                                          address(4));
    EXPECT_EQ(authenticator_.authenticate("other@example.com", "x", address(4)).error().code,
              Code::rate_limited);
}

}  // namespace
}  // namespace tessera::core
