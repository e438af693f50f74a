#include "api/heroku/authorizations_api.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "api/heroku/authorization_json.hpp"
#include "api/heroku/errors.hpp"
#include "api/heroku/range.hpp"

namespace tessera::api::heroku {
namespace {

const std::vector<std::string_view> kRangeFields = {"id"};

// An authorization id in the path (dashed uuid or 32 hex); a malformed one
// names nothing: not_found, like an unknown one.
Result<Id> path_authorization_id(const http::Request& request) {
    auto id = Id::parse(request.param("authorization_id"));
    if (!id)
        return make_error(Code::not_found, "Couldn't find that authorization.", {},
                          "authorization");
    return *id;
}

// §3.2 expires_in: a number, a string of digits (the CLI sends "3600") or null.
Result<std::optional<std::int64_t>> expires_in_field(const boost::json::object& body) {
    auto it = body.find("expires_in");
    if (it == body.end() || it->value().is_null()) return std::optional<std::int64_t>();
    const auto& v = it->value();
    auto bad = [] {
        return make_error(Code::invalid_params,
                          "expires_in must be a number of seconds between 1 and 31536000", {},
                          "expires_in");
    };
    if (v.is_int64()) return std::optional<std::int64_t>(v.as_int64());
    if (v.is_uint64() && v.as_uint64() <= static_cast<std::uint64_t>(core::kMaxExpiresIn))
        return std::optional<std::int64_t>(static_cast<std::int64_t>(v.as_uint64()));
    if (v.is_string()) {
        std::string_view digits = v.as_string();
        if (digits.empty() || digits.size() > 9 ||
            digits.find_first_not_of("0123456789") != std::string_view::npos)
            return bad();
        return std::optional<std::int64_t>(std::stoll(std::string(digits)));
    }
    return bad();
}

// §3.2 scope: an array of strings; absent or null → the default.
Result<std::vector<std::string>> scope_field(const boost::json::object& body) {
    auto it = body.find("scope");
    if (it == body.end() || it->value().is_null()) return std::vector<std::string>();
    if (!it->value().is_array())
        return make_error(Code::invalid_params, "scope must be an array of strings", {}, "scope");
    std::vector<std::string> out;
    for (const auto& item : it->value().as_array()) {
        if (!item.is_string())
            return make_error(Code::invalid_params, "scope must be an array of strings", {},
                              "scope");
        out.emplace_back(item.as_string());
    }
    return out;
}

// §3.2 client: a uuid string or {"id": uuid}; absent or null → nullopt.
Result<std::optional<Id>> create_client_field(const boost::json::object& body) {
    auto it = body.find("client");
    if (it == body.end() || it->value().is_null()) return std::optional<Id>();
    const boost::json::value* id = &it->value();
    if (id->is_object()) {
        auto inner = id->as_object().find("id");
        id = inner == id->as_object().end() ? nullptr : &inner->value();
    }
    std::optional<Id> parsed;
    if (id && id->is_string()) parsed = Id::parse(std::string_view(id->as_string()));
    if (!parsed)
        return make_error(Code::invalid_params,
                          "client must be the client's id, or an object with the client's id", {},
                          "client");
    return parsed;
}

// §3.5 client: {"id": uuid, "secret": string}, both or neither.
Result<std::optional<std::pair<Id, Secret>>> client_field(const boost::json::object& body) {
    auto it = body.find("client");
    if (it == body.end() || it->value().is_null()) return std::optional<std::pair<Id, Secret>>();
    auto bad = [] {
        return make_error(Code::invalid_params,
                          "client must be an object with the client's id and secret", {}, "client");
    };
    if (!it->value().is_object()) return bad();
    const auto& c = it->value().as_object();
    auto id = c.find("id");
    auto secret = c.find("secret");
    if (id == c.end() || secret == c.end() || !id->value().is_string() ||
        !secret->value().is_string())
        return bad();
    auto parsed = Id::parse(std::string_view(id->value().as_string()));
    if (!parsed) return bad();
    return std::optional(std::pair{*parsed, Secret(std::string(secret->value().as_string()))});
}

}  // namespace

void AuthorizationsApi::add_routes(http::Router& router) {
    router.add("POST", "/oauth/authorizations",
               http::member_handler(this, &AuthorizationsApi::create));
    router.add("GET", "/oauth/authorizations",
               http::member_handler(this, &AuthorizationsApi::list));
    router.add("GET", "/oauth/authorizations/{authorization_id}",
               http::member_handler(this, &AuthorizationsApi::info));
    router.add("PATCH", "/oauth/authorizations/{authorization_id}",
               http::member_handler(this, &AuthorizationsApi::update));
    router.add("DELETE", "/oauth/authorizations/{authorization_id}",
               http::member_handler(this, &AuthorizationsApi::remove));
    router.add("POST", "/oauth/authorizations/{authorization_id}/actions/regenerate-tokens",
               http::member_handler(this, &AuthorizationsApi::regenerate_tokens));
    router.add("GET", "/account", http::member_handler(this, &AuthorizationsApi::account));
}

Result<boost::json::object> AuthorizationsApi::render(const core::AuthorizationView& view,
                                                      const core::User& user) {
    std::optional<core::Client> client;
    if (view.authorization.client_id) {
        auto found = clients_.public_info(*view.authorization.client_id);
        if (!found && found.error().code != Code::not_found) return std::move(found).error();
        if (found) client = std::move(*found);
    }
    AuthorizationParts parts;
    // The newest access token, of the session shown when it has one (tokens
    // carry whole seconds: of two made in one second either may show).
    for (auto it = view.access_tokens.rbegin(); it != view.access_tokens.rend(); ++it) {
        if (!parts.access_token) parts.access_token = &*it;
        if (view.session && it->session_id == view.session->id) {
            parts.access_token = &*it;
            break;
        }
    }
    if (client) parts.client = &*client;
    if (view.session) parts.session = &*view.session;
    if (view.refresh_token) parts.refresh_token = &*view.refresh_token;
    return authorization_object(view.authorization, parts, user, clock_.now());
}

http::Response AuthorizationsApi::create(const http::Request& request) {
    int remaining = -1;
    auto authenticated = conventions_.authenticate_with_password(request, remaining);
    if (auto* refused = std::get_if<http::Response>(&authenticated))
        return conventions_.finish(request, std::move(*refused), remaining);
    const core::Caller& caller = std::get<core::Caller>(authenticated);
    return conventions_.finish(request, create_as(request, caller), remaining);
}

http::Response AuthorizationsApi::create_as(const http::Request& request,
                                            const core::Caller& caller) {
    return [&] {
        auto body = parse_object(request);
        if (!body) return render_error(request, body.error());
        auto client = create_client_field(*body);
        if (!client) return render_error(request, client.error());
        auto scope = scope_field(*body);
        if (!scope) return render_error(request, scope.error());
        auto description = string_field(*body, "description");
        if (!description) return render_error(request, description.error());
        auto expires_in = expires_in_field(*body);
        if (!expires_in) return render_error(request, expires_in.error());
        auto user = users_.find(caller.user_id);
        if (!user) return render_error(request, user.error());
        if (*client) {
            // §3.2 with `client` [T]: the client's standing grant (named after
            // the client; description and expires_in do not apply: the
            // tokens come from POST /oauth/tokens) and a code for it.
            auto granted = grants_.grant_directly(caller.user_id, caller.scope, **client, *scope);
            if (!granted) return render_error(request, granted.error());
            auto response =
                json_response(201, render_granted_authorization(*granted, *user, clock_.now()));
            response.headers.set("Cache-Control", "no-store");
            return response;
        }
        auto minted = authorizations_.create_direct_as(
            caller.scope, {caller.user_id, *scope, description->value_or(""), *expires_in, false});
        if (!minted) return render_error(request, minted.error());
        auto response =
            json_response(201, render_minted_authorization(*minted, *user, clock_.now()));
        response.headers.set("Cache-Control", "no-store");
        return response;
    }();
}

http::Response AuthorizationsApi::list(const http::Request& request) {
    return authenticated(conventions_, request, [&](const core::Caller& caller) {
        auto parsed = parse_range(request.headers.get("Range"), kRangeFields);
        if (auto* bad = std::get_if<RangeError>(&parsed)) return range_error_response(*bad);
        auto& range = std::get<ParsedRange>(parsed);
        auto user = users_.find(caller.user_id);
        if (!user) return render_error(request, user.error());
        auto page = authorizations_.list(caller.user_id, range.query);
        if (!page) return render_error(request, page.error());
        boost::json::array items;
        for (const auto& view : page->items) {
            auto item = render(view, *user);
            if (!item) return render_error(request, item.error());
            items.push_back(std::move(*item));
        }
        auto response = json_response(200, boost::json::serialize(items));
        std::optional<std::string> first, last;
        if (!page->items.empty()) {
            first = page->items.front().authorization.id.uuid();
            last = page->items.back().authorization.id.uuid();
        }
        set_range_headers(response, range, kRangeFields, first, last, page->has_more);
        return response;
    });
}

http::Response AuthorizationsApi::info(const http::Request& request) {
    return authenticated(conventions_, request, [&](const core::Caller& caller) {
        Result<core::AuthorizationView> view =
            make_error(Code::internal, "the authorization could not be read");
        if (request.param("authorization_id") == "~") {
            view = authorizations_.api_key(caller.user_id);  // §3.4: the API key
        } else {
            auto id = path_authorization_id(request);
            if (!id) return render_error(request, id.error());
            view = authorizations_.info(caller.user_id, *id);
        }
        if (!view) return render_error(request, view.error());
        auto user = users_.find(caller.user_id);
        if (!user) return render_error(request, user.error());
        auto item = render(*view, *user);
        if (!item) return render_error(request, item.error());
        return json_response(200, boost::json::serialize(*item));
    });
}

http::Response AuthorizationsApi::update(const http::Request& request) {
    return authenticated(conventions_, request, [&](const core::Caller& caller) {
        auto body = parse_object(request);
        if (!body) return render_error(request, body.error());
        auto description = string_field(*body, "description");
        if (!description) return render_error(request, description.error());
        auto client = client_field(*body);
        if (!client) return render_error(request, client.error());
        auto id = path_authorization_id(request);
        if (!id) return render_error(request, id.error());
        auto user = users_.find(caller.user_id);
        if (!user) return render_error(request, user.error());
        auto view = authorizations_.info(caller.user_id, *id);
        if (view && *client) {
            // §3.5: only with the client's secret, checked in constant time.
            auto verified =
                clients_.verify_owned_client(caller.user_id, (*client)->first, (*client)->second);
            if (!verified) return render_error(request, verified.error());
            view = authorizations_.associate_client(caller.user_id, *id, *verified);
        }
        if (view && *description)
            view = authorizations_.update_description(caller.user_id, *id, **description);
        if (!view) return render_error(request, view.error());
        auto item = render(*view, *user);
        if (!item) return render_error(request, item.error());
        return json_response(200, boost::json::serialize(*item));
    });
}

http::Response AuthorizationsApi::remove(const http::Request& request) {
    return authenticated(conventions_, request, [&](const core::Caller& caller) {
        auto id = path_authorization_id(request);
        if (!id) return render_error(request, id.error());
        auto user = users_.find(caller.user_id);
        if (!user) return render_error(request, user.error());
        auto view = authorizations_.remove(caller.user_id, *id);
        if (!view) return render_error(request, view.error());
        auto item = render(*view, *user);
        if (!item) return render_error(request, item.error());
        return json_response(200, boost::json::serialize(*item));
    });
}

http::Response AuthorizationsApi::regenerate_tokens(const http::Request& request) {
    return authenticated(conventions_, request, [&](const core::Caller& caller) {
        auto id = path_authorization_id(request);
        if (!id) return render_error(request, id.error());
        auto user = users_.find(caller.user_id);
        if (!user) return render_error(request, user.error());
        auto minted = authorizations_.regenerate_tokens(caller.user_id, *id);
        if (!minted) return render_error(request, minted.error());
        auto response =
            json_response(200, render_minted_authorization(*minted, *user, clock_.now()));
        response.headers.set("Cache-Control", "no-store");
        return response;
    });
}

http::Response AuthorizationsApi::account(const http::Request& request) {
    return authenticated(
        conventions_, request,
        [&](const core::Caller& caller) {
            auto user = users_.find(caller.user_id);
            if (!user) return render_error(request, user.error());
            boost::json::object o;
            o["created_at"] = format_rfc3339(user->created_at);
            o["email"] = user->email;
            o["id"] = user->id.uuid();
            o["name"] =
                user->name.empty() ? boost::json::value(nullptr) : boost::json::value(user->name);
            o["updated_at"] = format_rfc3339(user->updated_at);
            return json_response(200, boost::json::serialize(o));
        },
        /*required_scope=*/"identity");  // Heroku spec §7
}

}  // namespace tessera::api::heroku
