#include "api/heroku/tokens_api.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "api/heroku/authorization_json.hpp"
#include "api/heroku/errors.hpp"

namespace tessera::api::heroku {
namespace {

// §4.2 [T]: one answer for every failure about the code, the refresh token
// or the client's secret, so a caller learns nothing about which part failed.
Error invalid_token_request() {
    return make_error(Code::unauthenticated,
                      "Invalid OAuth credentials: the grant code, refresh token or client secret "
                      "is invalid, expired or revoked.");
}

bool is_credential_failure(Code code) {
    return code == Code::invalid_grant || code == Code::invalid_client ||
           code == Code::unauthorized_client;
}

// §4.2 body: nested objects. `grant.type` is required; `grant.code` for a
// code, `refresh_token.token` for a refresh; `client.secret` is optional here
// (a public client has none; a missing secret fails authentication).
struct TokenBody {
    core::TokenRequest request;
    std::optional<Secret> secret;
};

// The member `name` of `body` as an object: absent or null → nullptr.
Result<const boost::json::object*> object_member(const boost::json::object& body,
                                                 std::string_view name) {
    auto it = body.find(name);
    if (it == body.end() || it->value().is_null()) return nullptr;
    if (!it->value().is_object())
        return make_error(Code::invalid_params, std::string(name) + " must be an object", {},
                          std::string(name));
    return &it->value().as_object();
}

// `object.member` (`path` on the wire) as a string: absent or null (or no
// object) → nullopt; any other type → `invalid_params` naming `subject`.
Result<std::optional<std::string>> string_member(const boost::json::object* object,
                                                 std::string_view member, std::string_view path,
                                                 std::string_view subject) {
    if (!object) return std::optional<std::string>();
    auto it = object->find(member);
    if (it == object->end() || it->value().is_null()) return std::optional<std::string>();
    if (!it->value().is_string())
        return make_error(Code::invalid_params, std::string(path) + " must be a string", {},
                          std::string(subject));
    return std::optional<std::string>(std::string(it->value().as_string()));
}

Error missing(std::string_view path, std::string_view subject) {
    return make_error(Code::invalid_params, std::string(path) + " is required", {},
                      std::string(subject));
}

Result<TokenBody> parse_token_body(const boost::json::object& body) {
    TESSERA_TRY_ASSIGN(const boost::json::object* grant, object_member(body, "grant"));
    TESSERA_TRY_ASSIGN(const boost::json::object* refresh, object_member(body, "refresh_token"));
    TESSERA_TRY_ASSIGN(const boost::json::object* client, object_member(body, "client"));
    TESSERA_TRY_ASSIGN(auto type, string_member(grant, "type", "grant.type", "grant"));
    if (!type) return missing("grant.type", "grant");
    TokenBody parsed;
    parsed.request.grant_type = std::move(*type);
    if (parsed.request.grant_type == "authorization_code") {
        TESSERA_TRY_ASSIGN(parsed.request.code,
                           string_member(grant, "code", "grant.code", "grant"));
        if (!parsed.request.code) return missing("grant.code", "grant");
    } else if (parsed.request.grant_type == "refresh_token") {
        TESSERA_TRY_ASSIGN(parsed.request.refresh_token,
                           string_member(refresh, "token", "refresh_token.token", "refresh_token"));
        if (!parsed.request.refresh_token) return missing("refresh_token.token", "refresh_token");
    } else {
        return make_error(Code::invalid_params,
                          "grant.type must be authorization_code or refresh_token", {}, "grant");
    }
    TESSERA_TRY_ASSIGN(auto secret, string_member(client, "secret", "client.secret", "client"));
    if (secret) parsed.secret = Secret(std::move(*secret));
    return parsed;
}

// §4.1, keys in alphabetical order, for tokens just issued: raw values.
boost::json::object issued_object(const core::IssuedToken& issued, std::string_view grant_type,
                                  Timestamp now) {
    const core::AccessToken& stored = *issued.stored;
    const core::Session& session = *issued.session;
    boost::json::object access{{"expires_in", issued.expires_in},
                               {"id", stored.id.uuid()},
                               {"token", issued.access_token.reveal()}};
    boost::json::value refresh = nullptr;
    if (issued.refresh_token && issued.stored_refresh) {
        // A refresh token lives as long as its session; null: forever.
        refresh = boost::json::object{{"expires_in", expires_in(session.expires_at, now)},
                                      {"id", issued.stored_refresh->id.uuid()},
                                      {"token", issued.refresh_token->reveal()}};
    }
    boost::json::object o;
    o["access_token"] = std::move(access);
    o["authorization"] = boost::json::object{{"id", session.authorization_id.uuid()}};
    o["client"] = nullptr;  // [T] never echo a secret
    o["created_at"] = format_rfc3339(stored.created_at);
    o["grant"] = boost::json::object{{"type", grant_type}};
    o["id"] = stored.id.uuid();
    o["refresh_token"] = std::move(refresh);
    o["session"] = boost::json::object{{"id", session.id.uuid()}};
    o["updated_at"] = format_rfc3339(stored.created_at);
    o["user"] = boost::json::object{{"id", session.user_id.uuid()}};
    return o;
}

// §4.1, keys in alphabetical order, for a stored token: the value redacted
// (D2); no refresh token, grant or client secret.
boost::json::object stored_object(const core::AccessToken& t, Timestamp now) {
    boost::json::object access;
    access["expires_in"] = expires_in(t.expires_at, now);
    access["id"] = t.id.uuid();
    access["token"] = t.redacted;
    boost::json::value authorization = nullptr;
    if (t.authorization_id) authorization = boost::json::object{{"id", t.authorization_id->uuid()}};
    boost::json::value session = nullptr;
    if (t.session_id) session = boost::json::object{{"id", t.session_id->uuid()}};
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
    o["session"] = std::move(session);
    o["updated_at"] = format_rfc3339(t.created_at);
    o["user"] = std::move(user);
    return o;
}

}  // namespace

void TokensApi::add_routes(http::Router& router) {
    router.add("POST", "/oauth/tokens", http::member_handler(this, &TokensApi::create));
    router.add("DELETE", "/oauth/tokens/{oauth_token_id}",
               http::member_handler(this, &TokensApi::remove));
}

http::Response TokensApi::create(const http::Request& request) {
    // §4.2 [T]: the client proves itself with client.secret; an Authorization
    // header (heroku-client sends `Basic :undefined`) is ignored. Every call
    // spends the address's budget, which slows guessing.
    if (auto refused = conventions_.check_accept(request))
        return conventions_.finish(request, std::move(*refused), -1);
    auto limited = conventions_.limit_anonymous(request);
    if (auto* refused = std::get_if<http::Response>(&limited))
        return conventions_.finish(request, std::move(*refused), -1);
    auto response = exchange(request);
    response.headers.set("Cache-Control", "no-store");
    return conventions_.finish(request, std::move(response), std::get<int>(limited));
}

http::Response TokensApi::exchange(const http::Request& request) {
    auto body = parse_object(request);
    if (!body) return render_error(request, body.error());
    auto parsed = parse_token_body(*body);
    if (!parsed) return render_error(request, parsed.error());
    auto fail = [&](const Error& error) {
        return render_error(request,
                            is_credential_failure(error.code) ? invalid_token_request() : error);
    };
    // The code or refresh token names the client (as in §6.2).
    auto client_id = tokens_.client_of(parsed->request);
    if (!client_id) return fail(client_id.error());
    auto client = clients_.authenticate({client_id->uuid(), std::move(parsed->secret)});
    if (!client) return fail(client.error());
    auto issued = tokens_.exchange(*client, parsed->request);
    if (!issued) return fail(issued.error());
    if (!issued->stored || !issued->session)
        return render_error(request, make_error(Code::internal, "",
                                                "a user grant issued no stored token or session"));
    return json_response(201, boost::json::serialize(issued_object(
                                  *issued, parsed->request.grant_type, clock_.now())));
}

http::Response TokensApi::remove(const http::Request& request) {
    return authenticated(conventions_, request, [&](const core::Caller& caller) {
        auto id = Id::parse(request.param("oauth_token_id"));
        if (!id)
            return render_error(
                request, make_error(Code::not_found, "Couldn't find that token.", {}, "token"));
        auto revoked = revoker_.revoke_owned(caller.user_id, *id);
        if (!revoked) return render_error(request, revoked.error());
        return json_response(200, boost::json::serialize(stored_object(*revoked, clock_.now())));
    });
}

}  // namespace tessera::api::heroku
