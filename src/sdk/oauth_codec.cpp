// Heroku surface bodies (spec heroku-oauth.md §2–§5): responses in, request
// bodies out, and to_json() in the wire's (alphabetical) key order.
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "sdk/codec.hpp"
#include "tessera/json.hpp"

namespace tessera::sdk {
namespace detail {
namespace {

namespace json = boost::json;

json::value optional_text(const std::optional<std::string>& value) {
    if (!value) return nullptr;
    return json::value(*value);
}

json::value optional_integer(const std::optional<std::int64_t>& value) {
    if (!value) return nullptr;
    return *value;
}

TokenInfo read_token(ObjectReader in) {
    TokenInfo token;
    token.expires_in = in.optional_integer("expires_in");
    token.id = in.text("id");
    token.token = in.secret("token");
    return token;
}

json::value token_json(const std::optional<TokenInfo>& token) {
    if (!token) return nullptr;
    return json::object{{"expires_in", optional_integer(token->expires_in)},
                        {"id", token->id},
                        {"token", token->token.reveal()}};
}

// `{ "id": ... }` members (authorization, session, user of a token).
std::optional<std::string> read_id_of(ObjectReader& in, std::string_view key) {
    auto* value = in.object(key);
    if (!value) return std::nullopt;
    return in.nested(*value, key).text("id");
}

json::value id_object(const std::optional<std::string>& id) {
    if (!id) return nullptr;
    return json::object{{"id", *id}};
}

}  // namespace

void read_value(ObjectReader& in, OAuthClient& out) {
    out.created_at = in.text("created_at");
    out.id = in.text("id");
    out.ignores_delinquent = in.optional_boolean("ignores_delinquent");
    out.name = in.text("name");
    out.redirect_uri = in.text_or_empty("redirect_uri");
    out.secret = in.optional_secret("secret");
    out.updated_at = in.text("updated_at");
}

void read_value(ObjectReader& in, OAuthAuthorization& out) {
    if (auto* v = in.object("access_token"))
        out.access_token = read_token(in.nested(*v, "access_token"));
    if (auto* v = in.object("client")) {
        auto client = in.nested(*v, "client");
        out.client = AuthorizationClient{client.text("id"), client.text_or_empty("name"),
                                         client.text_or_empty("redirect_uri")};
    }
    out.created_at = in.text("created_at");
    out.description = in.text_or_empty("description");
    if (auto* v = in.object("grant")) {
        auto grant = in.nested(*v, "grant");
        out.grant =
            GrantInfo{grant.secret("code"), grant.optional_integer("expires_in"), grant.text("id")};
    }
    out.id = in.text("id");
    if (auto* v = in.object("refresh_token"))
        out.refresh_token = read_token(in.nested(*v, "refresh_token"));
    out.scope = in.strings("scope");
    out.session_id = read_id_of(in, "session");
    if (auto* v = in.object("user")) {
        auto user = in.nested(*v, "user");
        out.user = AuthorizationUser{user.text("id"), user.text_or_empty("email"),
                                     user.optional_text("full_name")};
    }
    out.updated_at = in.text("updated_at");
}

void read_value(ObjectReader& in, OAuthToken& out) {
    if (auto* v = in.object("access_token"))
        out.access_token = read_token(in.nested(*v, "access_token"));
    else
        in.text("access_token");  // notes it missing
    out.authorization_id = read_id_of(in, "authorization");
    if (auto* v = in.object("client"))
        out.client_secret = in.nested(*v, "client").optional_secret("secret");
    out.created_at = in.text("created_at");
    if (auto* v = in.object("grant")) {
        auto grant = in.nested(*v, "grant");
        out.grant_type = grant.optional_text("type");
        out.grant_code = grant.optional_secret("code");
    }
    out.id = in.text("id");
    if (auto* v = in.object("refresh_token"))
        out.refresh_token = read_token(in.nested(*v, "refresh_token"));
    out.session_id = read_id_of(in, "session");
    out.updated_at = in.text("updated_at");
    out.user_id = read_id_of(in, "user");
}

void read_value(ObjectReader& in, OAuthSession& out) {
    out.created_at = in.text("created_at");
    out.description = in.text_or_empty("description");
    out.expires_in = in.optional_integer("expires_in");
    out.id = in.text("id");
    out.updated_at = in.text("updated_at");
}

void read_value(ObjectReader& in, Account& out) {
    out.created_at = in.text("created_at");
    out.email = in.text("email");
    out.id = in.text("id");
    out.name = in.optional_text("name");
    out.updated_at = in.text("updated_at");
}

std::string body_of(const OAuthClientCreate& body) {
    return json::serialize(json::object{{"name", body.name}, {"redirect_uri", body.redirect_uri}});
}

std::string body_of(const OAuthClientUpdate& body) {
    json::object o;
    if (body.name) o["name"] = *body.name;
    if (body.redirect_uri) o["redirect_uri"] = *body.redirect_uri;
    return json::serialize(o);
}

std::string body_of(const OAuthAuthorizationCreate& body) {
    json::object o;
    if (body.client) o["client"] = json::object{{"id", *body.client}};
    if (body.description) o["description"] = *body.description;
    if (body.expires_in) o["expires_in"] = *body.expires_in;
    if (!body.scope.empty()) o["scope"] = strings(body.scope);
    return json::serialize(o);
}

std::string body_of(const OAuthAuthorizationUpdate& body) {
    json::object o;
    if (body.client)
        o["client"] =
            json::object{{"id", body.client->id}, {"secret", body.client->secret.reveal()}};
    if (body.description) o["description"] = *body.description;
    return json::serialize(o);
}

std::string body_of(const OAuthTokenCreate& body) {
    json::object grant{{"type", body.grant_type}};
    if (body.code) grant["code"] = body.code->reveal();
    json::object o{{"grant", std::move(grant)}};
    if (body.client_secret) o["client"] = json::object{{"secret", body.client_secret->reveal()}};
    if (body.refresh_token)
        o["refresh_token"] = json::object{{"token", body.refresh_token->reveal()}};
    return json::serialize(o);
}

}  // namespace detail

using detail::id_object;
using detail::optional_integer;
using detail::optional_text;
using detail::token_json;

std::string to_json(const OAuthClient& c) {
    boost::json::object o;
    o["created_at"] = c.created_at;
    o["id"] = c.id;
    o["ignores_delinquent"] = c.ignores_delinquent ? boost::json::value(*c.ignores_delinquent)
                                                   : boost::json::value(nullptr);
    o["name"] = c.name;
    o["redirect_uri"] = c.redirect_uri;
    if (c.secret) o["secret"] = c.secret->reveal();
    o["updated_at"] = c.updated_at;
    return boost::json::serialize(o);
}

std::string to_json(const OAuthAuthorization& a) {
    boost::json::object o;
    o["access_token"] = token_json(a.access_token);
    if (a.client)
        o["client"] = boost::json::object{{"id", a.client->id},
                                          {"name", a.client->name},
                                          {"redirect_uri", a.client->redirect_uri}};
    else
        o["client"] = nullptr;
    o["created_at"] = a.created_at;
    o["description"] = a.description;
    if (a.grant)
        o["grant"] = boost::json::object{{"code", a.grant->code.reveal()},
                                         {"expires_in", optional_integer(a.grant->expires_in)},
                                         {"id", a.grant->id}};
    else
        o["grant"] = nullptr;
    o["id"] = a.id;
    o["refresh_token"] = token_json(a.refresh_token);
    o["scope"] = detail::strings(a.scope);
    o["session"] = id_object(a.session_id);
    o["updated_at"] = a.updated_at;
    o["user"] = boost::json::object{
        {"email", a.user.email}, {"full_name", optional_text(a.user.full_name)}, {"id", a.user.id}};
    return boost::json::serialize(o);
}

std::string to_json(const OAuthToken& t) {
    boost::json::object o;
    o["access_token"] = token_json(t.access_token);
    o["authorization"] = id_object(t.authorization_id);
    if (t.client_secret)
        o["client"] = boost::json::object{{"secret", t.client_secret->reveal()}};
    else
        o["client"] = nullptr;
    o["created_at"] = t.created_at;
    if (t.grant_type || t.grant_code) {
        boost::json::object grant;
        if (t.grant_code) grant["code"] = t.grant_code->reveal();
        grant["type"] = optional_text(t.grant_type);
        o["grant"] = std::move(grant);
    } else {
        o["grant"] = nullptr;
    }
    o["id"] = t.id;
    o["refresh_token"] = token_json(t.refresh_token);
    o["session"] = id_object(t.session_id);
    o["updated_at"] = t.updated_at;
    o["user"] = id_object(t.user_id);
    return boost::json::serialize(o);
}

std::string to_json(const OAuthSession& s) {
    boost::json::object o;
    o["created_at"] = s.created_at;
    o["description"] = s.description;
    o["expires_in"] = optional_integer(s.expires_in);
    o["id"] = s.id;
    o["updated_at"] = s.updated_at;
    return boost::json::serialize(o);
}

std::string to_json(const Account& a) {
    boost::json::object o;
    o["created_at"] = a.created_at;
    o["email"] = a.email;
    o["id"] = a.id;
    o["name"] = optional_text(a.name);
    o["updated_at"] = a.updated_at;
    return boost::json::serialize(o);
}

std::string json_string(const std::string& text) {
    return boost::json::serialize(boost::json::value(text));
}

}  // namespace tessera::sdk
