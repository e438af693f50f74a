#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "core/model/client.hpp"
#include "core/scopes/scope_catalog.hpp"

namespace tessera::core {

// The metadata rules of Cloudflare-surface clients (Cloudflare spec §4.1–4.5,
// §4.9). Unlike the Heroku rules they report every problem at once: a failure
// is `invalid_params` whose `violations` list each one with its JSON pointer.

// Limits (Cloudflare spec §4.1, §4.9).
inline constexpr std::size_t kMaxUrisPerList = 20;
inline constexpr std::size_t kMaxUriLength = 2048;
inline constexpr int kMaxClientsPerAccount = 200;

// The scopes that need no catalog entry: identity scopes and the protocol
// scopes the server manages itself (Cloudflare spec §4.4, decision C2).
bool is_identity_scope(std::string_view scope);

// Checks and normalises `client` as a whole, in place, after a create or an
// update was applied to it:
//  - client_name trimmed, 1..255 characters;
//  - grant_types from {authorization_code, refresh_token}, with
//    authorization_code, duplicates dropped; likewise response_types from
//    {code, token, id_token} with code;
//  - token_endpoint_auth_method one of none, client_secret_basic,
//    client_secret_post;
//  - redirect_uris (at least one) and post_logout_redirect_uris: absolute,
//    no fragment, https, http on a loopback host or a private-use scheme
//    (one with a dot, RFC 8252 §7.1), unique, at most 20;
//  - allowed_cors_origins: scheme://host[:port], https or loopback http;
//  - client_uri, logo_uri, policy_uri, tos_uri: absolute https URLs;
//  - scopes: no ':', a dotted scope must be in `catalog`, an undotted one an
//    identity scope; duplicates dropped, then offline_access kept iff
//    refresh_token is granted and openid iff id_token is a response type,
//    appended last; non-empty;
//  - optional_scopes: each in scopes, never openid, offline or offline_access.
// `invalid_params` with one violation per problem found.
Result<void> normalize_account_client(Client& client, const ScopeCatalog& catalog);

// Cloudflare spec §4.7: what a client lacks to be promoted to public, one
// `rule` violation each (empty: it may be promoted).
std::vector<Violation> promotion_blockers(const Client& client);

// An `invalid_params` error carrying `violations` (at least one).
Error invalid_metadata(std::vector<Violation> violations);

}  // namespace tessera::core
