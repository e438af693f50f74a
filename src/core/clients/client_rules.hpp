#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "core/model/client.hpp"
#include "core/scopes/scope_catalog.hpp"

namespace tessera::core {

// Client metadata rules, one small check each. Every failure is
// `invalid_params` with the field as its subject.

// Trims surrounding white space; 1..255 characters (UTF-8 code points), no
// control characters. Returns the trimmed name.
Result<std::string> check_client_name(std::string_view name);

// Heroku spec §2.2: an absolute URI without a fragment or user info, scheme
// https, or http when the host is localhost, *.local, or an IPv4 literal
// starting with 10., 127. or 192. (what the Heroku CLI itself allows), at
// most 2000 characters.
Result<void> check_redirect_uri(std::string_view uri);

// RFC 7591 §2: grant types this server knows (authorization_code,
// refresh_token, client_credentials, implicit), at least one, no
// duplicates; authorization_code and implicit need a redirect URI.
Result<void> check_grant_types(const std::vector<std::string>& grant_types,
                               const std::vector<std::string>& redirect_uris);

// client_secret_basic, client_secret_post or none; a public client (none)
// cannot use client_credentials.
Result<void> check_auth_method(const std::string& method,
                               const std::vector<std::string>& grant_types);

// rotate or stable (Heroku spec D3).
Result<void> check_refresh_policy(const std::string& policy);

// opaque or jwt (RFC 9068 access tokens; a Tessera extension).
Result<void> check_access_token_format(const std::string& format);

// RFC 7591 §2.1 with OpenID Connect Registration §2: each entry one
// combination of code, id_token and token (order free, see
// parse_response_type), none twice, each with the grant types it needs
// (a code: authorization_code; an ID token or access token: implicit), and
// each of those two grants used by some entry.
Result<void> check_response_types(const std::vector<std::string>& response_types,
                                  const std::vector<std::string>& grant_types);

// Every scope is in `catalog` (subject "scope").
Result<void> check_scopes(const std::vector<std::string>& scopes, const ScopeCatalog& catalog);

// All the metadata rules above for a whole client, in order: grant types,
// auth method, refresh policy, access token format, each redirect URI, scopes.
Result<void> check_client_metadata(const Client& client, const ScopeCatalog& catalog);

}  // namespace tessera::core
