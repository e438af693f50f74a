#include "api/heroku/conventions.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "api/heroku/errors.hpp"
#include "base/encoding.hpp"
#include "core/scopes/scope_catalog.hpp"
#include "core/tokens/presented_token.hpp"
#include "crypto/digest.hpp"

namespace tessera::api::heroku {
namespace {

// §1.2: "Bearer <token>", or Basic whose password is the token (the user
// part, empty or an email, is ignored).
std::optional<std::string> presented_token(const http::Request& request) {
    auto header = request.headers.get("Authorization");
    if (!header) return std::nullopt;
    auto value = *header;
    auto space = value.find(' ');
    if (space == value.npos) return std::nullopt;
    auto scheme = value.substr(0, space), rest = value.substr(space + 1);
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    if (http::iequals(scheme, "Bearer")) return std::string(rest);
    if (http::iequals(scheme, "Basic")) {
        auto decoded = base64_decode(rest);
        if (!decoded) return std::nullopt;
        auto colon = decoded->find(':');
        if (colon == std::string::npos) return std::nullopt;
        return decoded->substr(colon + 1);
    }
    return std::nullopt;
}

Id address_key(const http::Request& request) {
    return core::network_address_key(request.remote_address);
}

// A `version=` parameter of an Accept media range, if any.
std::optional<std::string_view> version_param(std::string_view range) {
    auto pos = range.find("version=");
    if (pos == range.npos) return std::nullopt;
    auto v = range.substr(pos + 8);
    return v.substr(0, v.find_first_of(";, "));
}

bool etag_matches(std::string_view if_none_match, std::string_view etag) {
    while (!if_none_match.empty()) {
        auto comma = if_none_match.find(',');
        auto tag = if_none_match.substr(0, comma);
        while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
        while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
        if (tag.starts_with("W/")) tag.remove_prefix(2);
        if (tag == "*" || tag == etag) return true;
        if (comma == if_none_match.npos) break;
        if_none_match.remove_prefix(comma + 1);
    }
    return false;
}

}  // namespace

std::optional<http::Response> Conventions::check_accept(const http::Request& request) const {
    auto accept = request.headers.get("Accept");
    if (!accept) return std::nullopt;
    // Each media range: heroku+json needs version 3 (a variant like 3.foo is
    // still 3); anything else (json, */*) is served as v3.
    std::string_view rest = *accept;
    bool heroku_range = false, v3 = false;
    while (!rest.empty()) {
        auto comma = rest.find(',');
        auto range = rest.substr(0, comma);
        if (range.find("application/vnd.heroku+json") != range.npos) {
            heroku_range = true;
            auto version = version_param(range);
            if (!version || *version == "3" || version->starts_with("3.")) v3 = true;
        } else {
            v3 = true;
        }
        if (comma == rest.npos) break;
        rest.remove_prefix(comma + 1);
    }
    if (!heroku_range || v3) return std::nullopt;
    return error_response(406, "not_acceptable",
                          "This API only serves version 3: send "
                          "'Accept: application/vnd.heroku+json; version=3'.");
}

std::variant<core::Caller, http::Response> Conventions::authenticate(
    const http::Request& request, int& remaining, std::string_view required_scope) const {
    if (auto refused = check_accept(request)) return std::move(*refused);
    auto token = presented_token(request);
    if (!token) {
        auto limited = limit_anonymous(request);
        if (auto* response = std::get_if<http::Response>(&limited)) return std::move(*response);
        remaining = std::get<int>(limited);
        return render_error(request,
                            make_error(Code::unauthenticated, "Invalid credentials provided."));
    }
    auto caller = authenticator_.authenticate(*token);
    if (!caller) {
        // Failed attempts spend the address's budget, which slows guessing.
        auto limited = limit_anonymous(request);
        if (auto* response = std::get_if<http::Response>(&limited)) return std::move(*response);
        remaining = std::get<int>(limited);
        return render_error(request, caller.error());
    }
    auto left = limiter_.take(caller->user_id);
    if (!left) return render_error(request, left.error());
    remaining = *left;
    if (!core::scope_covers(caller->scope, required_scope))
        return render_error(
            request, make_error(Code::forbidden, "This action requires a token with the '" +
                                                     std::string(required_scope) + "' scope."));
    return std::move(*caller);
}

std::variant<core::Caller, http::Response> Conventions::authenticate_with_password(
    const http::Request& request, int& remaining) const {
    auto header = request.headers.get("Authorization");
    bool basic = header && header->size() > 6 && http::iequals(header->substr(0, 6), "Basic ");
    auto decoded = basic ? base64_decode(header->substr(6)) : std::nullopt;
    auto colon = decoded ? decoded->find(':') : std::string::npos;
    // A token in the password part (heroku-client's ":token") is not a login.
    if (colon == std::string::npos || colon == 0 ||
        core::read_presented_token(std::string_view(*decoded).substr(colon + 1)))
        return authenticate(request, remaining);
    if (auto refused = check_accept(request)) return std::move(*refused);
    auto user =
        passwords_.authenticate(std::string_view(*decoded).substr(0, colon),
                                std::string_view(*decoded).substr(colon + 1), address_key(request));
    if (!user) return render_error(request, user.error());
    auto left = limiter_.take(user->id);
    if (!left) return render_error(request, left.error());
    remaining = *left;
    // The password proves the account holder: full access, as `global`.
    return core::Caller{user->id, Id{}, {"global"}};
}

std::variant<int, http::Response> Conventions::limit_anonymous(const http::Request& request) const {
    auto left = limiter_.take(address_key(request));
    if (!left) return render_error(request, left.error());
    return *left;
}

http::Response Conventions::finish(const http::Request& request, http::Response response,
                                   int remaining) const {
    response.headers.set("Content-Type", "application/json; charset=utf-8");
    if (remaining >= 0) response.headers.set("RateLimit-Remaining", std::to_string(remaining));
    if (request.method == "GET" && response.status >= 200 && response.status < 300) {
        auto digest = crypto::sha256(response.body);
        std::string etag = "\"" + hex_encode(std::span(digest.data(), 16)) + "\"";
        response.headers.set("ETag", etag);
        auto if_none_match = request.headers.get("If-None-Match");
        // §1.3: 304 only for a matching If-None-Match (heroku-client 3 throws on any 304).
        if (if_none_match && etag_matches(*if_none_match, etag)) {
            response.status = 304;
            response.body.clear();
            response.headers.set("Content-Type", "application/json; charset=utf-8");
        }
    }
    return response;
}

Result<boost::json::object> parse_object(const http::Request& request) {
    std::string_view body = request.body;
    if (body.find_first_not_of(" \t\r\n") == body.npos) return boost::json::object{};
    auto type = request.headers.get("Content-Type");
    if (type) {
        auto media = type->substr(0, type->find(';'));
        while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
        if (!http::iequals(media, "application/json") && !media.ends_with("+json"))
            return make_error(Code::invalid_request,
                              "The request body must be sent as application/json.");
    }
    boost::system::error_code ec;
    auto value = boost::json::parse(body, ec);
    if (ec) return make_error(Code::invalid_request, "The request body is not valid JSON.");
    if (!value.is_object())
        return make_error(Code::invalid_request, "The request body must be a JSON object.");
    return std::move(value.as_object());
}

Result<std::optional<std::string>> string_field(const boost::json::object& body,
                                                std::string_view name) {
    auto it = body.find(name);
    if (it == body.end()) return std::optional<std::string>();
    if (!it->value().is_string())
        return make_error(Code::invalid_params, std::string(name) + " must be a string", {},
                          std::string(name));
    return std::optional<std::string>(std::string(it->value().as_string()));
}

http::Response json_response(int status, std::string body) {
    http::Response response;
    response.status = status;
    response.body = std::move(body);
    return response;
}

}  // namespace tessera::api::heroku
