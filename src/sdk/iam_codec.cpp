// Cloudflare surface bodies (spec cloudflare-oauth-clients.md §2, §3, §6):
// responses in, request bodies out, and to_json() in the wire's order.
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "sdk/codec.hpp"
#include "tessera/json.hpp"

namespace tessera::sdk {
namespace detail {
namespace {

namespace json = boost::json;

void put_non_empty(json::object& o, std::string_view key, const std::vector<std::string>& value) {
    if (!value.empty()) o[key] = strings(value);
}

}  // namespace

void read_value(ObjectReader& in, AccountOAuthClient& out) {
    out.client_id = in.text("client_id");
    out.visibility = in.text("visibility");
    out.client_name = in.text_or_empty("client_name");
    out.client_uri = in.optional_text("client_uri");
    if (auto* v = in.object("client_uri_verification")) {
        auto verification = in.nested(*v, "client_uri_verification");
        out.client_uri_verification =
            UriVerification{verification.text("status"), verification.text_or_empty("text")};
    }
    out.logo_uri = in.optional_text("logo_uri");
    out.policy_uri = in.optional_text("policy_uri");
    out.tos_uri = in.optional_text("tos_uri");
    out.redirect_uris = in.strings("redirect_uris");
    out.post_logout_redirect_uris = in.strings("post_logout_redirect_uris");
    out.allowed_cors_origins = in.strings("allowed_cors_origins");
    out.grant_types = in.strings("grant_types");
    out.response_types = in.strings("response_types");
    out.scopes = in.strings("scopes");
    out.optional_scopes = in.strings("optional_scopes");
    out.token_endpoint_auth_method = in.text_or_empty("token_endpoint_auth_method");
    out.has_rotated_secret = in.optional_boolean("has_rotated_secret").value_or(false);
    out.promoted_at = in.optional_text("promoted_at");
    out.created_at = in.text_or_empty("created_at");
    out.updated_at = in.text_or_empty("updated_at");
    out.client_secret = in.optional_secret("client_secret");
}

void read_value(ObjectReader& in, OAuthScope& out) {
    out.id = in.text("id");
    out.name = in.text("name");
    out.category = in.optional_text("category");
    out.scopes = in.strings("scopes");
}

std::string body_of(const AccountOAuthClientCreate& body) {
    json::object o;
    o["client_name"] = body.client_name;
    o["grant_types"] = strings(body.grant_types);
    o["redirect_uris"] = strings(body.redirect_uris);
    o["response_types"] = strings(body.response_types);
    o["scopes"] = strings(body.scopes);
    o["token_endpoint_auth_method"] = body.token_endpoint_auth_method;
    put_non_empty(o, "allowed_cors_origins", body.allowed_cors_origins);
    put(o, "client_uri", body.client_uri);
    put(o, "logo_uri", body.logo_uri);
    put_non_empty(o, "optional_scopes", body.optional_scopes);
    put(o, "policy_uri", body.policy_uri);
    put_non_empty(o, "post_logout_redirect_uris", body.post_logout_redirect_uris);
    put(o, "tos_uri", body.tos_uri);
    return json::serialize(o);
}

std::string body_of(const AccountOAuthClientUpdate& body) {
    json::object o;
    put(o, "client_name", body.client_name);
    put(o, "grant_types", body.grant_types);
    put(o, "redirect_uris", body.redirect_uris);
    put(o, "response_types", body.response_types);
    put(o, "scopes", body.scopes);
    put(o, "token_endpoint_auth_method", body.token_endpoint_auth_method);
    put(o, "allowed_cors_origins", body.allowed_cors_origins);
    put(o, "client_uri", body.client_uri);
    put(o, "logo_uri", body.logo_uri);
    put(o, "optional_scopes", body.optional_scopes);
    put(o, "policy_uri", body.policy_uri);
    put(o, "post_logout_redirect_uris", body.post_logout_redirect_uris);
    put(o, "tos_uri", body.tos_uri);
    put(o, "visibility", body.visibility);
    return json::serialize(o);
}

}  // namespace detail

std::string to_json(const AccountOAuthClient& c) {
    using detail::put;
    using detail::strings;
    boost::json::object o;
    o["client_id"] = c.client_id;
    o["visibility"] = c.visibility;
    o["client_name"] = c.client_name;
    put(o, "client_uri", c.client_uri);
    if (c.client_uri_verification)
        o["client_uri_verification"] =
            boost::json::object{{"status", c.client_uri_verification->status},
                                {"text", c.client_uri_verification->text}};
    put(o, "logo_uri", c.logo_uri);
    put(o, "policy_uri", c.policy_uri);
    put(o, "tos_uri", c.tos_uri);
    o["redirect_uris"] = strings(c.redirect_uris);
    o["post_logout_redirect_uris"] = strings(c.post_logout_redirect_uris);
    o["allowed_cors_origins"] = strings(c.allowed_cors_origins);
    o["grant_types"] = strings(c.grant_types);
    o["response_types"] = strings(c.response_types);
    o["scopes"] = strings(c.scopes);
    o["optional_scopes"] = strings(c.optional_scopes);
    o["token_endpoint_auth_method"] = c.token_endpoint_auth_method;
    o["has_rotated_secret"] = c.has_rotated_secret;
    put(o, "promoted_at", c.promoted_at);
    o["created_at"] = c.created_at;
    o["updated_at"] = c.updated_at;
    if (c.client_secret) o["client_secret"] = c.client_secret->reveal();
    return boost::json::serialize(o);
}

std::string to_json(const OAuthScope& s) {
    boost::json::object o;
    o["id"] = s.id;
    o["name"] = s.name;
    detail::put(o, "category", s.category);
    if (!s.scopes.empty()) o["scopes"] = detail::strings(s.scopes);
    return boost::json::serialize(o);
}

}  // namespace tessera::sdk
