#include "api/heroku/authorization_json.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

namespace tessera::api::heroku {
namespace {

// `{expires_in, id, token}` of §3.1 access_token and refresh_token.
boost::json::object token_object(const std::optional<Timestamp>& expires_at, const Id& id,
                                 std::string_view token, Timestamp now) {
    boost::json::object o;
    o["expires_in"] = expires_in(expires_at, now);
    o["id"] = id.uuid();
    o["token"] = token;
    return o;
}

}  // namespace

boost::json::value expires_in(const std::optional<Timestamp>& expires_at, Timestamp now) {
    if (!expires_at) return nullptr;
    return std::max<std::int64_t>(0, *expires_at - now);
}

boost::json::object authorization_object(const core::Authorization& a,
                                         const AuthorizationParts& parts, const core::User& user,
                                         Timestamp now) {
    boost::json::value access_token = nullptr;
    if (const auto* t = parts.access_token)
        access_token = token_object(
            t->expires_at, t->id,
            parts.raw_access_token ? parts.raw_access_token->reveal() : t->redacted, now);
    boost::json::value refresh_token = nullptr;
    if (parts.refresh_token && parts.session)
        refresh_token = token_object(parts.session->expires_at, parts.refresh_token->id,
                                     parts.refresh_token->redacted, now);
    boost::json::value client = nullptr;
    if (const auto* c = parts.client) {
        client = boost::json::object{
            {"id", c->id.uuid()},
            {"name", c->name},
            {"redirect_uri", c->redirect_uris.empty() ? "" : c->redirect_uris.front()}};
    }
    boost::json::value grant = nullptr;
    if (const auto* g = parts.grant) {
        grant = boost::json::object{{"code", g->code.reveal()},
                                    {"expires_in", expires_in(g->stored.expires_at, now)},
                                    {"id", g->stored.id.uuid()}};
    }
    boost::json::value session = nullptr;
    if (parts.session) session = boost::json::object{{"id", parts.session->id.uuid()}};
    boost::json::array scope;
    for (const auto& s : a.scope) scope.emplace_back(s);
    boost::json::object owner;
    owner["email"] = user.email;
    owner["full_name"] =
        user.name.empty() ? boost::json::value(nullptr) : boost::json::value(user.name);
    owner["id"] = user.id.uuid();

    boost::json::object o;
    o["access_token"] = std::move(access_token);
    o["client"] = std::move(client);
    o["created_at"] = format_rfc3339(a.created_at);
    o["description"] = a.description;  // always a string (the CLI sorts on it)
    o["grant"] = std::move(grant);
    o["id"] = a.id.uuid();
    o["refresh_token"] = std::move(refresh_token);
    o["scope"] = std::move(scope);
    o["session"] = std::move(session);
    o["updated_at"] = format_rfc3339(a.updated_at);
    o["user"] = std::move(owner);
    return o;
}

std::string render_minted_authorization(const core::MintedAuthorization& minted,
                                        const core::User& user, Timestamp now) {
    AuthorizationParts parts;
    parts.access_token = &minted.access_token;
    parts.raw_access_token = &minted.raw_access_token;
    return boost::json::serialize(authorization_object(minted.authorization, parts, user, now));
}

std::string render_granted_authorization(const core::AuthorizationEndpoint::DirectGrant& grant,
                                         const core::User& user, Timestamp now) {
    AuthorizationParts parts;
    parts.client = &grant.client;
    parts.grant = &grant;
    return boost::json::serialize(authorization_object(grant.authorization, parts, user, now));
}

}  // namespace tessera::api::heroku
