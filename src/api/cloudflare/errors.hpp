#pragma once

#include "base/error.hpp"
#include "http/message.hpp"

namespace tessera::api::cloudflare {

// The one place a core Error becomes a Cloudflare v4 response (Cloudflare
// spec §7). `request` supplies the path of "Could not route to …" and the
// request id logged with an internal error.
http::Response error_response(const http::Request& request, const Error& error);

// 404 code 7003 "Could not route to <path>, perhaps your object identifier
// is invalid?": an unknown or foreign account or client.
http::Response not_routable(const http::Request& request);

// 401 code 10000 "Authentication error".
http::Response authentication_error(int status = 401);

}  // namespace tessera::api::cloudflare
