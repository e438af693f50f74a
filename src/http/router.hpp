#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "http/message.hpp"

namespace tessera::http {

using Handler = std::function<Response(const Request&)>;

// A handler that calls `method` on `object` (which must outlive the router).
template <typename T>
Handler member_handler(T* object, Response (T::*method)(const Request&)) {
    return [object, method](const Request& request) { return (object->*method)(request); };
}

// Matches (method, path template) pairs. Templates are literal segments and
// `{name}` parameters, e.g. "/oauth/clients/{client_id}". Built once at start,
// then read concurrently without locks.
class Router {
public:
    void add(std::string method, std::string_view pattern, Handler handler);

    struct Found {
        const Handler* handler;
        std::vector<std::pair<std::string, std::string>> params;
    };
    struct NotFound {};
    struct MethodNotAllowed {
        std::string allow;  // e.g. "GET, PATCH, DELETE"
    };
    // Dot segments, encoded slashes, empty inner segments or malformed escapes:
    // rejected, never normalised.
    struct BadPath {
        std::string reason;
    };
    using Match = std::variant<Found, NotFound, MethodNotAllowed, BadPath>;

    // `path` is still percent-encoded; each segment is decoded once, here.
    Match match(std::string_view method, std::string_view path) const;

private:
    struct Route {
        std::string method;
        std::vector<std::string> segments;  // "{x}" marks a parameter
        Handler handler;
    };
    std::vector<Route> routes_;
};

}  // namespace tessera::http
