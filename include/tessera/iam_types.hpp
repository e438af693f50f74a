#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tessera/clearable.hpp"
#include "tessera/secret.hpp"

// The resources of the Cloudflare API v4 surface (spec
// cloudflare-oauth-clients.md §2, §3, §6), field for field, in the wire's
// order. Client and account ids are 32 lowercase hex characters.
namespace tessera::sdk {

// §3 `client_uri_verification`.
struct UriVerification {
    std::string status;  // "pending", "in_progress", "verified" or "failed"
    std::string text;    // the TXT record to publish: "cloudflare_oauth_client_publisher=<token>"
};

// §3 An account's OAuth client.
struct AccountOAuthClient {
    std::string client_id;
    std::string visibility;  // "private" or "public"
    std::string client_name;
    std::optional<std::string> client_uri;
    std::optional<UriVerification> client_uri_verification;
    std::optional<std::string> logo_uri;
    std::optional<std::string> policy_uri;
    std::optional<std::string> tos_uri;
    std::vector<std::string> redirect_uris;
    std::vector<std::string> post_logout_redirect_uris;
    std::vector<std::string> allowed_cors_origins;
    std::vector<std::string> grant_types;     // "authorization_code", "refresh_token"
    std::vector<std::string> response_types;  // "code", "token", "id_token"
    std::vector<std::string> scopes;
    std::vector<std::string> optional_scopes;
    std::string token_endpoint_auth_method;  // "none", "client_secret_basic", "client_secret_post"
    bool has_rotated_secret = false;
    std::optional<std::string> promoted_at;
    std::string created_at;
    std::string updated_at;
    // Create only, and never for token_endpoint_auth_method "none".
    std::optional<Secret> client_secret;
};

// §2.1 Body of create(). The first six fields are required by the server.
struct AccountOAuthClientCreate {
    std::string client_name;
    std::vector<std::string> grant_types = {"authorization_code"};
    std::vector<std::string> redirect_uris;
    std::vector<std::string> response_types = {"code"};
    std::vector<std::string> scopes;
    std::string token_endpoint_auth_method = "client_secret_basic";
    std::vector<std::string> allowed_cors_origins;  // sent only when non-empty
    std::optional<std::string> client_uri;          // starts domain verification (§4.6)
    std::optional<std::string> logo_uri;
    std::vector<std::string> optional_scopes;  // sent only when non-empty
    std::optional<std::string> policy_uri;
    std::vector<std::string> post_logout_redirect_uris;  // sent only when non-empty
    std::optional<std::string> tos_uri;
};

// §2.4 Body of update(): only the fields that are set are sent; arrays
// replace. The URIs can be cleared (`= tessera::sdk::null`); `visibility`
// accepts only "public" (a permanent promotion, §4.7).
struct AccountOAuthClientUpdate {
    std::optional<std::string> client_name;
    std::optional<std::vector<std::string>> grant_types;
    std::optional<std::vector<std::string>> redirect_uris;
    std::optional<std::vector<std::string>> response_types;
    std::optional<std::vector<std::string>> scopes;
    std::optional<std::string> token_endpoint_auth_method;
    std::optional<std::vector<std::string>> allowed_cors_origins;
    Clearable<std::string> client_uri;
    Clearable<std::string> logo_uri;
    std::optional<std::vector<std::string>> optional_scopes;
    Clearable<std::string> policy_uri;
    std::optional<std::vector<std::string>> post_logout_redirect_uris;
    Clearable<std::string> tos_uri;
    std::optional<std::string> visibility;
};

// §6 An entry of the OAuth scope catalog.
struct OAuthScope {
    std::string id;  // "account.read"
    std::string name;
    std::optional<std::string> category;
    std::vector<std::string> scopes;  // the permissions it maps to
};

}  // namespace tessera::sdk
