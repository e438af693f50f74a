#include "api/heroku/tokens_api.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "api/heroku/errors.hpp"

namespace tessera::api::heroku {
namespace {

// §4.1, keys in alphabetical order; the token value redacted (D2), and no
// refresh token, grant, client secret or session for a personal token.
boost::json::object render(const core::AccessToken& t, Timestamp now) {
    boost::json::object access;
    if (t.expires_at)
        access["expires_in"] = std::max<std::int64_t>(0, *t.expires_at - now);
    else
        access["expires_in"] = nullptr;
    access["id"] = t.id.uuid();
    access["token"] = t.redacted;
    boost::json::value authorization = nullptr;
    if (t.authorization_id) authorization = boost::json::object{{"id", t.authorization_id->uuid()}};
    boost::json::value user = nullptr;
    if (t.user_id) user = boost::json::object{{"id", t.user_id->uuid()}};

    boost::json::object o;
    o["access_token"] = std::move(access);
    o["authorization"] = std::move(authorization);
    o["client"] = nullptr;
    o["created_at"] = format_rfc3339(t.created_at);
    o["grant"] = nullptr;
    o["id"] = t.id.uuid();
    o["refresh_token"] = nullptr;
    o["session"] = nullptr;
    o["updated_at"] = format_rfc3339(t.created_at);
    o["user"] = std::move(user);
    return o;
}

}  // namespace

void TokensApi::add_routes(http::Router& router) {
    router.add("DELETE", "/oauth/tokens/{oauth_token_id}",
               http::member_handler(this, &TokensApi::remove));
}

http::Response TokensApi::remove(const http::Request& request) {
    return authenticated(conventions_, request, [&](const core::Caller& caller) {
        auto id = Id::parse(request.param("oauth_token_id"));
        if (!id)
            return render_error(
                request, make_error(Code::not_found, "Couldn't find that token.", {}, "token"));
        auto revoked = revoker_.revoke_owned(caller.user_id, *id);
        if (!revoked) return render_error(request, revoked.error());
        return json_response(200, boost::json::serialize(render(*revoked, clock_.now())));
    });
}

}  // namespace tessera::api::heroku
