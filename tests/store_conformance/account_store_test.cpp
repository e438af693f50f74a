// core::AccountStore on every backend.
#include <gtest/gtest.h>

#include "conformance_test.hpp"

namespace tessera::store_conformance {
namespace {

class AccountStoreConformance : public StoreConformance {};

TEST_P(AccountStoreConformance, EveryUserAdministersTheirPersonalAccount) {
    core::User user = create_user("ada@example.com");
    auto membership = accounts().find_membership(user.account_id, user.id);
    ASSERT_TRUE(membership.has_value()) << membership.error().log_detail;
    EXPECT_EQ(membership->role, core::Role::super_administrator);
    EXPECT_EQ(membership->created_at, user.created_at);
    auto account = accounts().find_account(user.account_id);
    ASSERT_TRUE(account.has_value()) << account.error().log_detail;
    EXPECT_EQ(account->id, user.account_id);
    EXPECT_EQ(account->name, "personal");
    EXPECT_EQ(account->created_at, clock_.now());
}

TEST_P(AccountStoreConformance, CreatesAnAccountWithItsFirstMemberAndChangesRoles) {
    core::User ada = create_user("ada@example.com");
    core::User bob = create_user("bob@example.com");
    core::Account team{new_id(), "Team", clock_.now()};
    // The first member's account_id is the account's, whatever it said.
    auto created =
        accounts().create_account(team, {new_id(), ada.id, core::Role::administrator, 1});
    ASSERT_TRUE(created.has_value()) << created.error().log_detail;
    EXPECT_EQ(accounts().find_membership(team.id, ada.id)->role, core::Role::administrator);
    EXPECT_EQ(accounts().find_membership(team.id, bob.id).error().code, Code::not_found);
    EXPECT_EQ(accounts().find_membership(team.id, bob.id).error().subject, "membership");

    Timestamp joined = clock_.now() + 2;
    ASSERT_TRUE(accounts()
                    .put_member({team.id, bob.id, core::Role::oauth_client_read, joined})
                    .has_value());
    EXPECT_EQ(accounts().find_membership(team.id, bob.id)->role, core::Role::oauth_client_read);
    ASSERT_TRUE(accounts()
                    .put_member({team.id, bob.id, core::Role::oauth_client_write, joined + 1})
                    .has_value());
    auto changed = accounts().find_membership(team.id, bob.id);
    ASSERT_TRUE(changed.has_value());
    EXPECT_EQ(changed->role, core::Role::oauth_client_write);
    EXPECT_EQ(changed->created_at, joined);  // a role change keeps the membership's age

    auto bobs = accounts().list_memberships(bob.id);
    ASSERT_TRUE(bobs.has_value()) << bobs.error().log_detail;
    ASSERT_EQ(bobs->size(), 2u);
    EXPECT_EQ((*bobs)[0].account_id, bob.account_id);
    EXPECT_EQ((*bobs)[0].role, core::Role::super_administrator);
    EXPECT_EQ((*bobs)[1].account_id, team.id);
    EXPECT_EQ((*bobs)[1].user_id, bob.id);
    EXPECT_TRUE(accounts().list_memberships(new_id())->empty());
}

TEST_P(AccountStoreConformance, MembersAndAccountsMustExist) {
    core::User ada = create_user("ada@example.com");
    core::Account team{new_id(), "Team", 0};
    auto no_user =
        accounts().create_account(team, {team.id, new_id(), core::Role::administrator, 0});
    ASSERT_FALSE(no_user.has_value());
    EXPECT_EQ(no_user.error().code, Code::not_found);
    EXPECT_EQ(no_user.error().subject, "user");
    auto rolled_back = accounts().find_account(team.id);
    ASSERT_FALSE(rolled_back.has_value());
    EXPECT_EQ(rolled_back.error().code, Code::not_found);
    EXPECT_EQ(rolled_back.error().subject, "account");

    auto no_account = accounts().put_member({new_id(), ada.id, core::Role::administrator, 0});
    ASSERT_FALSE(no_account.has_value());
    EXPECT_EQ(no_account.error().code, Code::not_found);
    EXPECT_EQ(no_account.error().subject, "account");
    EXPECT_EQ(count("account_members"), 1);
}

TEST_P(AccountStoreConformance, DuplicateAccountIdIsAConflict) {
    core::User ada = create_user("ada@example.com");
    core::Account again{ada.account_id, "Again", 0};
    auto created =
        accounts().create_account(again, {again.id, ada.id, core::Role::administrator, 0});
    ASSERT_FALSE(created.has_value());
    EXPECT_EQ(created.error().code, Code::conflict);
    EXPECT_EQ(accounts().find_account(ada.account_id)->name, "personal");
    EXPECT_EQ(accounts().find_membership(ada.account_id, ada.id)->role,
              core::Role::super_administrator);
}

INSTANTIATE_TEST_SUITE_P(Backends, AccountStoreConformance, kBackends, backend_name);

}  // namespace
}  // namespace tessera::store_conformance
