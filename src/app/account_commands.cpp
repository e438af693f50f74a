// `tessera admin accounts …` and `tessera admin users api-key`: accounts,
// members and global API keys for the Cloudflare surface.
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <iostream>

#include "app/command_support.hpp"
#include "app/commands.hpp"
#include "core/accounts/account_access.hpp"

namespace tessera::app {

int run_accounts_create(const std::optional<std::string>& config_file,
                        const std::map<std::string, std::string>& flags, const std::string& name,
                        const std::string& owner_email) {
    auto app = open_app(config_file, flags);
    if (!app) return fail(app.error());
    auto account = (*app)->accounts().create(name, owner_email);
    if (!account) return fail(account.error());
    boost::json::object o{{"id", account->id.hex()},
                          {"name", account->name},
                          {"owner", owner_email},
                          {"created_at", format_rfc3339(account->created_at)}};
    std::cout << boost::json::serialize(o) << '\n';
    return 0;
}

int run_accounts_add_member(const std::optional<std::string>& config_file,
                            const std::map<std::string, std::string>& flags,
                            const std::string& account, const std::string& email,
                            const std::string& role) {
    auto account_id = Id::parse(account);
    if (!account_id)
        return fail(make_error(Code::invalid_params, "ACCOUNT must be an account id (32 hex)"));
    auto parsed_role = core::parse_role(role);
    if (!parsed_role)
        return fail(make_error(Code::invalid_params,
                               "--role: expected \"Super Administrator\", \"Administrator\", "
                               "\"OAuth Client Read\" or \"OAuth Client Write\""));
    auto app = open_app(config_file, flags);
    if (!app) return fail(app.error());
    auto member = (*app)->accounts().add_member(*account_id, email, *parsed_role);
    if (!member) return fail(member.error());
    boost::json::object o{{"account_id", member->account_id.hex()},
                          {"email", email},
                          {"role", core::role_name(member->role)}};
    std::cout << boost::json::serialize(o) << '\n';
    return 0;
}

int run_users_api_key(const std::optional<std::string>& config_file,
                      const std::map<std::string, std::string>& flags, const std::string& email) {
    auto app = open_app(config_file, flags);
    if (!app) return fail(app.error());
    auto user = (*app)->users().find_by_email(email);
    if (!user) return fail(user.error());
    auto key = (*app)->api_keys().issue(user->id);
    if (!key) return fail(key.error());
    // Shown once: only its digest is kept, and a new one ends the old.
    boost::json::object o{{"email", user->email}, {"api_key", key->reveal()}};
    std::cout << boost::json::serialize(o) << '\n';
    return 0;
}

}  // namespace tessera::app
