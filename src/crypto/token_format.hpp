#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/id.hpp"
#include "base/random.hpp"
#include "base/secret.hpp"

namespace tessera::crypto {

// What a minted credential is for. Each kind has its own recognisable prefix
// so secret scanners can find leaked ones (DESIGN.md "Choices that decide speed").
enum class TokenKind {
    heroku_access_token,        // "HRKU-": access tokens on the Heroku surface
    access_token,               // "tat_"
    refresh_token,              // "trt_"
    client_secret,              // "tcs_"
    authorization_code,         // "tac_"
    browser_session,            // "tbs_": the sign-in cookie of the authorization endpoint
    registration_access_token,  // "tra_": RFC 7592, manages one registered client
    initial_access_token,       // "tia_": RFC 7591 §3, allows registering clients
    api_key,                    // "tak_": a user's global API key (X-Auth-Key)
};

std::string_view prefix_of(TokenKind kind);

// Mints 256-bit random credentials as prefix + base64url(32 bytes) + a
// 6-character checksum (base64url of the first 4 bytes of SHA-256 over prefix
// and body). The checksum lets us reject typos and forgeries before any
// store lookup.
Secret mint_token(TokenKind kind, Random& random);

// As mint_token(), with `id` before the 256 random bits: prefix +
// base64url(16-byte id, 32 random bytes) + checksum. The store finds such a
// token by its id (a time-ordered primary key) and checks its digest, so it
// needs no index on random digests, whose every insert dirties a random page.
Secret mint_token_with_id(TokenKind kind, const Id& id, Random& random);

// The id a token minted by mint_token_with_id() carries; nullopt for other
// tokens. Call only on a token that has_valid_format().
std::optional<Id> embedded_id(std::string_view token);

// True when `token` has a known prefix, the right length and alphabet, and a
// matching checksum. Cheap; says nothing about whether the token exists.
bool has_valid_format(std::string_view token);

// The redacted form shown where a raw token cannot be: first 9 characters,
// ten '*', last 4 characters (Heroku spec §3.1).
std::string redact(std::string_view token);

}  // namespace tessera::crypto
