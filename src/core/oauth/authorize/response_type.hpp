#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.hpp"
#include "core/model/client.hpp"

namespace tessera::core {

// What an authorization request asks to get back (RFC 6749 §3.1.1, OAuth 2.0
// Multiple Response Type Encoding Practices §3 and §5, OpenID Connect Core
// §3): any non-empty combination of a code, an ID token and an access token.
struct ResponseType {
    bool code = false;
    bool id_token = false;
    bool token = false;

    // Whether the answer itself carries a token (an ID token or an access
    // token), so it must not travel in a query (Multiple Response Types §5).
    bool returns_tokens() const { return id_token || token; }
    // The canonical spelling: the values in the order code, id_token, token.
    std::string name() const;
    bool operator==(const ResponseType&) const = default;
};

// The space-delimited value, its values in any order (RFC 6749 §3.1.1).
// nullopt for an empty one, an unknown value (`none` included) or a value
// given twice.
std::optional<ResponseType> parse_response_type(std::string_view text);

// How the answer travels to the redirect URI.
enum class ResponseMode {
    query,      // in the URI's query (RFC 6749 §4.1.2)
    fragment,   // in the URI's fragment (RFC 6749 §4.2.2)
    form_post,  // as an auto-submitted HTML form (OAuth 2.0 Form Post Response Mode)
};

std::string_view to_string(ResponseMode mode);
// nullopt for anything but query, fragment or form_post.
std::optional<ResponseMode> parse_response_mode(std::string_view text);

// Multiple Response Types §2.1 and §5: query for `code` alone, fragment for
// anything that returns a token.
ResponseMode default_response_mode(const ResponseType& type);

// Whether `client` may use `type`, for an authorization_code-only `code`
// the long-standing rule: the client registered the authorization_code
// grant. Any other type (implicit and hybrid, off by default; RFC 9700
// §2.1.2 discourages them) needs that exact combination in the client's
// response_types (RFC 7591 §2, order free) and the grant types OpenID
// Connect Dynamic Client Registration §2 pairs with it: `implicit` for an
// ID token or access token, `authorization_code` for a code.
bool client_allows_response_type(const Client& client, const ResponseType& type);

// An authorization response on its way to the client: where, how, and the
// parameters in order. The raw code and tokens exist only here.
struct AuthorizationResponse {
    std::string redirect_uri;
    ResponseMode mode = ResponseMode::query;
    std::vector<std::pair<std::string, std::string>> params;

    // Where to redirect the browser: for query, the parameters appended to
    // the URI's query; for fragment, they form the fragment (replacing any,
    // Multiple Response Types §2.1). Empty for form_post, which is a page.
    std::string location() const;
};

}  // namespace tessera::core
