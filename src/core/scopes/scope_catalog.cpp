#include "core/scopes/scope_catalog.hpp"

#include <algorithm>

namespace tessera::core {

ScopeCatalog ScopeCatalog::heroku_default() {
    return ScopeCatalog({
        {"global", "Read and write access to your whole account, apps and resources."},
        {"identity", "Read-only access to your account information."},
        {"read",
         "Read access to your apps and resources, excluding account information and "
         "configuration variables."},
        {"write",
         "Write access to your apps and resources, excluding account information and "
         "configuration variables."},
        {"read-protected",
         "Read access to your apps and resources, including configuration "
         "variables."},
        {"write-protected",
         "Write access to your apps and resources, including configuration "
         "variables."},
        // OpenID Connect Core §3.1.2.1, §5.4.
        {"openid", "Sign you in to the application with your account."},
        {"profile", "Read your display name."},
        {"email", "Read your email address."},
    });
}

std::vector<Scope> ScopeCatalog::account_default() {
    auto entry = [](std::string id, std::string name, std::string category,
                    std::vector<std::string> permissions) {
        return Scope{id, name, name, std::move(category), std::move(permissions)};
    };
    return {
        entry("user-details.read", "User Details Read", "account_and_billing",
              {"user.details.read"}),
        entry("account.read", "Account Read", "account_and_billing", {"account.settings.read"}),
        entry("account.write", "Account Write", "account_and_billing",
              {"account.settings.read", "account.settings.write"}),
        entry("oauth-clients.read", "OAuth Clients Read", "account_and_billing",
              {"oauth.clients.read"}),
        entry("oauth-clients.write", "OAuth Clients Write", "account_and_billing",
              {"oauth.clients.read", "oauth.clients.write"}),
        entry("apps.read", "Apps Read", "apps", {"apps.read"}),
        entry("apps.write", "Apps Write", "apps", {"apps.read", "apps.write"}),
    };
}

ScopeCatalog ScopeCatalog::combined(const ScopeCatalog& base, std::vector<Scope> extra) {
    std::vector<Scope> all = base.scopes();
    extra.push_back({"offline_access", "Keep access while you are away (refresh tokens).",
                     "Offline access", "", {}});
    for (auto& scope : extra) {
        bool known = std::any_of(all.begin(), all.end(),
                                 [&](const Scope& s) { return s.id == scope.id; });
        if (!known) all.push_back(std::move(scope));
    }
    return ScopeCatalog(std::move(all));
}

bool ScopeCatalog::contains(std::string_view id) const {
    return std::any_of(scopes_.begin(), scopes_.end(), [&](const Scope& s) { return s.id == id; });
}

Result<std::vector<std::string>> ScopeCatalog::normalize(
    const std::vector<std::string>& requested) const {
    std::vector<std::string> out;
    for (const auto& s : requested) {
        if (!contains(s))
            return make_error(Code::invalid_params, "unknown scope '" + s.substr(0, 64) + "'", {},
                              "scope");
        if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
    }
    if (out.empty())
        return make_error(Code::invalid_params, "scope must name at least one scope", {}, "scope");
    return out;
}

bool scope_covers(const std::vector<std::string>& held, std::string_view needed) {
    return std::any_of(held.begin(), held.end(),
                       [&](const std::string& s) { return s == "global" || s == needed; });
}

Result<void> check_grantable(const std::vector<std::string>& held,
                             const std::vector<std::string>& requested) {
    for (const auto& scope : requested)
        if (!scope_covers(held, scope))
            return make_error(Code::forbidden,
                              "This token cannot create an authorization with scope '" +
                                  scope.substr(0, 64) + "'.");
    return {};
}

}  // namespace tessera::core
