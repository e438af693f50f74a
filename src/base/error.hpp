#pragma once

#include <string>
#include <string_view>
#include <vector>

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

// One problem with one field of a request body (Cloudflare spec §4: each
// becomes its own entry in `errors`). Kinds map to wire codes once, in the
// surface's errors.cpp.
struct Violation {
    enum class Kind { missing, wrong_type, invalid_uri, invalid_scope, rule, limit };
    Kind kind;
    std::string pointer;  // JSON pointer into the request body, e.g. "/redirect_uris/0"
    std::string message;  // safe to send; never echoes a secret
};

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
    // For invalid_params from a whole-object check: every problem found, in
    // field order (the description names the first).
    std::vector<Violation> violations{};
};

}  // namespace tessera
