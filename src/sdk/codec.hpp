#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sdk/json_reader.hpp"
#include "tessera/clearable.hpp"
#include "tessera/secret.hpp"
#include "tessera/endpoint_types.hpp"
#include "tessera/iam_types.hpp"
#include "tessera/oauth_types.hpp"

// Reading response bodies into the public types and writing request bodies
// from them. read_value() overloads are what decode<T>() calls.
namespace tessera::sdk::detail {

// Writing helpers every codec uses.
inline boost::json::array strings(const std::vector<std::string>& values) {
    boost::json::array out;
    for (const auto& v : values) out.emplace_back(v);
    return out;
}

// Sets o[key] only when `value` holds one (an absent field stays absent).
template <typename T>
void put(boost::json::object& o, std::string_view key, const std::optional<T>& value) {
    if (value) o[key] = *value;
}
inline void put(boost::json::object& o, std::string_view key,
                const std::optional<std::vector<std::string>>& value) {
    if (value) o[key] = strings(*value);
}
inline void put(boost::json::object& o, std::string_view key, const std::optional<Secret>& value) {
    if (value) o[key] = value->reveal();
}
// A Clearable writes null when cleared, nothing when unset.
inline void put(boost::json::object& o, std::string_view key, const Clearable<std::string>& value) {
    if (value.is_null())
        o[key] = nullptr;
    else if (value.has_value())
        o[key] = value.value();
}

// Heroku surface (oauth_codec.cpp).
void read_value(ObjectReader& in, OAuthClient& out);
void read_value(ObjectReader& in, OAuthAuthorization& out);
void read_value(ObjectReader& in, OAuthToken& out);
void read_value(ObjectReader& in, OAuthSession& out);
void read_value(ObjectReader& in, Account& out);
std::string body_of(const OAuthClientCreate& body);
std::string body_of(const OAuthClientUpdate& body);
std::string body_of(const OAuthAuthorizationCreate& body);
std::string body_of(const OAuthAuthorizationUpdate& body);
std::string body_of(const OAuthTokenCreate& body);

// Cloudflare surface (iam_codec.cpp).
void read_value(ObjectReader& in, AccountOAuthClient& out);
void read_value(ObjectReader& in, OAuthScope& out);
std::string body_of(const AccountOAuthClientCreate& body);
std::string body_of(const AccountOAuthClientUpdate& body);

// Standard endpoints (endpoint_codec.cpp).
void read_value(ObjectReader& in, TokenResponse& out);
void read_value(ObjectReader& in, Introspection& out);
void read_value(ObjectReader& in, ServerMetadata& out);
void read_value(ObjectReader& in, Jwk& out);
void read_value(ObjectReader& in, JwkSet& out);
void read_value(ObjectReader& in, UserInfo& out);

// Dynamic client registration (registration_codec.cpp). An update (RFC
// 7592 §2.2) names the client, and may carry its secret.
void read_value(ObjectReader& in, ClientRegistration& out);
std::string body_of(const ClientMetadata& metadata,
                    const std::optional<std::string>& client_id = std::nullopt,
                    const std::optional<Secret>& client_secret = std::nullopt);

}  // namespace tessera::sdk::detail
