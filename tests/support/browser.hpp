#pragma once

#include <map>
#include <string>

#include "support/http_client.hpp"

namespace tessera::testing {

// What the wire tests of the browser pages share.

// Sends a request as a browser would: with the cookies in `jar` (a cookie
// with an empty value was deleted and is not sent), a form body when `body`
// is given, and keeping every Set-Cookie of the response in `jar`.
WireResponse browse(Client& client, std::map<std::string, std::string>& jar,
                    const std::string& method, const std::string& target,
                    const std::string& body = "");

// Posts the form of an authorization page (sign-in or consent) back as the
// browser would: `action`, the page's hidden request fields and CSRF token,
// and for "sign_in" Ada's test credentials (ada@example.com).
WireResponse submit_authorize_form(Client& client, std::map<std::string, std::string>& jar,
                                   const WireResponse& page, const std::string& action);

// The value of the hidden input `name` in a page; "" when absent.
std::string hidden_field(const std::string& html, const std::string& name);

// The percent-decoded query parameter `name` of a URI; "" when absent.
std::string query_param(const std::string& uri, const std::string& name);

}  // namespace tessera::testing
