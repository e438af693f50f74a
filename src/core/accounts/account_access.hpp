#pragma once

#include <optional>
#include <string_view>

#include "base/result.hpp"
#include "core/auth/caller.hpp"
#include "core/store/account_store.hpp"

namespace tessera::core {

// What a caller wants to do with an account's OAuth clients.
enum class Permission { read_clients, write_clients };

// Cloudflare spec §1.3: OAuth Client Read allows reading, OAuth Client Write
// allows both; Super Administrator and Administrator allow everything.
bool role_allows(Role role, Permission permission);

// The role's display name ("Super Administrator", "OAuth Client Write", ...).
std::string_view role_name(Role role);

// A role from its display name or its snake_case spelling, any case, with
// spaces, dashes or underscores ("oauth-client-read"); nullopt when unknown.
std::optional<Role> parse_role(std::string_view text);

// Decides whether a caller may act on an account. Thread-safe.
class AccountAccess {
public:
    explicit AccountAccess(AccountStore& store) : store_(store) {}

    // The caller's membership when it allows `permission` and the caller's
    // credential carries a scope that does (`global`, `write` or
    // `oauth-clients.write` for everything; `read` or `oauth-clients.read`
    // only to read). `not_found` (subject "account") when
    // the caller is not a member (whether or not the account exists: no hint
    // that it does); `forbidden` when the role or the credential's scope
    // falls short.
    Result<Membership> require(const Caller& caller, const Id& account_id,
                               Permission permission) const;

private:
    AccountStore& store_;
};

}  // namespace tessera::core
