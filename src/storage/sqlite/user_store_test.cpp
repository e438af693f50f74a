#include <gtest/gtest.h>

#include "storage/sqlite/sqlite_test_fixture.hpp"

namespace tessera::storage::sqlite {
namespace {

class SqliteUserStore : public StoreTest {};

TEST_P(SqliteUserStore, FindsACreatedUserByIdAndByEmailInAnyCase) {
    core::User created = create_user("Alice@Example.COM");

    for (auto email : {"alice@example.com", "ALICE@EXAMPLE.COM", "Alice@Example.COM"}) {
        auto found = store_->find_user_by_email(email);
        ASSERT_TRUE(found.has_value()) << email;
        EXPECT_EQ(found->id, created.id) << email;
    }
    auto found = store_->find_user(created.id);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->email, "alice@example.com");  // stored lowercased
    EXPECT_EQ(found->name, created.name);
    EXPECT_EQ(found->password_hash, created.password_hash);
    EXPECT_EQ(found->account_id, created.account_id);
    EXPECT_EQ(found->created_at, created.created_at);
    EXPECT_EQ(found->updated_at, created.updated_at);
    EXPECT_EQ(query_int("SELECT count(*) FROM accounts"), 1);
}

TEST_P(SqliteUserStore, MissingUserIsNotFoundWithSubjectUser) {
    create_user("alice@example.com");
    const Result<core::User> lookups[] = {
        store_->find_user(new_id()),
        store_->find_user_by_email("bob@example.com"),
        store_->find_user_by_email(""),
    };
    for (const auto& lookup : lookups) {
        ASSERT_FALSE(lookup.has_value());
        EXPECT_EQ(lookup.error().code, Code::not_found);
        EXPECT_EQ(lookup.error().subject, "user");
    }
}

TEST_P(SqliteUserStore, DuplicateEmailIsAConflictAndWritesNoAccount) {
    core::User first = create_user("alice@example.com");
    core::Account account{new_id(), "second", clock_.now()};
    core::User second{new_id(), "ALICE@example.com", "Impostor", "", account.id, 0, 0};

    auto created = store_->create_user(second, account);
    ASSERT_FALSE(created.has_value());
    EXPECT_EQ(created.error().code, Code::conflict);
    EXPECT_EQ(query_int("SELECT count(*) FROM accounts"), 1);
    EXPECT_EQ(query_int("SELECT count(*) FROM users"), 1);
    EXPECT_FALSE(store_->find_user(second.id).has_value());
    auto found = store_->find_user_by_email("alice@example.com");
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->id, first.id);
}

TEST_P(SqliteUserStore, DuplicateUserIdIsAConflict) {
    core::User first = create_user("alice@example.com");
    core::Account account{new_id(), "second", clock_.now()};
    core::User second{first.id, "bob@example.com", "Bob", "", account.id, 0, 0};
    auto created = store_->create_user(second, account);
    ASSERT_FALSE(created.has_value());
    EXPECT_EQ(created.error().code, Code::conflict);
    EXPECT_EQ(query_int("SELECT count(*) FROM accounts"), 1);
}

TEST_P(SqliteUserStore, UserWithoutPasswordRoundTripsAnEmptyHash) {
    core::Account account{new_id(), "sso", clock_.now()};
    core::User user{new_id(), "sso@example.com", "", "", account.id, 1, 2};
    ASSERT_TRUE(store_->create_user(user, account).has_value());
    auto found = store_->find_user(user.id);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->password_hash, "");
    EXPECT_EQ(found->name, "");
}

INSTANTIATE_TEST_SUITE_P(Backends, SqliteUserStore, kBothBackends, backend_name);

}  // namespace
}  // namespace tessera::storage::sqlite
