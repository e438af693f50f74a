#pragma once

#include <string>
#include <string_view>

#include "tessera/result.hpp"

namespace tessera::sdk::detail {

// The parts of an Api's base URL the transport needs.
struct BaseUrl {
    bool is_tls = false;
    std::string host;         // name or IP address, without IPv6 brackets
    std::string port;         // "443", "8080"
    std::string host_header;  // "example.com", "[::1]:8080": the Host header
    std::string prefix;       // path prefix without a trailing slash; "" for none
};

// http(s)://host[:port][/prefix], nothing else (no user info, query or
// fragment). A `usage` error naming the problem otherwise.
Result<BaseUrl> parse_base_url(std::string_view url);

// `text` percent-encoded for one path segment or form value: everything but
// RFC 3986 unreserved characters is encoded.
std::string percent_encode(std::string_view text);

}  // namespace tessera::sdk::detail
