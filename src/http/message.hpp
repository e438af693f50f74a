#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tessera::http {

// Header fields in arrival order. Names compare case-insensitively.
class Headers {
public:
    // The first value of `name`, or nullopt.
    std::optional<std::string_view> get(std::string_view name) const;
    // How many fields are named `name`.
    std::size_t count(std::string_view name) const;
    // Replaces every field named `name` with one field.
    void set(std::string name, std::string value);
    void add(std::string name, std::string value);

    const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }

private:
    std::vector<std::pair<std::string, std::string>> fields_;
};

bool iequals(std::string_view a, std::string_view b);

// A parsed request, passed to handlers by value. The transport fills method,
// target, path, query, headers, body, remote_address and request_id; the
// router fills params.
struct Request {
    std::string method;  // as sent, e.g. "GET"
    std::string target;  // the raw request-target
    std::string path;    // path of the target (origin- or absolute-form), still percent-encoded
    std::string query;   // raw query without '?'; empty when absent
    Headers headers;
    std::string body;
    std::string remote_address;
    std::string request_id;  // our uuid for this request; echoed as Request-Id
    std::vector<std::pair<std::string, std::string>> params;  // path params, percent-decoded

    // The path parameter `name`; empty when absent.
    std::string_view param(std::string_view name) const;
};

struct Response {
    int status = 200;
    Headers headers;
    std::string body;

    // Set by a handler whose answer is not ready when it returns (it started
    // work that completes elsewhere, such as a batched database write). The
    // transport then calls `deferred` once with a `finish` function, which
    // must be called exactly once, from any thread, with the real response;
    // status, headers and body of this one are ignored.
    using Finish = std::function<void(Response)>;
    std::function<void(Finish)> deferred;
};

// Splits a request-target into path and query. Accepts origin-form
// ("/a?b") and absolute-form ("https://host/a?b"); the authority of an
// absolute-form target is ignored (heroku-client 1.11 through a proxy).
// nullopt when the target is neither (e.g. "*" or "host:443").
std::optional<std::pair<std::string, std::string>> split_target(std::string_view target);

// Percent-decodes one path segment or query component. With `plus_is_space`
// (form encoding) '+' decodes to ' '. nullopt on a malformed escape.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space = false);

}  // namespace tessera::http
