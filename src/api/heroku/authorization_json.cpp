#include "api/heroku/authorization_json.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace tessera::api::heroku {

std::string render_minted_authorization(const core::MintedAuthorization& minted,
                                        const core::User& user, Timestamp now) {
    const auto& a = minted.authorization;
    const auto& t = minted.access_token;
    boost::json::object token;
    if (t.expires_at)
        token["expires_in"] = std::max<std::int64_t>(0, *t.expires_at - now);
    else
        token["expires_in"] = nullptr;
    token["id"] = t.id.uuid();
    token["token"] = minted.raw_access_token.reveal();

    boost::json::array scope;
    for (const auto& s : a.scope) scope.emplace_back(s);
    boost::json::object owner;
    owner["email"] = user.email;
    owner["full_name"] =
        user.name.empty() ? boost::json::value(nullptr) : boost::json::value(user.name);
    owner["id"] = user.id.uuid();

    boost::json::object o;
    o["access_token"] = std::move(token);
    o["client"] = nullptr;
    o["created_at"] = format_rfc3339(a.created_at);
    o["description"] = a.description;
    o["grant"] = nullptr;
    o["id"] = a.id.uuid();
    o["refresh_token"] = nullptr;
    o["scope"] = std::move(scope);
    o["session"] = nullptr;
    o["updated_at"] = format_rfc3339(a.updated_at);
    o["user"] = std::move(owner);
    return boost::json::serialize(o);
}

}  // namespace tessera::api::heroku
