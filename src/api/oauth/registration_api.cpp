#include "api/oauth/registration_api.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "api/oauth/errors.hpp"
#include "core/accounts/password_authenticator.hpp"

namespace tessera::api::oauth {
namespace {

namespace json = boost::json;

Error bad_metadata(std::string description) {
    return make_error(Code::invalid_client_metadata, std::move(description));
}

Result<std::optional<std::string>> string_field(const json::object& body, std::string_view name) {
    auto* value = body.if_contains(name);
    if (!value) return std::optional<std::string>();
    if (!value->is_string()) return bad_metadata(std::string(name) + " must be a string");
    return std::optional<std::string>(std::string(value->get_string()));
}

Result<std::optional<std::vector<std::string>>> strings_field(const json::object& body,
                                                              std::string_view name) {
    using Strings = std::optional<std::vector<std::string>>;
    auto* value = body.if_contains(name);
    if (!value) return Strings();
    if (!value->is_array()) return bad_metadata(std::string(name) + " must be an array of strings");
    std::vector<std::string> out;
    for (const auto& item : value->get_array()) {
        if (!item.is_string())
            return bad_metadata(std::string(name) + " must be an array of strings");
        out.emplace_back(item.get_string());
    }
    return Strings(std::move(out));
}

// RFC 7591 §2: the metadata we understand; every other member is ignored.
Result<core::ClientMetadata> parse_metadata(const http::Request& request) {
    auto type = request.headers.get("Content-Type");
    auto media = type ? type->substr(0, type->find(';')) : std::string_view();
    while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
    if (!http::iequals(media, "application/json"))
        return make_error(Code::invalid_request, "the body must be application/json");
    boost::system::error_code ec;
    auto parsed = json::parse(request.body, ec);
    if (ec || !parsed.is_object()) return bad_metadata("the body must be a JSON object");
    const auto& body = parsed.get_object();
    core::ClientMetadata m;
    TESSERA_TRY_ASSIGN(m.redirect_uris, strings_field(body, "redirect_uris"));
    TESSERA_TRY_ASSIGN(m.post_logout_redirect_uris,
                       strings_field(body, "post_logout_redirect_uris"));
    TESSERA_TRY_ASSIGN(m.token_endpoint_auth_method,
                       string_field(body, "token_endpoint_auth_method"));
    TESSERA_TRY_ASSIGN(m.grant_types, strings_field(body, "grant_types"));
    TESSERA_TRY_ASSIGN(m.response_types, strings_field(body, "response_types"));
    TESSERA_TRY_ASSIGN(m.client_name, string_field(body, "client_name"));
    TESSERA_TRY_ASSIGN(m.scope, string_field(body, "scope"));
    TESSERA_TRY_ASSIGN(m.access_token_format, string_field(body, "access_token_format"));
    TESSERA_TRY_ASSIGN(m.client_id, string_field(body, "client_id"));
    TESSERA_TRY_ASSIGN(m.id_token_signed_response_alg,
                       string_field(body, "id_token_signed_response_alg"));
    TESSERA_TRY_ASSIGN(auto secret, string_field(body, "client_secret"));
    if (secret) m.client_secret = Secret(std::move(*secret));
    return m;
}

// RFC 6750 §2.1: the Bearer token of the Authorization header, if any.
std::optional<Secret> bearer_token(const http::Request& request) {
    auto header = request.headers.get("Authorization");
    if (!header || header->size() <= 7 || !http::iequals(header->substr(0, 7), "Bearer "))
        return std::nullopt;
    auto token = header->substr(7);
    while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
    return Secret(std::string(token));
}

json::array strings(const std::vector<std::string>& items) {
    json::array out;
    for (const auto& item : items) out.emplace_back(item);
    return out;
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : " ") + item;
    return out;
}

Error missing_token() {
    return make_error(Code::invalid_token, "the registration access token is invalid or expired");
}

}  // namespace

void RegistrationApi::add_routes(http::Router& router) {
    if (registrations_.mode() == core::RegistrationMode::off) return;
    router.add("POST", "/oauth/register", http::member_handler(this, &RegistrationApi::create));
    router.add("GET", "/oauth/register/{client_id}",
               http::member_handler(this, &RegistrationApi::read));
    router.add("PUT", "/oauth/register/{client_id}",
               http::member_handler(this, &RegistrationApi::update));
    router.add("DELETE", "/oauth/register/{client_id}",
               http::member_handler(this, &RegistrationApi::remove));
}

