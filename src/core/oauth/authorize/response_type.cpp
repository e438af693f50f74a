// Response types and response modes: OAuth 2.0 Multiple Response Type
// Encoding Practices, Form Post Response Mode, OpenID Connect Core §3.
#include "core/oauth/authorize/response_type.hpp"

#include <algorithm>

#include "base/encoding.hpp"
#include "core/oauth/authorize/authorization_endpoint.hpp"

namespace tessera::core {
namespace {

bool has(const std::vector<std::string>& items, std::string_view item) {
    return std::find(items.begin(), items.end(), item) != items.end();
}

}  // namespace

std::string ResponseType::name() const {
    std::string out;
    auto add = [&](bool on, std::string_view value) {
        if (!on) return;
        if (!out.empty()) out += ' ';
        out += value;
    };
    add(code, "code");
    add(id_token, "id_token");
    add(token, "token");
    return out;
}

std::optional<ResponseType> parse_response_type(std::string_view text) {
    ResponseType type;
    bool any = false;
    while (true) {
        auto space = text.find(' ');
        auto value = text.substr(0, space);
        bool* flag = value == "code"       ? &type.code
                     : value == "id_token" ? &type.id_token
                     : value == "token"    ? &type.token
                                           : nullptr;
        // Unknown, empty (two spaces) or repeated: not a response type of ours.
        if (!flag || *flag) return std::nullopt;
        *flag = any = true;
        if (space == std::string_view::npos) break;
        text.remove_prefix(space + 1);
    }
    if (!any) return std::nullopt;
    return type;
}

std::string_view to_string(ResponseMode mode) {
    switch (mode) {
        case ResponseMode::query:
            return "query";
        case ResponseMode::fragment:
            return "fragment";
        case ResponseMode::form_post:
            return "form_post";
    }
    return "query";
}

std::optional<ResponseMode> parse_response_mode(std::string_view text) {
    if (text == "query") return ResponseMode::query;
    if (text == "fragment") return ResponseMode::fragment;
    if (text == "form_post") return ResponseMode::form_post;
    return std::nullopt;
}

ResponseMode default_response_mode(const ResponseType& type) {
    return type.returns_tokens() ? ResponseMode::fragment : ResponseMode::query;
}

bool client_allows_response_type(const Client& client, const ResponseType& type) {
    if (type.code && !client.allows_grant("authorization_code")) return false;
    if (type.returns_tokens() && !client.allows_grant("implicit")) return false;
    // Clients stored before response_types was kept have none: code only.
    if (type == ResponseType{.code = true})
        return client.response_types.empty() || has(client.response_types, "code");
    return std::any_of(
        client.response_types.begin(), client.response_types.end(),
        [&](const std::string& entry) { return parse_response_type(entry) == type; });
}

std::string AuthorizationResponse::location() const {
    switch (mode) {
        case ResponseMode::query:
            return append_query(redirect_uri, params);
        case ResponseMode::fragment: {
            std::string out = redirect_uri.substr(0, redirect_uri.find('#'));
            char separator = '#';
            for (const auto& [name, value] : params) {
                out += separator;
                separator = '&';
                out += form_encode(name) + "=" + form_encode(value);
            }
            return out;
        }
        case ResponseMode::form_post:
            return "";
    }
    return "";
}

}  // namespace tessera::core
