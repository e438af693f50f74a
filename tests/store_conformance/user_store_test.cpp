// core::UserStore on every backend.
#include <gtest/gtest.h>

#include "conformance_test.hpp"

namespace tessera::store_conformance {
namespace {

class UserStoreConformance : public StoreConformance {};

TEST_P(UserStoreConformance, FindsACreatedUserByIdAndByEmailInAnyCase) {
    core::User created = create_user("Alice@Example.COM");

    for (auto email : {"alice@example.com", "ALICE@EXAMPLE.COM", "Alice@Example.COM"}) {
        auto found = users().find_user_by_email(email);
        ASSERT_TRUE(found.has_value()) << email << ": " << found.error().log_detail;
        EXPECT_EQ(found->id, created.id) << email;
    }
    auto found = users().find_user(created.id);
    ASSERT_TRUE(found.has_value()) << found.error().log_detail;
    EXPECT_EQ(found->email, "alice@example.com");  // stored lowercased
    EXPECT_EQ(found->name, created.name);
    EXPECT_EQ(found->password_hash, created.password_hash);
    EXPECT_EQ(found->account_id, created.account_id);
    EXPECT_EQ(found->created_at, created.created_at);
    EXPECT_EQ(found->updated_at, created.updated_at);
    EXPECT_EQ(found->api_key_digest, std::nullopt);
    EXPECT_EQ(count("accounts"), 1);
}

TEST_P(UserStoreConformance, MissingUserIsNotFoundWithSubjectUser) {
    create_user("alice@example.com");
    const Result<core::User> lookups[] = {
        users().find_user(new_id()),
        users().find_user_by_email("bob@example.com"),
        users().find_user_by_email(""),
    };
    for (const auto& lookup : lookups) {
        ASSERT_FALSE(lookup.has_value());
        EXPECT_EQ(lookup.error().code, Code::not_found);
        EXPECT_EQ(lookup.error().subject, "user");
    }
}

TEST_P(UserStoreConformance, DuplicateEmailIsAConflictAndWritesNoAccount) {
    core::User first = create_user("alice@example.com");
    core::Account account{new_id(), "second", clock_.now()};
    core::User second{new_id(), "ALICE@example.com", "Impostor", "", account.id, 0, 0};

    auto created = users().create_user(second, account);
    ASSERT_FALSE(created.has_value());
    EXPECT_EQ(created.error().code, Code::conflict);
    EXPECT_EQ(count("accounts"), 1);
    EXPECT_EQ(count("users"), 1);
    EXPECT_EQ(count("account_members"), 1);
    EXPECT_FALSE(users().find_user(second.id).has_value());
    auto found = users().find_user_by_email("alice@example.com");
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->id, first.id);
}

TEST_P(UserStoreConformance, DuplicateUserIdIsAConflict) {
    core::User first = create_user("alice@example.com");
    core::Account account{new_id(), "second", clock_.now()};
    core::User second{first.id, "bob@example.com", "Bob", "", account.id, 0, 0};
    auto created = users().create_user(second, account);
    ASSERT_FALSE(created.has_value());
    EXPECT_EQ(created.error().code, Code::conflict);
    EXPECT_EQ(count("accounts"), 1);
}

TEST_P(UserStoreConformance, UserWithoutPasswordRoundTripsAnEmptyHash) {
    core::Account account{new_id(), "sso", clock_.now()};
    core::User user{new_id(), "sso@example.com", "", "", account.id, 1, 2};
    ASSERT_TRUE(users().create_user(user, account).has_value());
    auto found = users().find_user(user.id);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->password_hash, "");
    EXPECT_EQ(found->name, "");
    EXPECT_EQ(found->created_at, 1);
    EXPECT_EQ(found->updated_at, 2);
}

TEST_P(UserStoreConformance, NonAsciiNamesAndEmailsRoundTrip) {
    core::Account account{new_id(), "Caf\xc3\xa9", clock_.now()};
    core::User user{
        new_id(), "J\xc3\xbcrgen@Example.com", "J\xc3\xbcrgen \"J\" O'Neil", "h", account.id, 1, 1};
    ASSERT_TRUE(users().create_user(user, account).has_value());
    // ASCII letters fold; other letters are matched as stored.
    auto found = users().find_user_by_email("J\xc3\xbcRGEN@example.COM");
    ASSERT_TRUE(found.has_value()) << found.error().log_detail;
    EXPECT_EQ(found->email, "j\xc3\xbcrgen@example.com");
    EXPECT_EQ(found->name, user.name);
    EXPECT_EQ(accounts().find_account(account.id)->name, "Caf\xc3\xa9");
}

TEST_P(UserStoreConformance, ApiKeyDigestIsReplacedAndMissingUsersAreNotFound) {
    core::User ada = create_user("ada@example.com");
    std::string first = new_digest(), second = new_digest();
    ASSERT_TRUE(users().set_api_key_digest(ada.id, first, 5).has_value());
    EXPECT_EQ(users().find_user_by_email("ADA@example.com")->api_key_digest, first);
    ASSERT_TRUE(users().set_api_key_digest(ada.id, second, 6).has_value());
    auto found = users().find_user(ada.id);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->api_key_digest, second);
    EXPECT_EQ(found->updated_at, 6);
    auto missing = users().set_api_key_digest(new_id(), first, 7);
    ASSERT_FALSE(missing.has_value());
    EXPECT_EQ(missing.error().code, Code::not_found);
    EXPECT_EQ(missing.error().subject, "user");
}

TEST_P(UserStoreConformance, TwoUsersCannotShareAnApiKeyDigest) {
    core::User ada = create_user("ada@example.com");
    core::User bob = create_user("bob@example.com");
    std::string digest = new_digest();
    ASSERT_TRUE(users().set_api_key_digest(ada.id, digest, 5).has_value());
    auto clash = users().set_api_key_digest(bob.id, digest, 6);
    ASSERT_FALSE(clash.has_value());
    EXPECT_EQ(clash.error().code, Code::conflict);
    EXPECT_EQ(users().find_user(bob.id)->api_key_digest, std::nullopt);
}

INSTANTIATE_TEST_SUITE_P(Backends, UserStoreConformance, kBackends, backend_name);

}  // namespace
}  // namespace tessera::store_conformance
