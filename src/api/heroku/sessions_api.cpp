#include "api/heroku/sessions_api.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "api/heroku/authorization_json.hpp"
#include "api/heroku/errors.hpp"
#include "api/heroku/range.hpp"

namespace tessera::api::heroku {
namespace {

const std::vector<std::string_view> kRangeFields = {"id"};

// §5.1, keys in alphabetical order. `expires_in`: until the session's
// refresh token expires, null for never.
boost::json::object render(const core::Session& session, Timestamp now) {
    boost::json::object o;
    o["created_at"] = format_rfc3339(session.created_at);
    o["description"] = session.description;
    o["expires_in"] = expires_in(session.expires_at, now);
    o["id"] = session.id.uuid();
    o["updated_at"] = format_rfc3339(session.updated_at);
    return o;
}

// The session a path names: `~` (the caller's own, §5.2) or an id (dashed
// uuid or 32 hex). A malformed id names nothing: not_found, like an unknown one.
struct SessionName {
    bool current = false;
    Id id;
};

Result<SessionName> path_session(const http::Request& request) {
    auto param = request.param("session_id");
    if (param == "~") return SessionName{true, Id{}};
    auto id = Id::parse(param);
    if (!id) return make_error(Code::not_found, "Couldn't find that session.", {}, "session");
    return SessionName{false, *id};
}

}  // namespace

void SessionsApi::add_routes(http::Router& router) {
    router.add("GET", "/oauth/sessions", http::member_handler(this, &SessionsApi::list));
    router.add("GET", "/oauth/sessions/{session_id}",
               http::member_handler(this, &SessionsApi::info));
    router.add("DELETE", "/oauth/sessions/{session_id}",
               http::member_handler(this, &SessionsApi::remove));
}

http::Response SessionsApi::list(const http::Request& request) {
    return authenticated(conventions_, request, [&](const core::Caller& caller) {
        auto parsed = parse_range(request.headers.get("Range"), kRangeFields);
        if (auto* bad = std::get_if<RangeError>(&parsed)) return range_error_response(*bad);
        auto& range = std::get<ParsedRange>(parsed);
        auto page = sessions_.list(caller, range.query);
        if (!page) return render_error(request, page.error());
        boost::json::array items;
        for (const auto& session : page->items) items.push_back(render(session, clock_.now()));
        auto response = json_response(200, boost::json::serialize(items));
        std::optional<std::string> first, last;
        if (!page->items.empty()) {
            first = page->items.front().id.uuid();
            last = page->items.back().id.uuid();
        }
        set_range_headers(response, range, kRangeFields, first, last, page->has_more);
        return response;
    });
}

http::Response SessionsApi::info(const http::Request& request) {
    return authenticated(conventions_, request, [&](const core::Caller& caller) {
        auto name = path_session(request);
        if (!name) return render_error(request, name.error());
        auto session = name->current ? sessions_.current(caller) : sessions_.info(caller, name->id);
        if (!session) return render_error(request, session.error());
        return json_response(200, boost::json::serialize(render(*session, clock_.now())));
    });
}

http::Response SessionsApi::remove(const http::Request& request) {
    return authenticated(conventions_, request, [&](const core::Caller& caller) {
        auto name = path_session(request);
        if (!name) return render_error(request, name.error());
        auto session =
            name->current ? sessions_.remove_current(caller) : sessions_.remove(caller, name->id);
        if (!session) return render_error(request, session.error());
        return json_response(200, boost::json::serialize(render(*session, clock_.now())));
    });
}

}  // namespace tessera::api::heroku
