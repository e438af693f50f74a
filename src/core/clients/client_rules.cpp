#include "core/clients/client_rules.hpp"

#include <boost/url/parse.hpp>

#include <algorithm>

#include "core/oauth/authorize/response_type.hpp"

namespace tessera::core {
namespace {

Error invalid(std::string_view field, std::string message) {
    return make_error(Code::invalid_params, std::move(message), {}, std::string(field));
}

bool has(const std::vector<std::string>& items, std::string_view item) {
    return std::find(items.begin(), items.end(), item) != items.end();
}

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool http_allowed_for(std::string_view host) {
    auto starts = [&](std::string_view p) { return host.starts_with(p); };
    bool ipv4 = !host.empty() && host.find_first_not_of("0123456789.") == std::string_view::npos;
    return host == "localhost" || (host.size() > 6 && host.ends_with(".local")) ||
           (ipv4 && (starts("10.") || starts("127.") || starts("192.")));
}

}  // namespace

Result<std::string> check_client_name(std::string_view name) {
    while (!name.empty() && is_space(name.front())) name.remove_prefix(1);
    while (!name.empty() && is_space(name.back())) name.remove_suffix(1);
    if (name.empty()) return invalid("name", "name must not be blank");
    std::size_t code_points = 0;
    for (unsigned char c : name) {
        if (c < 0x20 || c == 0x7f)
            return invalid("name", "name must not contain control characters");
        if ((c & 0xc0) != 0x80) ++code_points;
    }
    if (code_points > 255) return invalid("name", "name must be at most 255 characters");
    return std::string(name);
}

Result<void> check_redirect_uri(std::string_view uri) {
    if (uri.empty()) return invalid("redirect_uri", "redirect_uri must not be blank");
    if (uri.size() > 2000)
        return invalid("redirect_uri", "redirect_uri must be at most 2000 characters");
    auto parsed = boost::urls::parse_absolute_uri(uri);
    if (!parsed)
        return invalid("redirect_uri", "redirect_uri must be an absolute URI without a fragment");
    if (!parsed->has_authority() || parsed->encoded_host().empty())
        return invalid("redirect_uri", "redirect_uri must name a host");
    if (parsed->has_userinfo())
        return invalid("redirect_uri", "redirect_uri must not contain user information");
    auto scheme = parsed->scheme();
    std::string host(parsed->encoded_host());
    for (auto& c : host) c = (c >= 'A' && c <= 'Z') ? char(c + 32) : c;
    if (scheme == "https") return {};
    if (scheme == "http" && http_allowed_for(host)) return {};
    return invalid("redirect_uri",
                   "redirect_uri must use https (http is allowed only for localhost, *.local "
                   "and private IPv4 addresses)");
}

Result<void> check_grant_types(const std::vector<std::string>& grant_types,
                               const std::vector<std::string>& redirect_uris) {
    static const std::vector<std::string> kKnown = {"authorization_code", "refresh_token",
                                                    "client_credentials", "implicit"};
    if (grant_types.empty()) return invalid("grant_types", "grant_types must not be empty");
    for (std::size_t i = 0; i < grant_types.size(); ++i) {
        const auto& g = grant_types[i];
        if (std::find(kKnown.begin(), kKnown.end(), g) == kKnown.end())
            return invalid("grant_types", "unsupported grant type '" + g.substr(0, 64) + "'");
        if (std::find(grant_types.begin(), grant_types.begin() + i, g) != grant_types.begin() + i)
            return invalid("grant_types", "grant type '" + g + "' is listed twice");
    }
    for (std::string_view front : {"authorization_code", "implicit"})
        if (has(grant_types, front) && redirect_uris.empty())
            return invalid("redirect_uris",
                           std::string(front) + " needs at least one redirect URI");
    return {};
}

Result<void> check_auth_method(const std::string& method,
                               const std::vector<std::string>& grant_types) {
    if (method != "client_secret_basic" && method != "client_secret_post" && method != "none")
        return invalid("token_endpoint_auth_method",
                       "token_endpoint_auth_method must be client_secret_basic, "
                       "client_secret_post or none");
    bool machine = std::find(grant_types.begin(), grant_types.end(), "client_credentials") !=
                   grant_types.end();
    if (method == "none" && machine)
        return invalid("token_endpoint_auth_method",
                       "a public client (none) cannot use client_credentials");
    return {};
}

Result<void> check_refresh_policy(const std::string& policy) {
    if (policy != "rotate" && policy != "stable")
        return invalid("refresh_policy", "refresh_policy must be rotate or stable");
    return {};
}

Result<void> check_access_token_format(const std::string& format) {
    if (format != "opaque" && format != "jwt")
        return invalid("access_token_format", "access_token_format must be opaque or jwt");
    return {};
}

Result<void> check_response_types(const std::vector<std::string>& response_types,
                                  const std::vector<std::string>& grant_types) {
    std::vector<ResponseType> seen;
    bool any_code = false, any_token = false;
    for (const auto& entry : response_types) {
        auto type = parse_response_type(entry);
        if (!type)
            return invalid("response_types", "unsupported response type '" + entry.substr(0, 64) +
                                                 "' (code, id_token and token, alone or combined)");
        if (std::find(seen.begin(), seen.end(), *type) != seen.end())
            return invalid("response_types",
                           "response type '" + entry.substr(0, 64) + "' is listed twice");
        seen.push_back(*type);
        any_code = any_code || type->code;
        any_token = any_token || type->returns_tokens();
        // OpenID Connect Registration §2: the grant types each one needs.
        if (type->code && !has(grant_types, "authorization_code"))
            return invalid("response_types", "response type " + type->name() +
                                                 " needs grant type authorization_code");
        if (type->returns_tokens() && !has(grant_types, "implicit"))
            return invalid("response_types",
                           "response type " + type->name() + " needs grant type implicit");
    }
    if (has(grant_types, "authorization_code") && !any_code)
        return invalid("response_types", "grant type authorization_code needs response type code");
    if (has(grant_types, "implicit") && !any_token)
        return invalid("response_types",
                       "grant type implicit needs a response type with id_token or token");
    return {};
}

Result<void> check_scopes(const std::vector<std::string>& scopes, const ScopeCatalog& catalog) {
    for (const auto& scope : scopes)
        if (!catalog.contains(scope))
            return invalid("scope", "unknown scope '" + scope.substr(0, 64) + "'");
    return {};
}

Result<void> check_client_metadata(const Client& client, const ScopeCatalog& catalog) {
    TESSERA_TRY(check_grant_types(client.grant_types, client.redirect_uris));
    TESSERA_TRY(check_auth_method(client.token_endpoint_auth_method, client.grant_types));
    TESSERA_TRY(check_refresh_policy(client.refresh_policy));
    TESSERA_TRY(check_access_token_format(client.access_token_format));
    for (const auto& uri : client.redirect_uris) TESSERA_TRY(check_redirect_uri(uri));
    return check_scopes(client.scopes, catalog);
}

}  // namespace tessera::core