std::string RegistrationApi::render(const core::RegisteredClient& registered) const {
    const auto& c = registered.client;
    bool is_public = c.is_public();
    // Clients registered before response_types was stored have none kept.
    bool code_only = c.response_types.empty() && c.allows_grant("authorization_code");
    json::object o;
    o["client_id"] = c.id.uuid();
    if (!registered.client_secret.empty()) o["client_secret"] = registered.client_secret.reveal();
    o["client_id_issued_at"] = c.created_at;
    if (!is_public) o["client_secret_expires_at"] = 0;
    o["registration_access_token"] = registered.registration_access_token.reveal();
    o["registration_client_uri"] = issuer_ + "/oauth/register/" + c.id.uuid();
    o["client_name"] = c.name;
    o["redirect_uris"] = strings(c.redirect_uris);
    if (!c.post_logout_redirect_uris.empty())
        o["post_logout_redirect_uris"] = strings(c.post_logout_redirect_uris);
    o["grant_types"] = strings(c.grant_types);
    o["response_types"] = code_only ? strings({"code"}) : strings(c.response_types);
    o["token_endpoint_auth_method"] = c.token_endpoint_auth_method;
    // Registered without a scope, a client may ask for any catalog scope but
    // has no default one (RFC 6749 §3.3), so there is no value to show.
    if (!c.scopes.empty()) o["scope"] = join(c.scopes);
    o["access_token_format"] = c.access_token_format;  // Tessera extension (RFC 9068)
    if (!c.id_token_signed_response_alg.empty())
        o["id_token_signed_response_alg"] = c.id_token_signed_response_alg;
    return json::serialize(o);
}

http::Response RegistrationApi::create(const http::Request& request) {
    // RFC 7591 §3: the initial access token, when required, comes first.
    auto initial = bearer_token(request);
    auto address = core::network_address_key(request.remote_address);
    auto metadata = parse_metadata(request);
    if (!metadata) {
        // Do not tell an unauthorized caller what is wrong with its body.
        auto allowed = registrations_.check_may_register(initial, address);
        return refused(request, allowed ? metadata.error() : allowed.error());
    }
    auto registered = registrations_.register_client(*metadata, initial, address);
    if (!registered) return refused(request, registered.error());
    return json_response(201, render(*registered));
}

http::Response RegistrationApi::refused(const http::Request& request, const Error& error) const {
    auto response = render_error(request, error, false);
    if (error.code == Code::rate_limited)
        response.headers.set("Retry-After", std::to_string(registrations_.retry_after()));
    return response;
}

http::Response RegistrationApi::read(const http::Request& request) {
    auto token = bearer_token(request);
    if (!token) return render_error(request, missing_token(), false);
    auto found = registrations_.read(request.param("client_id"), *token);
    if (!found) return render_error(request, found.error(), false);
    return json_response(200, render(*found));
}

http::Response RegistrationApi::update(const http::Request& request) {
    auto token = bearer_token(request);
    if (!token) return render_error(request, missing_token(), false);
    auto metadata = parse_metadata(request);
    if (!metadata) {
        // Authenticate first, so a bad body tells a stranger nothing.
        auto known = registrations_.read(request.param("client_id"), *token);
        if (!known) return render_error(request, known.error(), false);
        return render_error(request, metadata.error(), false);
    }
    auto updated = registrations_.update(request.param("client_id"), *token, *metadata);
    if (!updated) return render_error(request, updated.error(), false);
    return json_response(200, render(*updated));
}

http::Response RegistrationApi::remove(const http::Request& request) {
    auto token = bearer_token(request);
    if (!token) return render_error(request, missing_token(), false);
    auto removed = registrations_.remove(request.param("client_id"), *token);
    if (!removed) return render_error(request, removed.error(), false);
    http::Response response;
    response.status = 204;
    response.headers.set("Cache-Control", "no-store");
    return response;
}

}  // namespace tessera::api::oauth
