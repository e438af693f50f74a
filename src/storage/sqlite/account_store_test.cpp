#include <gtest/gtest.h>

#include "storage/sqlite/sqlite_test_fixture.hpp"

namespace tessera::storage::sqlite {
namespace {

class SqliteAccountStore : public StoreTest {};

TEST_P(SqliteAccountStore, EveryUserAdministersTheirPersonalAccount) {
    core::User user = create_user("ada@example.com");
    auto membership = store_->find_membership(user.account_id, user.id);
    ASSERT_TRUE(membership.has_value()) << membership.error().log_detail;
    EXPECT_EQ(membership->role, core::Role::super_administrator);
    auto account = store_->find_account(user.account_id);
    ASSERT_TRUE(account.has_value());
    EXPECT_EQ(account->name, "personal");
}

TEST_P(SqliteAccountStore, CreatesAnAccountWithItsFirstMemberAndChangesRoles) {
    core::User ada = create_user("ada@example.com");
    core::User bob = create_user("bob@example.com");
    core::Account team{new_id(), "Team", clock_.now()};
    ASSERT_TRUE(store_->create_account(team, {team.id, ada.id, core::Role::administrator, 1})
                    .has_value());
    EXPECT_EQ(store_->find_membership(team.id, ada.id)->role, core::Role::administrator);
    EXPECT_EQ(store_->find_membership(team.id, bob.id).error().code, Code::not_found);

    ASSERT_TRUE(store_->put_member({team.id, bob.id, core::Role::oauth_client_read, clock_.now() + 2}).has_value());
    EXPECT_EQ(store_->find_membership(team.id, bob.id)->role, core::Role::oauth_client_read);
    ASSERT_TRUE(store_->put_member({team.id, bob.id, core::Role::oauth_client_write, clock_.now() + 3}).has_value());
    auto changed = store_->find_membership(team.id, bob.id);
    EXPECT_EQ(changed->role, core::Role::oauth_client_write);
    EXPECT_EQ(changed->created_at, clock_.now() + 2);  // a role change keeps the membership's age

    auto bobs = store_->list_memberships(bob.id);
    ASSERT_TRUE(bobs.has_value());
    ASSERT_EQ(bobs->size(), 2u);
    EXPECT_EQ((*bobs)[0].account_id, bob.account_id);
    EXPECT_EQ((*bobs)[1].account_id, team.id);
}

TEST_P(SqliteAccountStore, MembersMustExist) {
    core::User ada = create_user("ada@example.com");
    core::Account team{new_id(), "Team", 0};
    auto no_user = store_->create_account(team, {team.id, new_id(), core::Role::administrator, 0});
    ASSERT_FALSE(no_user.has_value());
    EXPECT_EQ(no_user.error().subject, "user");
    EXPECT_EQ(store_->find_account(team.id).error().code, Code::not_found);  // rolled back
    auto no_account = store_->put_member({new_id(), ada.id, core::Role::administrator, 0});
    ASSERT_FALSE(no_account.has_value());
    EXPECT_EQ(no_account.error().subject, "account");
}

TEST_P(SqliteAccountStore, ApiKeyDigestIsReplaced) {
    core::User ada = create_user("ada@example.com");
    EXPECT_FALSE(store_->find_user(ada.id)->api_key_digest.has_value());
    std::string first = new_digest(), second = new_digest();
    ASSERT_TRUE(store_->set_api_key_digest(ada.id, first, 5).has_value());
    EXPECT_EQ(store_->find_user_by_email("ADA@example.com")->api_key_digest, first);
    ASSERT_TRUE(store_->set_api_key_digest(ada.id, second, 6).has_value());
    auto found = store_->find_user(ada.id);
    EXPECT_EQ(found->api_key_digest, second);
    EXPECT_EQ(found->updated_at, 6);
    EXPECT_EQ(store_->set_api_key_digest(new_id(), first, 7).error().code, Code::not_found);
}

INSTANTIATE_TEST_SUITE_P(Backends, SqliteAccountStore, kBothBackends, backend_name);

}  // namespace
}  // namespace tessera::storage::sqlite
