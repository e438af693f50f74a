#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "tessera/result.hpp"
#include "tessera/secret.hpp"

// The parts of a native app's browser sign-in (RFC 8252) that are not a
// server call: a PKCE pair (RFC 7636), a random `state`, the authorization
// URL, and a one-shot loopback listener that catches the redirect. The code
// it returns is exchanged with Endpoints::token() (grant_type
// "authorization_code", ClientAuth::Method::none for a public client, the
// same redirect_uri and the verifier).
//
//   auto metadata = api.endpoints().discovery();
//   auto redirect = sdk::LoopbackRedirect::listen();
//   auto pkce = sdk::Pkce::generate();
//   auto state = sdk::random_state();
//   std::string url = sdk::authorization_url(metadata->authorization_endpoint,
//       {.client_id = id, .redirect_uri = redirect->redirect_uri(), .scope = "openid",
//        .state = state, .code_challenge = pkce.challenge});
//   // ... open `url` in the user's browser ...
//   auto answer = redirect->wait(state, std::chrono::minutes(5), metadata->issuer);
namespace tessera::sdk {

// RFC 7636 §4.1-4.2: a code verifier and its S256 challenge.
struct Pkce {
    Secret verifier;        // 43 characters: 32 random bytes, base64url
    std::string challenge;  // BASE64URL(SHA-256(verifier)), sent as code_challenge
    // A fresh pair from the system's CSPRNG (OpenSSL RAND_bytes). Throws
    // std::runtime_error only if the CSPRNG fails.
    static Pkce generate();
};

// A fresh unguessable value for `state` or `nonce`: 32 random bytes,
// base64url (43 characters). Throws as Pkce::generate().
std::string random_state();

// RFC 6749 §4.1.1 with RFC 7636 §4.3: an authorization request for the
// code flow with PKCE S256.
struct AuthorizationRequest {
    std::string client_id;
    std::string redirect_uri;
    std::string scope;  // space-delimited; "" sends none (the client's default)
    std::string state;
    std::string code_challenge;         // Pkce::challenge
    std::optional<std::string> nonce;   // OpenID Connect, with scope openid
    std::optional<std::string> prompt;  // "login", "consent", "none"
};

// The URL to send the browser to: `authorization_endpoint` (from discovery)
// with the request's parameters form-encoded in its query (response_type
// code, code_challenge_method S256), keeping any query it already has.
std::string authorization_url(std::string_view authorization_endpoint,
                              const AuthorizationRequest& request);

// RFC 6749 §4.1.2: what the redirect brought back.
struct AuthorizationResponse {
    Secret code;
    std::optional<std::string> iss;  // RFC 9207, when the server sent it
};

// A listener on 127.0.0.1 and a port the system picks (RFC 8252 §7.3, §8.3:
// the IP literal, not "localhost"), for the one redirect of one sign-in.
// Its redirect_uri() is http://127.0.0.1:PORT/PATH; the client must have
// registered http://127.0.0.1/PATH, whose port the server lets vary.
// Move-only; not thread-safe (one thread calls wait()). The socket closes
// when wait() returns or the object is destroyed.
class LoopbackRedirect {
public:
    // Binds and listens. `path` starts with '/'. A `network` error when no
    // port could be bound, `usage` for a path that is not one.
    static Result<LoopbackRedirect> listen(std::string path = "/callback");

    LoopbackRedirect(LoopbackRedirect&&) noexcept;
    LoopbackRedirect& operator=(LoopbackRedirect&&) noexcept;
    ~LoopbackRedirect();

    const std::string& redirect_uri() const;
    int port() const;

    // Waits up to `timeout` for the browser's GET of the path, answers it
    // with a short page telling the user to return to the application, and
    // stops listening: one redirect is served, then the socket is closed.
    // Requests for other paths (a favicon) get 404 and do not count.
    // Returns the code when `state` matches and, when `issuer` is given
    // and the answer carries `iss` (RFC 9207 §2.4), that matches too.
    // Errors: `timeout` when no redirect came; `api` with `id` the
    // server's error ("access_denied", ...) and `message` its
    // error_description when the server refused; `protocol` for a missing
    // or different state, a different issuer or no code (the code is then
    // not returned); `usage` when called a second time.
    Result<AuthorizationResponse> wait(const std::string& state, std::chrono::milliseconds timeout,
                                       const std::optional<std::string>& issuer = std::nullopt);

private:
    struct State;
    explicit LoopbackRedirect(std::unique_ptr<State> state);
    std::unique_ptr<State> state_;
};

}  // namespace tessera::sdk
