#include "core/accounts/account_service.hpp"

#include "core/clients/client_rules.hpp"

namespace tessera::core {

Result<Account> AccountService::create(const std::string& name, const std::string& owner_email) {
    auto checked = check_client_name(name);  // the same rule as any display name
    if (!checked)
        return make_error(Code::invalid_params,
                          "account name " + checked.error().description.substr(5), {}, "name");
    TESSERA_TRY_ASSIGN(User owner, users_.find_user_by_email(owner_email));
    Account account{Id::generate(random_), std::move(*checked), clock_.now()};
    TESSERA_TRY(accounts_.create_account(
        account, {account.id, owner.id, Role::super_administrator, account.created_at}));
    return account;
}

Result<Membership> AccountService::add_member(const Id& account_id, const std::string& email,
                                              Role role) {
    TESSERA_TRY_ASSIGN(User user, users_.find_user_by_email(email));
    Membership membership{account_id, user.id, role, clock_.now()};
    TESSERA_TRY(accounts_.put_member(membership));
    return accounts_.find_membership(account_id, user.id);
}

}  // namespace tessera::core
