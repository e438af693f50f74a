#pragma once

#include <string_view>

#include "base/error.hpp"
#include "http/message.hpp"

namespace tessera::api::heroku {

// Heroku spec §1.4: `{id, message[, resource]}` with the status of the error
// id. `internal` renders as a generic internal_server_error; its log_detail
// goes to our log with the request id.
http::Response render_error(const http::Request& request, const Error& error);

// An error the surface raises itself (no core call involved): 400 bad_request,
// 404 not_found (unknown path), 405 method_not_allowed, 406 not_acceptable,
// 413/431 from the transport.
http::Response error_response(int status, std::string_view id, std::string_view message);

}  // namespace tessera::api::heroku
