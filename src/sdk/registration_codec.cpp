// Dynamic client registration bodies (RFC 7591 §2, §3.2.1; RFC 7592 §2.2,
// §3): metadata out, the registered client in, and its to_json() in the
// server's order.
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "sdk/codec.hpp"
#include "tessera/json.hpp"

namespace tessera::sdk {
namespace detail {
namespace {

namespace json = boost::json;

}  // namespace

void read_value(ObjectReader& in, ClientRegistration& out) {
    out.client_id = in.text("client_id");
    out.client_secret = in.optional_secret("client_secret");
    out.client_id_issued_at = in.optional_integer("client_id_issued_at");
    out.client_secret_expires_at = in.optional_integer("client_secret_expires_at");
    out.registration_access_token = in.secret("registration_access_token");
    out.registration_client_uri = in.text("registration_client_uri");
    out.client_name = in.text_or_empty("client_name");
    out.redirect_uris = in.strings("redirect_uris");
    out.post_logout_redirect_uris = in.strings("post_logout_redirect_uris");
    out.grant_types = in.strings("grant_types");
    out.response_types = in.strings("response_types");
    out.token_endpoint_auth_method = in.text_or_empty("token_endpoint_auth_method");
    out.scope = in.optional_text("scope");
    out.access_token_format = in.optional_text("access_token_format");
    out.id_token_signed_response_alg = in.optional_text("id_token_signed_response_alg");
}

std::string body_of(const ClientMetadata& m, const std::optional<std::string>& client_id,
                    const std::optional<Secret>& client_secret) {
    json::object o;
    // RFC 7592 §2.2: an update names the client first.
    put(o, "client_id", client_id);
    if (client_secret) o["client_secret"] = client_secret->reveal();
    put(o, "client_name", m.client_name);
    put(o, "redirect_uris", m.redirect_uris);
    put(o, "post_logout_redirect_uris", m.post_logout_redirect_uris);
    put(o, "grant_types", m.grant_types);
    put(o, "response_types", m.response_types);
    put(o, "token_endpoint_auth_method", m.token_endpoint_auth_method);
    put(o, "scope", m.scope);
    put(o, "access_token_format", m.access_token_format);
    put(o, "id_token_signed_response_alg", m.id_token_signed_response_alg);
    return json::serialize(o);
}

}  // namespace detail

std::string to_json(const ClientRegistration& c) {
    using detail::put;
    using detail::strings;
    boost::json::object o;
    o["client_id"] = c.client_id;
    if (c.client_secret) o["client_secret"] = c.client_secret->reveal();
    if (c.client_id_issued_at) o["client_id_issued_at"] = *c.client_id_issued_at;
    if (c.client_secret_expires_at) o["client_secret_expires_at"] = *c.client_secret_expires_at;
    o["registration_access_token"] = c.registration_access_token.reveal();
    o["registration_client_uri"] = c.registration_client_uri;
    o["client_name"] = c.client_name;
    o["redirect_uris"] = strings(c.redirect_uris);
    // The server leaves out an empty list of logout URIs.
    if (!c.post_logout_redirect_uris.empty())
        o["post_logout_redirect_uris"] = strings(c.post_logout_redirect_uris);
    o["grant_types"] = strings(c.grant_types);
    o["response_types"] = strings(c.response_types);
    o["token_endpoint_auth_method"] = c.token_endpoint_auth_method;
    put(o, "scope", c.scope);
    put(o, "access_token_format", c.access_token_format);
    put(o, "id_token_signed_response_alg", c.id_token_signed_response_alg);
    return boost::json::serialize(o);
}

}  // namespace tessera::sdk
