#pragma once

#include <map>
#include <optional>
#include <string>

#include "base/result.hpp"
#include "http/message.hpp"

namespace tessera::api::oauth {

// The parameters of an OAuth endpoint request.
class Form {
public:
    std::optional<std::string> get(const std::string& name) const;
    bool has(const std::string& name) const { return values_.count(name) > 0; }
    // Adds a parameter; false when it is already there.
    bool add(std::string name, std::string value);

private:
    std::map<std::string, std::string> values_;
};

// Parses an application/x-www-form-urlencoded body (RFC 6749 §3.2), plus the
// query string when `with_query` (Heroku spec §6.2: some clients send token
// parameters there). `invalid_request` for another content type, a malformed
// escape, or a parameter sent twice (RFC 6749 §3.1), naming it.
Result<Form> parse_form(const http::Request& request, bool with_query);

}  // namespace tessera::api::oauth
