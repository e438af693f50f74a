#include "core/clients/account_client_rules.hpp"

#include <boost/url/parse.hpp>

#include <algorithm>

#include "core/clients/client_rules.hpp"

namespace tessera::core {
namespace {

using Kind = Violation::Kind;

// Collects violations in field order.
class Findings {
public:
    void add(Kind kind, std::string pointer, std::string message) {
        found_.push_back({kind, std::move(pointer), std::move(message)});
    }
    bool empty() const { return found_.empty(); }
    std::vector<Violation> take() { return std::move(found_); }

private:
    std::vector<Violation> found_;
};

std::string lowercase(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

bool is_loopback(std::string_view host) {
    return host == "localhost" || host == "127.0.0.1" || host == "[::1]";
}

template <typename T>
bool contains(const std::vector<T>& list, std::string_view value) {
    return std::find(list.begin(), list.end(), value) != list.end();
}

// Drops later duplicates; keeps order.
void dedupe(std::vector<std::string>& list) {
    std::vector<std::string> out;
    for (auto& item : list)
        if (!contains(out, item)) out.push_back(std::move(item));
    list = std::move(out);
}

// Why `uri` is not a valid redirect (or post-logout redirect) URI; empty if it is.
std::string redirect_problem(std::string_view uri) {
    if (uri.size() > kMaxUriLength) return "must be at most 2048 characters";
    auto parsed = boost::urls::parse_absolute_uri(uri);
    if (!parsed) return "must be an absolute URI without a fragment";
    std::string scheme = lowercase(parsed->scheme());
    if (scheme.find('.') != std::string::npos) return {};  // RFC 8252 §7.1 private-use scheme
    if (!parsed->has_authority() || parsed->encoded_host().empty()) return "must name a host";
    if (parsed->has_userinfo()) return "must not contain user information";
    if (scheme == "https") return {};
    if (scheme == "http" && is_loopback(lowercase(parsed->encoded_host()))) return {};
    return "must use https, http on a loopback host, or a private-use scheme";
}

std::string origin_problem(std::string_view origin) {
    auto parsed = boost::urls::parse_absolute_uri(origin);
    if (!parsed || !parsed->has_authority() || parsed->encoded_host().empty() ||
        parsed->has_userinfo() || !parsed->encoded_path().empty() || parsed->has_query())
        return "must be an origin: scheme://host[:port] with no path, query or fragment";
    std::string scheme = lowercase(parsed->scheme());
    if (scheme == "https") return {};
    if (scheme == "http" && is_loopback(lowercase(parsed->encoded_host()))) return {};
    return "must use https (or http on a loopback host)";
}

std::string https_problem(std::string_view uri) {
    if (uri.size() > kMaxUriLength) return "must be at most 2048 characters";
    auto parsed = boost::urls::parse_uri(uri);
    if (!parsed || lowercase(parsed->scheme()) != "https" || !parsed->has_authority() ||
        parsed->encoded_host().empty() || parsed->has_userinfo())
        return "must be an absolute https URL";
    return {};
}

void check_uri_list(Findings& findings, std::string_view field,
                    const std::vector<std::string>& list,
                    std::string (*problem)(std::string_view)) {
    std::string base = "/" + std::string(field);
    if (list.size() > kMaxUrisPerList)
        findings.add(Kind::limit, base, std::string(field) + " may hold at most 20 entries");
    for (std::size_t i = 0; i < list.size(); ++i) {
        std::string pointer = base + "/" + std::to_string(i);
        if (auto why = problem(list[i]); !why.empty())
            findings.add(Kind::invalid_uri, pointer, std::string(field) + " entry " + why);
        else if (std::find(list.begin(), list.begin() + i, list[i]) != list.begin() + i)
            findings.add(Kind::rule, pointer, std::string(field) + " entry is listed twice");
    }
}

void check_https(Findings& findings, std::string_view field,
                 const std::optional<std::string>& uri) {
    if (!uri) return;
    if (auto why = https_problem(*uri); !why.empty())
        findings.add(Kind::invalid_uri, "/" + std::string(field), std::string(field) + " " + why);
}

// Checks every entry is in `allowed`, dedupes, and requires `needed`.
void check_enum_list(Findings& findings, std::string_view field, std::vector<std::string>& list,
                     std::initializer_list<std::string_view> allowed, std::string_view needed) {
    std::string base = "/" + std::string(field);
    for (std::size_t i = 0; i < list.size(); ++i)
        if (std::find(allowed.begin(), allowed.end(), list[i]) == allowed.end())
            findings.add(Kind::wrong_type, base + "/" + std::to_string(i),
                         std::string(field) + " entry '" + list[i].substr(0, 64) +
                             "' is not supported");
    dedupe(list);
    if (!contains(list, needed))
        findings.add(Kind::rule, base, std::string(field) + " must include " + std::string(needed));
}

void check_scopes(Findings& findings, Client& client, const ScopeCatalog& catalog) {
    std::vector<std::string> kept;
    for (std::size_t i = 0; i < client.scopes.size(); ++i) {
        const std::string& scope = client.scopes[i];
        std::string pointer = "/scopes/" + std::to_string(i);
        std::string shown = "'" + scope.substr(0, 64) + "'";
        if (scope.find(':') != std::string::npos)
            findings.add(Kind::invalid_scope, pointer, "scope " + shown + " must not contain ':'");
        else if (scope.find('.') != std::string::npos && !catalog.contains(scope))
            findings.add(Kind::invalid_scope, pointer, "scope " + shown + " is not offered");
        else if (scope.find('.') == std::string::npos && !is_identity_scope(scope))
            findings.add(Kind::invalid_scope, pointer,
                         "scope " + shown + " is neither a catalog scope nor an identity scope");
        else if (scope != "openid" && scope != "offline_access" && !contains(kept, scope))
            kept.push_back(scope);
    }
    // Cloudflare spec §4.4: protocol scopes follow the grant and response types.
    if (client.allows_grant("refresh_token")) kept.push_back("offline_access");
    if (contains(client.response_types, "id_token")) kept.push_back("openid");
    client.scopes = std::move(kept);
    if (client.scopes.empty() && findings.empty())
        findings.add(Kind::rule, "/scopes", "scopes must name at least one scope");
}

void check_optional_scopes(Findings& findings, Client& client) {
    for (std::size_t i = 0; i < client.optional_scopes.size(); ++i) {
        const std::string& scope = client.optional_scopes[i];
        std::string pointer = "/optional_scopes/" + std::to_string(i);
        if (scope == "openid" || scope == "offline" || scope == "offline_access")
            findings.add(Kind::rule, pointer, "scope '" + scope + "' cannot be optional");
        else if (!contains(client.scopes, scope))
            findings.add(Kind::rule, pointer,
                         "optional scope '" + scope.substr(0, 64) + "' must also be in scopes");
    }
    dedupe(client.optional_scopes);
}

}  // namespace

bool is_identity_scope(std::string_view scope) {
    return scope == "openid" || scope == "profile" || scope == "email" ||
           scope == "offline_access";
}

Error invalid_metadata(std::vector<Violation> violations) {
    Error error = make_error(Code::invalid_params, violations.front().message, {},
                             violations.front().pointer);
    error.violations = std::move(violations);
    return error;
}

Result<void> normalize_account_client(Client& client, const ScopeCatalog& catalog) {
    Findings findings;
    if (auto name = check_client_name(client.name))
        client.name = std::move(*name);
    else
        findings.add(Kind::rule, "/client_name",
                     "client_name " + name.error().description.substr(5));  // drop "name "
    check_enum_list(findings, "grant_types", client.grant_types,
                    {"authorization_code", "refresh_token"}, "authorization_code");
    if (client.redirect_uris.empty())
        findings.add(Kind::rule, "/redirect_uris", "redirect_uris must hold at least one URI");
    check_uri_list(findings, "redirect_uris", client.redirect_uris, redirect_problem);
    check_enum_list(findings, "response_types", client.response_types, {"code", "token", "id_token"},
                    "code");
    const auto& method = client.token_endpoint_auth_method;
    if (method != "none" && method != "client_secret_basic" && method != "client_secret_post")
        findings.add(Kind::wrong_type, "/token_endpoint_auth_method",
                     "token_endpoint_auth_method must be none, client_secret_basic or "
                     "client_secret_post");
    check_scopes(findings, client, catalog);
    check_optional_scopes(findings, client);
    check_uri_list(findings, "allowed_cors_origins", client.allowed_cors_origins, origin_problem);
    check_uri_list(findings, "post_logout_redirect_uris", client.post_logout_redirect_uris,
                   redirect_problem);
    check_https(findings, "client_uri", client.client_uri);
    check_https(findings, "logo_uri", client.logo_uri);
    check_https(findings, "policy_uri", client.policy_uri);
    check_https(findings, "tos_uri", client.tos_uri);
    if (!findings.empty()) return invalid_metadata(findings.take());
    return {};
}

std::vector<Violation> promotion_blockers(const Client& client) {
    Findings findings;
    if (client.name.empty())
        findings.add(Kind::rule, "/client_name", "a public client needs a client_name");
    if (!client.logo_uri)
        findings.add(Kind::rule, "/logo_uri", "a public client needs a logo_uri");
    if (!client.uri_verification ||
        client.uri_verification->status != UriVerification::Status::verified)
        findings.add(Kind::rule, "/client_uri",
                     "a public client needs a client_uri whose domain is verified");
    bool has_resource_scope = std::any_of(client.scopes.begin(), client.scopes.end(),
                                          [](const auto& s) { return !is_identity_scope(s); });
    if (!has_resource_scope)
        findings.add(Kind::rule, "/scopes",
                     "a public client needs a scope beyond the identity scopes");
    return findings.take();
}

}  // namespace tessera::core
