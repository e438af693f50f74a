#pragma once

#include <string>
#include <string_view>

#include "base/result.hpp"

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

}  // namespace tessera::core
