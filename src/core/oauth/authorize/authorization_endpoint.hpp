#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/clock.hpp"
#include "base/random.hpp"
#include "base/result.hpp"
#include "base/secret.hpp"
#include "core/model/client.hpp"
#include "core/oauth/authorize/front_channel_tokens.hpp"
#include "core/oauth/authorize/response_type.hpp"
#include "core/scopes/scope_catalog.hpp"
#include "core/store/account_store.hpp"
#include "core/store/client_store.hpp"
#include "core/store/grant_store.hpp"
#include "crypto/digest.hpp"

namespace tessera::core {

// The parameters of an authorization request (RFC 6749 §4.1.1, RFC 7636 §4.3,
// OpenID Connect Core §3.1.2.1), as sent; absent ones are nullopt.
struct AuthorizeParams {
    std::optional<std::string> client_id;
    std::optional<std::string> redirect_uri;
    std::optional<std::string> response_type;
    std::optional<std::string> scope;
    std::optional<std::string> state;
    std::optional<std::string> code_challenge;
    std::optional<std::string> code_challenge_method;
    std::optional<std::string> nonce;
    std::optional<std::string> prompt;
    std::optional<std::string> max_age;
    std::optional<std::string> response_mode;

    // The names above, in this order, for carrying a request through a form.
    static const std::vector<std::string>& names();
    // The value of the parameter `name` (one of names()), or nullptr.
    std::optional<std::string>* field(std::string_view name);
};

// A request that passed every check: what the user is asked to approve.
struct AuthorizeRequest {
    Client client;
    std::string redirect_uri;  // where the answer goes
    bool redirect_uri_sent = false;
    std::vector<std::string> scope;
    std::optional<std::string> state;
    std::string code_challenge;  // empty: none
    std::string nonce;
    std::vector<std::string> prompt;
    std::optional<std::int64_t> max_age;  // seconds (OpenID Connect Core §3.1.2.1)
    ResponseType response_type{.code = true};
    ResponseMode response_mode = ResponseMode::query;
    bool prompts(std::string_view value) const;
};

// The result of checking a request. Without `redirect_uri` the error must be
// shown to the user and never sent anywhere (RFC 6749 §4.1.2.1: an unknown
// client or an unregistered redirect URI).
struct AuthorizeCheck {
    std::optional<AuthorizeRequest> request;
    std::optional<Error> error;
    std::optional<std::string> redirect_uri;
    std::optional<std::string> state;
    // How an error travels to `redirect_uri`: the request's response_mode
    // when it is valid for its response type, else that type's default.
    ResponseMode response_mode = ResponseMode::query;
};

struct AuthorizePolicy {
    std::int64_t code_ttl = 60;  // seconds
};

// The rules of the authorization endpoint (RFC 6749 §4.1, RFC 9700 §2.1,
// RFC 7636, RFC 8252 §7.3, RFC 9207). The pages that ask the user live in
// api/; this decides what they may do. Thread-safe.
class AuthorizationEndpoint {
public:
    AuthorizationEndpoint(std::string issuer, ClientStore& clients, GrantStore& grants,
                          const ScopeCatalog& scopes, const Clock& clock, Random& random,
                          const crypto::Digester& digester, AuthorizePolicy policy = {},
                          AccountStore* accounts = nullptr,
                          const FrontChannelTokens* front_channel = nullptr)
        : issuer_(std::move(issuer)),
          clients_(clients),
          grants_(grants),
          scopes_(scopes),
          clock_(clock),
          random_(random),
          digester_(digester),
          policy_(policy),
          accounts_(accounts),
          front_channel_(front_channel) {}

    // Every check of the request, in order: client, redirect URI (exact, or
    // a loopback URI differing only in its port), then — reported to the
    // redirect URI, in the response mode — response type (`code` for a
    // client with the authorization_code grant; any other combination only
    // as client_allows_response_type() says, and only with FrontChannelTokens:
    // else `unsupported_response_type`; a known type the client did not
    // register: `unauthorized_client`), response_mode (query, fragment or
    // form_post; never query for a type that returns tokens), PKCE (when a
    // code is returned), scope (`openid` when an ID token is returned), nonce
    // (required then, OpenID Connect Core §3.2.2.1, §3.3.2.11), prompt and
    // max_age. Fails only when the store does.
    Result<AuthorizeCheck> check(const AuthorizeParams& params) const;

    // Whether the browser must sign in (again) before this request goes on
    // (OpenID Connect Core §3.1.2.1): nobody is signed in; prompt=login and
    // the sign-in did not happen just now; or the sign-in is older than
    // max_age seconds (max_age=0: always). `auth_time`: when the browser's user signed in, if any.
    bool needs_sign_in(const AuthorizeRequest& request, std::optional<Timestamp> auth_time,
                       bool signed_in_just_now) const;

