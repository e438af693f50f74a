#include "core/accounts/account_access.hpp"

#include <algorithm>
#include <string>

#include "core/scopes/scope_catalog.hpp"

namespace tessera::core {
namespace {

constexpr Role kRoles[] = {Role::super_administrator, Role::administrator,
                           Role::oauth_client_read, Role::oauth_client_write};

// Lowercase letters only: "OAuth Client Read", "oauth_client_read" and
// "oauth-client-read" all fold to "oauthclientread".
std::string fold(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c >= 'a' && c <= 'z') out.push_back(c);
    }
    return out;
}

bool has(const std::vector<std::string>& scope, std::string_view s) {
    return std::find(scope.begin(), scope.end(), s) != scope.end();
}

// Heroku's `global`/`write`/`read`, or the catalog's own scopes for this API
// (config/scopes.toml: oauth-clients.read, oauth-clients.write).
bool scope_allows(const std::vector<std::string>& scope, Permission permission) {
    bool writes = scope_covers(scope, "write") || has(scope, "oauth-clients.write");
    if (permission == Permission::write_clients) return writes;
    return writes || scope_covers(scope, "read") || has(scope, "oauth-clients.read");
}

}  // namespace

bool role_allows(Role role, Permission permission) {
    switch (role) {
        case Role::super_administrator:
        case Role::administrator:
        case Role::oauth_client_write:
            return true;
        case Role::oauth_client_read:
            return permission == Permission::read_clients;
    }
    return false;
}

std::string_view role_name(Role role) {
    switch (role) {
        case Role::super_administrator: return "Super Administrator";
        case Role::administrator: return "Administrator";
        case Role::oauth_client_read: return "OAuth Client Read";
        case Role::oauth_client_write: return "OAuth Client Write";
    }
    return "";
}

std::optional<Role> parse_role(std::string_view text) {
    std::string folded = fold(text);
    for (Role role : kRoles)
        if (fold(role_name(role)) == folded) return role;
    return std::nullopt;
}

Result<Membership> AccountAccess::require(const Caller& caller, const Id& account_id,
                                          Permission permission) const {
    auto membership = store_.find_membership(account_id, caller.user_id);
    if (!membership) {
        if (membership.error().code != Code::not_found) return membership;
        return make_error(Code::not_found, "the account was not found", {}, "account");
    }
    if (!role_allows(membership->role, permission) || !scope_allows(caller.scope, permission))
        return make_error(Code::forbidden, "the caller may not do this in the account");
    return membership;
}

}  // namespace tessera::core
