#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tessera::sdk::detail {

// One request as the transport sends it. `target` is the encoded path (and
// query) below the server's origin, base path prefix included.
struct HttpRequest {
    std::string method;
    std::string target;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    // True when repeating it cannot repeat an effect (GET, DELETE,
    // introspection, revocation): the transport may retry it after a
    // connection failure or a 502/503/504.
    bool idempotent = false;
};

struct HttpResponse {
    int status = 0;
    std::vector<std::pair<std::string, std::string>> headers;  // names lowercased
    std::string body;

    // The first value of the header `name` (lowercase), "" when absent.
    std::string header(std::string_view name) const;
    bool has_header(std::string_view name) const;
};

}  // namespace tessera::sdk::detail