    // Cloudflare spec §4.7, §8: whether the user may authorize the client at
    // all. A private client may be authorized only by members of its
    // account (without an AccountStore, by nobody): `access_denied`.
    Result<void> check_user(const Id& user_id, const Client& client) const;

    // Whether the user already decided on every requested scope for this
    // client: granted it, or declined it when it is one of the client's
    // optional scopes (Cloudflare spec §8); then the consent page can be
    // skipped (not when prompt=consent).
    Result<bool> has_consent(const Id& user_id, const AuthorizeRequest& request) const;

    // The user approved: records the grant (widening an earlier one of this
    // client), issues what the response type asks for and returns the
    // response for the redirect URI, in the request's response mode:
    // `code`; `access_token`, `token_type` (Bearer), `expires_in` and
    // `scope` (an access token without a refresh token, RFC 6749 §4.2.2);
    // `id_token` (with nonce, auth_time, at_hash and c_hash as they apply);
    // then `state` and `iss`. The ID token is signed before the code or the
    // access token is stored, so a signing failure stores neither. `declined`: the optional scopes
    // the user just unchecked on the consent page (others are ignored), left out of the code and
    // recorded on the grant; nullopt (no consent page was shown): the decisions recorded earlier
    // stand. check_user() applies first.
    Result<AuthorizationResponse> approve(
        const Id& user_id, Timestamp auth_time, const AuthorizeRequest& request,
        std::optional<std::vector<std::string>> declined = std::nullopt);

    // The response that reports `error` to the client (RFC 6749 §4.1.2.1,
    // §4.2.2.1) in `mode`: `error`, `error_description`, `state` and `iss`.
    AuthorizationResponse error_response(const std::string& redirect_uri, ResponseMode mode,
                                         const Error& error,
                                         const std::optional<std::string>& state) const;

    // The standing grant and a code for the client `client_id` in the user's
    // name, without a browser (Heroku spec §3.2 with `client`): returns the
    // raw code, which the client exchanges without a redirect URI or PKCE.
    // Any existing client may be authorized (a user authorizes third-party
    // clients). Checks, in order:
    //  - the client exists: `not_found` (subject "client");
    //  - it is registered for the authorization_code grant: `invalid_params`
    //    (subject "client");
    //  - the scope (empty: the client's registered scopes, or ["global"] when
    //    it registered none, Heroku spec §3.2) names catalog scopes:
    //    `invalid_params` (subject "scope");
    //  - `caller_scope`, the scope of the credential making the request,
    //    covers it: `forbidden` (a `read` token cannot grant `global`);
    //  - the client may ask for it (RFC 6749 §3.3): `invalid_scope`.
    // Like approve(), widens an earlier grant of this user to this client.
    struct DirectGrant {
        Secret code;
        AuthorizationCode stored;
        Authorization authorization;
        Client client;
    };
    Result<DirectGrant> grant_directly(const Id& user_id,
                                       const std::vector<std::string>& caller_scope,
                                       const Id& client_id, std::vector<std::string> scope);

    const std::string& issuer() const { return issuer_; }

private:
    // Widens (or creates) the user's standing grant to the client with
    // `scope`, and records `declined` (when given) in place of what the user
    // declined before, minus what was just granted.
    Result<Authorization> record_consent(const Id& user_id, const Client& client,
                                         const std::vector<std::string>& scope,
                                         const std::optional<std::vector<std::string>>& declined,
                                         Timestamp now);
    // A new code, not yet stored.
    std::pair<Secret, AuthorizationCode> new_code(
        const Authorization& authorization, const Client& client, const std::string& redirect_uri,
        const std::string& code_challenge, const std::vector<std::string>& scope,
        const std::string& nonce, Timestamp auth_time, Timestamp now);

    std::string issuer_;
    ClientStore& clients_;
    GrantStore& grants_;
    const ScopeCatalog& scopes_;
    const Clock& clock_;
    Random& random_;
    const crypto::Digester& digester_;
    const AuthorizePolicy policy_;
    AccountStore* accounts_;
    const FrontChannelTokens* front_channel_;  // nullptr: code only
};

// RFC 6749 §3.1.2 with RFC 9700 §4.1.3: `presented` matches `registered`
// exactly, character for character; only for an http loopback IP literal
// (127.0.0.1 or [::1], RFC 8252 §7.3) may the port differ.
bool redirect_uri_matches(std::string_view registered, std::string_view presented);

// `uri` with `params` appended to its query (keeping the query it has),
// each form-encoded.
std::string append_query(std::string_view uri,
                         const std::vector<std::pair<std::string, std::string>>& params);

// RFC 7636 §4.1-4.2: a verifier or an S256 challenge is 43-128 characters of
// [A-Z a-z 0-9 - . _ ~].
bool is_pkce_string(std::string_view value);

// RFC 7636 §4.6: BASE64URL(SHA256(verifier)) equals the challenge, compared in
// constant time.
bool pkce_matches(std::string_view verifier, std::string_view challenge);

}  // namespace tessera::core
