#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "sdk/json_reader.hpp"
#include "tessera/endpoint_types.hpp"
#include "tessera/iam_types.hpp"
#include "tessera/oauth_types.hpp"

// Reading response bodies into the public types and writing request bodies
// from them. read_value() overloads are what decode<T>() calls.
namespace tessera::sdk::detail {

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
