#pragma once

#include <string>
#include <string_view>

namespace tessera {

// One list of everything that can go wrong, spelled like its wire token.
// Each surface maps these to its own wire format once (its errors.cpp), with a
// switch that has no default so a new code is flagged by the compiler.
enum class Code {
    // RFC 6749 / 6750 / 7009 / 7662 codes.
    invalid_request,
    invalid_client,
    invalid_grant,
    unauthorized_client,
    unsupported_grant_type,
    unsupported_response_type,
    // OpenID Connect Core §3.1.2.6 (prompt=none).
    login_required,
    consent_required,
    invalid_scope,
    access_denied,
    invalid_token,
    // RFC 7591 §3.2.2 (dynamic client registration).
    invalid_redirect_uri,
    invalid_client_metadata,
    // Management codes.
    invalid_params,
    not_found,
    conflict,
    forbidden,
    unauthenticated,
    rate_limited,
    unavailable,
    internal,
};

std::string_view to_string(Code code);

// An error as the core reports it.
//  - description: safe to send to the caller.
//  - log_detail:  for our own log only.
// Neither ever holds a secret, a token, a password or SQL text.
struct Error {
    Code code;
    std::string description;
    std::string log_detail{};
    // For not_found: which resource ("client", "authorization", ...). For
    // invalid_params: which field. Empty when not applicable.
    std::string subject{};
};

}  // namespace tessera
