#pragma once

#include <optional>
#include <string_view>

#include "base/id.hpp"

namespace tessera::core {

// What the shape of a presented access or refresh token tells, before any
// lookup: whether it can be one we issued, and the id its row is stored
// under (AccessToken::id_in_token). Nothing here is trusted: the store finds
// the row by that id and then compares the digest of the whole token in
// constant time, so a forged id finds nothing.
struct PresentedToken {
    bool is_jwt = false;   // a compact JWS (RFC 9068), not an opaque token
    std::optional<Id> id;  // nullopt: an opaque token minted without an id
};

// An opaque token with a valid prefix and checksum (crypto::has_valid_format)
// and its embedded id, exactly as before JWT access tokens; otherwise a JWT
// access token: at most kMaxJwtLength characters in three base64url parts
// whose middle one decodes to a JSON object with a string `jti` that is an
// Id. Its signature is not checked (the digest comparison decides). nullopt
// for anything else: a caller answers as for an unknown token. Pure;
// thread-safe.
std::optional<PresentedToken> read_presented_token(std::string_view token);

// Longer than any JWT access token we sign (about 1 KiB with an RS256 key).
inline constexpr std::size_t kMaxJwtLength = 8192;

}  // namespace tessera::core
