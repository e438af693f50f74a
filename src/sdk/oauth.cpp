// The Heroku surface's calls (spec heroku-oauth.md §2–§5).
#include "tessera/oauth.hpp"

#include "sdk/base_url.hpp"
#include "sdk/requests.hpp"

namespace tessera::sdk {
namespace {

using detail::Call;
using detail::call_one;
using detail::Surface;

constexpr const char* kClients = "/oauth/clients";
constexpr const char* kAuthorizations = "/oauth/authorizations";
constexpr const char* kSessions = "/oauth/sessions";

std::string item(const char* collection, const std::string& id) {
    return std::string(collection) + "/" + detail::percent_encode(id);
}

Call heroku(std::string method, std::string path, std::string body = "") {
    bool idempotent = method == "GET" || method == "DELETE";
    return Call{Surface::heroku, std::move(method), std::move(path), std::move(body), {},
                idempotent};
}

}  // namespace

Result<OAuthClient> OAuthClients::create(const OAuthClientCreate& body) const {
    return call_one<OAuthClient>(*channel_, heroku("POST", kClients, detail::body_of(body)),
                                 "client");
}

Result<std::vector<OAuthClient>> OAuthClients::list(const Range& range) const {
    return detail::heroku_list<OAuthClient>(*channel_, kClients, range, "client");
}

Result<Page<OAuthClient>> OAuthClients::list_page(std::string_view range) const {
    return detail::heroku_page<OAuthClient>(*channel_, kClients, range, "client");
}

Result<OAuthClient> OAuthClientRef::info() const {
    return call_one<OAuthClient>(*channel_, heroku("GET", item(kClients, id_)), "client");
}

Result<OAuthClient> OAuthClientRef::update(const OAuthClientUpdate& changes) const {
    return call_one<OAuthClient>(
        *channel_, heroku("PATCH", item(kClients, id_), detail::body_of(changes)), "client");
}

Result<OAuthClient> OAuthClientRef::remove() const {
    return call_one<OAuthClient>(*channel_, heroku("DELETE", item(kClients, id_)), "client");
}

Result<OAuthClient> OAuthClientRef::rotate_credentials() const {
    return call_one<OAuthClient>(
        *channel_, heroku("POST", item(kClients, id_) + "/actions/rotate-credentials"), "client");
}

Result<OAuthAuthorization> OAuthAuthorizations::create(const OAuthAuthorizationCreate& body) const {
    return call_one<OAuthAuthorization>(
        *channel_, heroku("POST", kAuthorizations, detail::body_of(body)), "authorization");
}

Result<std::vector<OAuthAuthorization>> OAuthAuthorizations::list(const Range& range) const {
    return detail::heroku_list<OAuthAuthorization>(*channel_, kAuthorizations, range,
                                                   "authorization");
}

Result<Page<OAuthAuthorization>> OAuthAuthorizations::list_page(std::string_view range) const {
    return detail::heroku_page<OAuthAuthorization>(*channel_, kAuthorizations, range,
                                                   "authorization");
}

Result<OAuthAuthorization> OAuthAuthorizationRef::info() const {
    return call_one<OAuthAuthorization>(*channel_, heroku("GET", item(kAuthorizations, id_)),
                                        "authorization");
}

Result<OAuthAuthorization> OAuthAuthorizationRef::update(
    const OAuthAuthorizationUpdate& changes) const {
    return call_one<OAuthAuthorization>(
        *channel_, heroku("PATCH", item(kAuthorizations, id_), detail::body_of(changes)),
        "authorization");
}

Result<OAuthAuthorization> OAuthAuthorizationRef::remove() const {
    return call_one<OAuthAuthorization>(*channel_, heroku("DELETE", item(kAuthorizations, id_)),
                                        "authorization");
}

Result<OAuthAuthorization> OAuthAuthorizationRef::regenerate_tokens() const {
    return call_one<OAuthAuthorization>(
        *channel_, heroku("POST", item(kAuthorizations, id_) + "/actions/regenerate-tokens"),
        "authorization");
}

Result<OAuthToken> OAuthTokens::create(const OAuthTokenCreate& body) const {
    // §4.2: the client proves itself with client.secret; no credentials.
    Call call = heroku("POST", "/oauth/tokens", detail::body_of(body));
    call.with_credentials = false;
    return call_one<OAuthToken>(*channel_, call, "token");
}

Result<OAuthToken> OAuthTokenRef::remove() const {
    return call_one<OAuthToken>(*channel_, heroku("DELETE", item("/oauth/tokens", id_)), "token");
}

Result<std::vector<OAuthSession>> OAuthSessions::list(const Range& range) const {
    return detail::heroku_list<OAuthSession>(*channel_, kSessions, range, "session");
}

Result<Page<OAuthSession>> OAuthSessions::list_page(std::string_view range) const {
    return detail::heroku_page<OAuthSession>(*channel_, kSessions, range, "session");
}

Result<OAuthSession> OAuthSessionRef::info() const {
    return call_one<OAuthSession>(*channel_, heroku("GET", item(kSessions, id_)), "session");
}

Result<OAuthSession> OAuthSessionRef::remove() const {
    return call_one<OAuthSession>(*channel_, heroku("DELETE", item(kSessions, id_)), "session");
}

}  // namespace tessera::sdk
