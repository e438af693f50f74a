// Standard endpoint bodies (RFC 6749 §5.1, RFC 7662 §2.2, RFC 8414 §2,
// RFC 7517, OpenID Connect UserInfo) and their to_json().
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "sdk/codec.hpp"
#include "tessera/json.hpp"

namespace tessera::sdk {
namespace detail {
namespace {

namespace json = boost::json;

}  // namespace

void read_value(ObjectReader& in, TokenResponse& out) {
    out.access_token = in.secret("access_token");
    out.token_type = in.text("token_type");
    out.expires_in = in.optional_integer("expires_in");
    out.refresh_token = in.optional_secret("refresh_token");
    out.scope = in.optional_text("scope");
    out.id_token = in.optional_secret("id_token");
    out.user_id = in.optional_text("user_id");
    out.session_nonce = in.optional_text("session_nonce");
}

void read_value(ObjectReader& in, Introspection& out) {
    out.active = in.optional_boolean("active").value_or(false);
    out.scope = in.optional_text("scope");
    out.client_id = in.optional_text("client_id");
    out.sub = in.optional_text("sub");
    out.token_type = in.optional_text("token_type");
    out.iat = in.optional_integer("iat");
    out.exp = in.optional_integer("exp");
    out.iss = in.optional_text("iss");
}

void read_value(ObjectReader& in, ServerMetadata& out) {
    out.issuer = in.text("issuer");
    out.authorization_endpoint = in.text_or_empty("authorization_endpoint");
    out.token_endpoint = in.text("token_endpoint");
    out.revocation_endpoint = in.optional_text("revocation_endpoint");
    out.introspection_endpoint = in.optional_text("introspection_endpoint");
    out.registration_endpoint = in.optional_text("registration_endpoint");
    out.userinfo_endpoint = in.optional_text("userinfo_endpoint");
    out.jwks_uri = in.optional_text("jwks_uri");
    out.end_session_endpoint = in.optional_text("end_session_endpoint");
    out.scopes_supported = in.strings("scopes_supported");
    out.response_types_supported = in.strings("response_types_supported");
    out.response_modes_supported = in.strings("response_modes_supported");
    out.grant_types_supported = in.strings("grant_types_supported");
    out.token_endpoint_auth_methods_supported = in.strings("token_endpoint_auth_methods_supported");
    out.revocation_endpoint_auth_methods_supported =
        in.strings("revocation_endpoint_auth_methods_supported");
    out.introspection_endpoint_auth_methods_supported =
        in.strings("introspection_endpoint_auth_methods_supported");
    out.code_challenge_methods_supported = in.strings("code_challenge_methods_supported");
    out.subject_types_supported = in.strings("subject_types_supported");
    out.id_token_signing_alg_values_supported = in.strings("id_token_signing_alg_values_supported");
    out.claims_supported = in.strings("claims_supported");
    out.authorization_response_iss_parameter_supported =
        in.optional_boolean("authorization_response_iss_parameter_supported").value_or(false);
}

void read_value(ObjectReader& in, Jwk& out) {
    out.kty = in.text("kty");
    out.kid = in.optional_text("kid");
    out.use = in.optional_text("use");
    out.alg = in.optional_text("alg");
    out.crv = in.optional_text("crv");
    out.x = in.optional_text("x");
    out.y = in.optional_text("y");
    out.n = in.optional_text("n");
    out.e = in.optional_text("e");
}

void read_value(ObjectReader& in, JwkSet& out) {
    auto* keys = in.array("keys");
    if (!keys) return;
    for (const auto& key : *keys) {
        auto reader = in.nested(key, "keys");
        Jwk jwk;
        read_value(reader, jwk);
        out.keys.push_back(std::move(jwk));
    }
}

void read_value(ObjectReader& in, UserInfo& out) {
    out.sub = in.text("sub");
    out.name = in.optional_text("name");
    out.email = in.optional_text("email");
    out.email_verified = in.optional_boolean("email_verified");
}

}  // namespace detail

std::string to_json(const TokenResponse& t) {
    using detail::put;
    boost::json::object o;
    o["access_token"] = t.access_token.reveal();
    o["token_type"] = t.token_type;
    put(o, "expires_in", t.expires_in);
    put(o, "refresh_token", t.refresh_token);
    put(o, "scope", t.scope);
    put(o, "id_token", t.id_token);
    put(o, "user_id", t.user_id);
    put(o, "session_nonce", t.session_nonce);
    return boost::json::serialize(o);
}

std::string to_json(const Introspection& i) {
    using detail::put;
    boost::json::object o;
    o["active"] = i.active;
    put(o, "scope", i.scope);
    put(o, "client_id", i.client_id);
    put(o, "sub", i.sub);
    put(o, "token_type", i.token_type);
    put(o, "iat", i.iat);
    put(o, "exp", i.exp);
    put(o, "iss", i.iss);
    return boost::json::serialize(o);
}

std::string to_json(const ServerMetadata& m) {
    using detail::put;
    using detail::strings;
    boost::json::object o;
    o["issuer"] = m.issuer;
    o["authorization_endpoint"] = m.authorization_endpoint;
    o["token_endpoint"] = m.token_endpoint;
    put(o, "revocation_endpoint", m.revocation_endpoint);
    put(o, "introspection_endpoint", m.introspection_endpoint);
    put(o, "registration_endpoint", m.registration_endpoint);
    put(o, "userinfo_endpoint", m.userinfo_endpoint);
    put(o, "jwks_uri", m.jwks_uri);
    put(o, "end_session_endpoint", m.end_session_endpoint);
    o["scopes_supported"] = strings(m.scopes_supported);
    o["response_types_supported"] = strings(m.response_types_supported);
    o["response_modes_supported"] = strings(m.response_modes_supported);
    o["grant_types_supported"] = strings(m.grant_types_supported);
    o["token_endpoint_auth_methods_supported"] = strings(m.token_endpoint_auth_methods_supported);
    o["revocation_endpoint_auth_methods_supported"] =
        strings(m.revocation_endpoint_auth_methods_supported);
    o["introspection_endpoint_auth_methods_supported"] =
        strings(m.introspection_endpoint_auth_methods_supported);
    o["code_challenge_methods_supported"] = strings(m.code_challenge_methods_supported);
    o["subject_types_supported"] = strings(m.subject_types_supported);
    o["id_token_signing_alg_values_supported"] = strings(m.id_token_signing_alg_values_supported);
    o["claims_supported"] = strings(m.claims_supported);
    o["authorization_response_iss_parameter_supported"] =
        m.authorization_response_iss_parameter_supported;
    return boost::json::serialize(o);
}

namespace {

boost::json::object jwk_object(const Jwk& k) {
    using detail::put;
    boost::json::object o;
    // The server's order: kid, use, alg, then the key type's members.
    put(o, "kid", k.kid);
    put(o, "use", k.use);
    put(o, "alg", k.alg);
    o["kty"] = k.kty;
    put(o, "crv", k.crv);
    put(o, "x", k.x);
    put(o, "y", k.y);
    put(o, "n", k.n);
    put(o, "e", k.e);
    return o;
}

}  // namespace

std::string to_json(const Jwk& k) { return boost::json::serialize(jwk_object(k)); }

std::string to_json(const JwkSet& set) {
    boost::json::array keys;
    for (const auto& k : set.keys) keys.emplace_back(jwk_object(k));
    return boost::json::serialize(boost::json::object{{"keys", std::move(keys)}});
}

std::string to_json(const UserInfo& u) {
    using detail::put;
    boost::json::object o;
    o["sub"] = u.sub;
    put(o, "name", u.name);
    put(o, "email", u.email);
    put(o, "email_verified", u.email_verified);
    return boost::json::serialize(o);
}

}  // namespace tessera::sdk
