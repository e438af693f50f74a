// tessera login --browser: the code flow of a native app (RFC 8252) with
// PKCE (RFC 7636) on a loopback redirect, over the SDK.
#include "cli/browser_login.hpp"

#include <iostream>

#include "cli/browser_opener.hpp"
#include "cli/exit_codes.hpp"
#include "cli/login_token.hpp"
#include "cli/output.hpp"
#include "tessera/endpoints.hpp"
#include "tessera/native_app.hpp"

namespace tessera::cli {
namespace {

// The login token is created with the browser's token, so it must be
// allowed to create a global authorization (Heroku spec §1.2, §3.2).
constexpr const char* kScope = "global";
constexpr const char* kRedirectPath = "/callback";

// The sign-in's access and refresh tokens served only to make the login
// token; revoking the refresh token ends their session (RFC 7009).
void revoke_sign_in(const sdk::Api& api, const sdk::TokenResponse& tokens,
                    const sdk::ClientAuth& client) {
    auto revoked = api.endpoints().revoke(tokens.access_token, client, "access_token");
    if (tokens.refresh_token) {
        auto ended = api.endpoints().revoke(*tokens.refresh_token, client, "refresh_token");
        if (revoked && !ended) revoked = ended;
    }
    if (!revoked)
        std::cerr << "Warning: the browser sign-in's own tokens were not revoked: "
                  << revoked.error().message << '\n';
}

}  // namespace

int browser_login(const CommonFlags& flags, const BrowserLoginFlags& browser) {
    if (browser.client_id.empty())
        return usage_error(
            "--browser needs the id of a public OAuth client: --client-id ID or "
            "TESSERA_LOGIN_CLIENT_ID. An administrator makes one with `tessera admin clients "
            "create --name \"Tessera CLI\" --auth-method none --redirect-uri "
            "http://127.0.0.1/callback --scope global --email ADMIN --database URL`.");
    std::string url = resolve_api_url(flags);
    sdk::Api api(url, {}, api_options(flags));
    auto metadata = api.endpoints().discovery();
    if (!metadata) return report(metadata.error());
    auto redirect = sdk::LoopbackRedirect::listen(kRedirectPath);
    if (!redirect) return report(redirect.error());
    auto pkce = sdk::Pkce::generate();
    auto state = sdk::random_state();
    auto sign_in = sdk::authorization_url(metadata->authorization_endpoint,
                                          {.client_id = browser.client_id,
                                           .redirect_uri = redirect->redirect_uri(),
                                           .scope = kScope,
                                           .state = state,
                                           .code_challenge = pkce.challenge});
    std::cerr << "Sign in to " << url << " in your browser. If it does not open, visit:\n  "
              << sign_in << '\n';
    if (auto why = open_in_browser(sign_in); !why.empty())
        std::cerr << "(No browser was started: " << why << ".)\n";
    std::cerr << "Waiting up to " << browser.timeout_seconds << " seconds for the sign-in...\n";
    auto answer =
        redirect->wait(state, std::chrono::seconds(browser.timeout_seconds), metadata->issuer);
    reap_browsers();
    if (!answer) return report(answer.error());

    sdk::ClientAuth client{browser.client_id, {}, sdk::ClientAuth::Method::none};
    auto tokens = api.endpoints().token({.grant_type = "authorization_code",
                                         .client = client,
                                         .code = answer->code,
                                         .redirect_uri = redirect->redirect_uri(),
                                         .code_verifier = pkce.verifier});
    if (!tokens) return report(tokens.error());
    int exit_code = keep_login(
        sdk::Api(url, sdk::Credentials::token(tokens->access_token), api_options(flags)), url, "");
    revoke_sign_in(api, *tokens, client);
    return exit_code;
}

}  // namespace tessera::cli
