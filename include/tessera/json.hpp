#pragma once

#include <string>
#include <vector>

#include "tessera/endpoint_types.hpp"
#include "tessera/iam_types.hpp"
#include "tessera/oauth_types.hpp"

// Renders SDK values as the API's JSON: the wire's field names and order,
// absent optionals as the wire shows them (null on the Heroku surface,
// omitted on the Cloudflare one). Secret values are written in full: print
// the result only where a person asked to see them (a CLI's --json).
namespace tessera::sdk {

std::string to_json(const OAuthClient& value);
std::string to_json(const OAuthAuthorization& value);
std::string to_json(const OAuthToken& value);
std::string to_json(const OAuthSession& value);
std::string to_json(const Account& value);
std::string to_json(const AccountOAuthClient& value);
std::string to_json(const OAuthScope& value);
std::string to_json(const TokenResponse& value);
std::string to_json(const Introspection& value);
std::string to_json(const ServerMetadata& value);
std::string to_json(const Jwk& value);
std::string to_json(const JwkSet& value);
std::string to_json(const UserInfo& value);
std::string to_json(const ClientRegistration& value);

// A JSON array of the values.
template <typename T>
std::string to_json(const std::vector<T>& values) {
    std::string out = "[";
    for (const auto& value : values) {
        if (out.size() > 1) out += ',';
        out += to_json(value);
    }
    return out + "]";
}

// `text` as a JSON string literal, quotes included.
std::string json_string(const std::string& text);

}  // namespace tessera::sdk
