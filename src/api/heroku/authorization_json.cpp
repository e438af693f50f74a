#include "api/heroku/authorization_json.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

namespace tessera::api::heroku {

boost::json::object authorization_object(const core::Authorization& a, const core::AccessToken* t,
                                         const Secret* raw, const core::Client* client,
                                         const core::User& user, Timestamp now) {
    boost::json::value access_token = nullptr;
    if (t) {
        boost::json::object token;
        if (t->expires_at)
            token["expires_in"] = std::max<std::int64_t>(0, *t->expires_at - now);
        else
            token["expires_in"] = nullptr;
        token["id"] = t->id.uuid();
        token["token"] = raw ? raw->reveal() : t->redacted;
        access_token = std::move(token);
    }
    boost::json::value client_value = nullptr;
    if (client) {
        boost::json::object c;
        c["id"] = client->id.uuid();
        c["name"] = client->name;
        c["redirect_uri"] = client->redirect_uris.empty() ? "" : client->redirect_uris.front();
        client_value = std::move(c);
    }
    boost::json::array scope;
    for (const auto& s : a.scope) scope.emplace_back(s);
    boost::json::object owner;
    owner["email"] = user.email;
    owner["full_name"] =
        user.name.empty() ? boost::json::value(nullptr) : boost::json::value(user.name);
    owner["id"] = user.id.uuid();

    boost::json::object o;
    o["access_token"] = std::move(access_token);
    o["client"] = std::move(client_value);
    o["created_at"] = format_rfc3339(a.created_at);
    o["description"] = a.description;  // always a string (the CLI sorts on it)
    o["grant"] = nullptr;
    o["id"] = a.id.uuid();
    o["refresh_token"] = nullptr;
    o["scope"] = std::move(scope);
    o["session"] = nullptr;
    o["updated_at"] = format_rfc3339(a.updated_at);
    o["user"] = std::move(owner);
    return o;
}

std::string render_minted_authorization(const core::MintedAuthorization& minted,
                                        const core::User& user, Timestamp now) {
    return boost::json::serialize(authorization_object(
        minted.authorization, &minted.access_token, &minted.raw_access_token, nullptr, user, now));
}

}  // namespace tessera::api::heroku
