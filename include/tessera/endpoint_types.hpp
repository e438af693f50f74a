#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tessera/secret.hpp"

// Requests and answers of the standard OAuth 2.0 endpoints (RFC 6749 §5,
// RFC 7662, RFC 7009, RFC 8414 / OpenID Connect Discovery).
namespace tessera::sdk {

// How a client authenticates at the token, introspection and revocation
// endpoints (RFC 6749 §2.3.1). A public client sends its id only.
struct ClientAuth {
    enum class Method { basic, post, none };
    std::string client_id;
    Secret client_secret;
    Method method = Method::basic;
};

// POST /oauth/token. Set what the grant needs: `code` (+ `redirect_uri`,
// `code_verifier`) for authorization_code, `refresh_token` for
// refresh_token, `scope` for client_credentials or a narrower refresh.
struct TokenRequest {
    std::string grant_type;  // "authorization_code", "refresh_token", "client_credentials"
    ClientAuth client;
    std::optional<Secret> code;
    std::optional<std::string> redirect_uri;
    std::optional<Secret> code_verifier;
    std::optional<Secret> refresh_token;
    std::optional<std::string> scope;  // space-delimited
};

// RFC 6749 §5.1, plus Heroku's user_id and session_nonce (spec §6.2) and
// OpenID Connect's id_token.
struct TokenResponse {
    Secret access_token;
    std::string token_type;
    std::optional<std::int64_t> expires_in;
    std::optional<Secret> refresh_token;
    std::optional<std::string> scope;
    std::optional<Secret> id_token;
    std::optional<std::string> user_id;
    std::optional<std::string> session_nonce;
};

// RFC 7662 §2.2. An inactive token has only `active` false.
struct Introspection {
    bool active = false;
    std::optional<std::string> scope;
    std::optional<std::string> client_id;
    std::optional<std::string> sub;
    std::optional<std::string> token_type;
    std::optional<std::int64_t> iat;
    std::optional<std::int64_t> exp;
    std::optional<std::string> iss;
};

// RFC 8414 authorization server metadata (OpenID Connect Discovery fields
// when the server publishes them).
struct ServerMetadata {
    std::string issuer;
    std::string authorization_endpoint;
    std::string token_endpoint;
    std::optional<std::string> revocation_endpoint;
    std::optional<std::string> introspection_endpoint;
    std::optional<std::string> registration_endpoint;
    std::optional<std::string> userinfo_endpoint;
    std::optional<std::string> jwks_uri;
    std::optional<std::string> end_session_endpoint;
    std::vector<std::string> scopes_supported;
    std::vector<std::string> response_types_supported;
    std::vector<std::string> response_modes_supported;
    std::vector<std::string> grant_types_supported;
    std::vector<std::string> token_endpoint_auth_methods_supported;
    std::vector<std::string> revocation_endpoint_auth_methods_supported;
    std::vector<std::string> introspection_endpoint_auth_methods_supported;
    std::vector<std::string> code_challenge_methods_supported;
    std::vector<std::string> subject_types_supported;
    std::vector<std::string> id_token_signing_alg_values_supported;
    std::vector<std::string> claims_supported;
    bool authorization_response_iss_parameter_supported = false;
};

}  // namespace tessera::sdk
