#pragma once

#include "base/error.hpp"
#include "http/message.hpp"

namespace tessera::api::oauth {

// RFC 6749 §5.2: status plus {"error", "error_description"}, never cached.
// `invalid_client` after Basic authentication is a 401 with
// `WWW-Authenticate: Basic` (§5.2); `internal` renders as server_error and its
// log_detail goes to our log with the request id.
http::Response render_error(const http::Request& request, const Error& error, bool used_basic_auth);

// A JSON response with the headers every token endpoint response carries
// (Cache-Control: no-store, Pragma: no-cache).
http::Response json_response(int status, std::string body);

}  // namespace tessera::api::oauth
