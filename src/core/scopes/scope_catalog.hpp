#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace tessera::core {

// One scope a deployment offers. Heroku's scopes have an id and a
// description; Cloudflare-style entries (ids with a dot, Cloudflare spec §6)
// also a name, a category and the resource permissions they map to.
struct Scope {
    std::string id;
    std::string description;  // shown on the consent page
    std::string name{};       // human name, e.g. "User Details Read"
    std::string category{};   // UI grouping, e.g. "account_and_billing"
    std::vector<std::string> permissions{};
};

// The scopes a deployment offers. Immutable after construction; thread-safe.
class ScopeCatalog {
public:
    explicit ScopeCatalog(std::vector<Scope> scopes) : scopes_(std::move(scopes)) {}

    // Heroku's catalog (Heroku spec §7): global, identity, read, write,
    // read-protected, write-protected.
    static ScopeCatalog heroku_default();
    // The Cloudflare-style entries Tessera ships (config/scopes.toml holds
    // the same list as an editable starting point).
    static std::vector<Scope> account_default();
    // `base` followed by the entries of `extra` whose ids it lacks, and
    // offline_access (Cloudflare spec §4.4 protocol scope).
    static ScopeCatalog combined(const ScopeCatalog& base, std::vector<Scope> extra);

    bool contains(std::string_view id) const;
    const std::vector<Scope>& scopes() const { return scopes_; }

    // Removes duplicates keeping first occurrences (Heroku spec §7), and checks
    // every scope is offered: `invalid_params` (subject "scope") naming the
    // first unknown one, or when the list is empty.
    Result<std::vector<std::string>> normalize(const std::vector<std::string>& requested) const;

private:
    std::vector<Scope> scopes_;
};

// True when a credential holding `held` may act with `needed`. `global`
// covers everything.
bool scope_covers(const std::vector<std::string>& held, std::string_view needed);

// Heroku spec §3.2: a credential holding `held` may create an authorization
// only for scopes it covers (a `read` token cannot mint `global`).
// `forbidden` naming the first scope it does not cover.
Result<void> check_grantable(const std::vector<std::string>& held,
                             const std::vector<std::string>& requested);

}  // namespace tessera::core
