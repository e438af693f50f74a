// The authorization code flow in core: the authorization request's checks,
// consent, the code exchange with PKCE and replay detection, refresh-token
// rotation with its grace window and reuse detection, browser sign-in and
// CSRF tokens; on a real SqliteStore(":memory:") with a fake clock.
#include <gtest/gtest.h>

#include "base/encoding.hpp"
#include "base/fake_clock.hpp"
#include "core/accounts/user_service.hpp"
#include "core/clients/client_service.hpp"
#include "core/oauth/authorize/authorization_endpoint.hpp"
#include "core/oauth/authorize/browser_sign_in.hpp"
#include "core/oauth/introspection.hpp"
#include "core/oauth/revocation.hpp"
#include "core/oauth/token/token_service.hpp"
#include "crypto/digest.hpp"
#include "storage/sqlite/memory_store.hpp"

namespace tessera::core {
namespace {

const std::string kVerifier = "dBjftJeZ4CVP-mJ92K1s.lMaQ~u1uR3u4fSxrr2yKm0t_gE";

std::string challenge_of(const std::string& verifier) {
    return base64url_encode(crypto::sha256(verifier));
}

// The value of query parameter `name` in `uri` (not decoded; tests use
// values that need no decoding).
std::string query_param(const std::string& uri, const std::string& name) {
    auto q = uri.find('?');
    if (q == std::string::npos) return "";
    std::string query = uri.substr(q + 1);
    std::size_t at = 0;
    while (at <= query.size()) {
        auto amp = query.find('&', at);
        std::string item = query.substr(at, amp == std::string::npos ? amp : amp - at);
        if (item.starts_with(name + "=")) return item.substr(name.size() + 1);
        if (amp == std::string::npos) break;
        at = amp + 1;
    }
    return "";
}

class CodeFlow : public ::testing::Test {
protected:
    CodeFlow() {
        auto user = users_.create({"ada@example.com", "correct horse battery", "Ada"});
        EXPECT_TRUE(user.has_value());
        ada_ = *user;
        auto other = users_.create({"bob@example.com", "another good password", "Bob"});
        bob_ = *other;
        web_ = add_client({"authorization_code", "refresh_token"}, {}, "client_secret_basic",
                          {"https://app.example.com/cb"}, "stable");
        spa_ = add_client({"authorization_code", "refresh_token"}, {"identity", "read"}, "none",
                          {"https://spa.example.com/cb", "http://127.0.0.1/cb"}, "");
    }

    ClientWithSecret add_client(std::vector<std::string> grants, std::vector<std::string> scopes,
                                std::string method, std::vector<std::string> uris,
                                std::string policy) {
        auto created = clients_.register_client(
            {ada_.id, ada_.account_id, "App", uris, grants, scopes, method, policy}, catalog_);
        EXPECT_TRUE(created.has_value()) << created.error().description;
        return std::move(*created);
    }

    AuthorizeParams params_for(const ClientWithSecret& c) {
        AuthorizeParams p;
        p.client_id = c.client.id.uuid();
        p.response_type = "code";
        p.state = "xyz";
        if (c.client.redirect_uris.size() > 1) p.redirect_uri = c.client.redirect_uris.front();
        if (c.client.token_endpoint_auth_method == "none") {
            p.code_challenge = challenge_of(kVerifier);
            p.code_challenge_method = "S256";
        }
        return p;
    }

    AuthorizeCheck check(const AuthorizeParams& p) {
        auto checked = endpoint_.check(p);
        EXPECT_TRUE(checked.has_value());
        return std::move(*checked);
    }

    // Runs the request through approval; returns the raw code.
    std::string approve(const AuthorizeParams& p, const User& user) {
        auto checked = check(p);
        EXPECT_TRUE(checked.request.has_value())
            << (checked.error ? checked.error->description : "");
        auto uri = endpoint_.approve(user.id, clock_.now(), *checked.request);
        EXPECT_TRUE(uri.has_value());
        return query_param(uri->location(), "code");
    }

    Result<IssuedToken> exchange_code(const ClientWithSecret& c, const std::string& code,
                                      std::optional<std::string> verifier = std::nullopt,
                                      std::optional<std::string> redirect_uri = std::nullopt) {
        TokenRequest r{"authorization_code"};
        r.code = code;
        r.code_verifier = std::move(verifier);
        r.redirect_uri = std::move(redirect_uri);
        return tokens_.exchange(c.client, r);
    }

    Result<IssuedToken> refresh(const ClientWithSecret& c, const std::string& token) {
        TokenRequest r{"refresh_token"};
        r.refresh_token = token;
        return tokens_.exchange(c.client, r);
    }

    // Asked by the client, or, for a public one (which may not introspect),
    // by the confidential web_ client of the same account.
    bool active(const ClientWithSecret& c, const std::string& token) {
        auto r = introspector_.introspect(c.client.is_public() ? web_.client : c.client, token);
        EXPECT_TRUE(r.has_value());
        return r.has_value() && r->active;
    }

    // A public client's session: returns (access, refresh).
    std::pair<std::string, std::string> spa_session() {
        auto issued = exchange_code(spa_, approve(params_for(spa_), ada_), kVerifier,
                                    "https://spa.example.com/cb");
        EXPECT_TRUE(issued.has_value()) << issued.error().description;
        return {issued->access_token.reveal(), issued->refresh_token->reveal()};
    }

    FakeClock clock_;
    SeededRandom random_{21};
    crypto::Digester digester_{Secret(std::string(32, 'k'))};
    ScopeCatalog catalog_ = ScopeCatalog::heroku_default();
    storage::sqlite::MemoryStore memory_;
    storage::sqlite::SqliteStore& store_ = memory_.store();
    UserService users_{store_, clock_, random_};
    ClientService clients_{store_, clock_, random_, digester_};
    AuthorizationEndpoint endpoint_{
        "https://id.example.com", store_, store_, catalog_, clock_, random_, digester_};
    TokenService tokens_{store_, store_, catalog_, clock_, random_, digester_};
    Introspector introspector_{store_, store_, store_, store_, clock_, digester_};
    Revoker revoker_{store_, store_, store_, digester_};
    RateLimiter per_account_{clock_, 3, 3};
    RateLimiter per_address_{clock_, 5, 5};
    PasswordAuthenticator passwords_{store_, per_account_, per_address_};
    BrowserSignIn sign_in_{passwords_, store_, store_, clock_, random_, digester_};
    User ada_, bob_;
    ClientWithSecret web_, spa_;
};

// -- The authorization request.

TEST_F(CodeFlow, UnknownClientsAndUnregisteredRedirectUrisAreNeverRedirectedTo) {
    auto p = params_for(web_);
    p.client_id = Id::generate(random_).uuid();
    auto unknown = check(p);
    EXPECT_FALSE(unknown.request);
    EXPECT_FALSE(unknown.redirect_uri);
    EXPECT_EQ(unknown.error->code, Code::invalid_request);

    p.client_id.reset();
    EXPECT_FALSE(check(p).redirect_uri);

    for (std::string evil :
         {"https://evil.example.com/cb", "https://app.example.com/cb/",
          "https://app.example.com/cb?x=1", "https://app.example.com/cb#x",
          "https://APP.example.com/cb", "http://app.example.com/cb",
          "https://app.example.com:444/cb", "https://app.example.com/CB",
          "https://app.example.com/cb/../cb", "https://user@app.example.com/cb"}) {
        auto q = params_for(web_);
        q.redirect_uri = evil;
        auto r = check(q);
        EXPECT_FALSE(r.request) << evil;
        EXPECT_FALSE(r.redirect_uri) << evil;
    }
}

TEST_F(CodeFlow, OnlyTheLoopbackPortMayVary) {
    auto p = params_for(spa_);
    p.redirect_uri = "http://127.0.0.1:53817/cb";
    EXPECT_TRUE(check(p).request);
    p.redirect_uri = "http://127.0.0.1:53817/other";
    EXPECT_FALSE(check(p).redirect_uri);
    p.redirect_uri = "http://localhost:53817/cb";
    EXPECT_FALSE(check(p).redirect_uri);
    EXPECT_TRUE(redirect_uri_matches("http://[::1]/cb", "http://[::1]:8080/cb"));
    EXPECT_FALSE(redirect_uri_matches("https://127.0.0.1/cb", "https://127.0.0.1:8080/cb"));
}

TEST_F(CodeFlow, ASingleRegisteredRedirectUriIsTheDefault) {
    auto r = check(params_for(web_));
    ASSERT_TRUE(r.request);
    EXPECT_EQ(r.request->redirect_uri, "https://app.example.com/cb");
    EXPECT_FALSE(r.request->redirect_uri_sent);
    auto none_sent = params_for(spa_);
    none_sent.redirect_uri.reset();
    auto several = check(none_sent);  // two registered, none sent
    EXPECT_FALSE(several.request);
    EXPECT_FALSE(several.redirect_uri);
}

TEST_F(CodeFlow, LaterErrorsAreRedirectedWithState) {
    struct Case {
        std::function<void(AuthorizeParams&)> change;
        Code code;
    };
    std::vector<Case> cases = {
        {[](auto& p) { p.response_type.reset(); }, Code::invalid_request},
        {[](auto& p) { p.response_type = "token"; }, Code::unsupported_response_type},
        {[](auto& p) { p.code_challenge_method = "plain"; }, Code::invalid_request},
        {[](auto& p) { p.code_challenge.reset(); }, Code::invalid_request},  // public: required
        {[](auto& p) { p.code_challenge = "short"; }, Code::invalid_request},
        {[](auto& p) { p.scope = "global"; }, Code::invalid_scope},  // not registered
        {[](auto& p) { p.scope = "read  identity"; }, Code::invalid_scope},
        {[](auto& p) { p.prompt = "none login"; }, Code::invalid_request},
    };
    for (std::size_t i = 0; i < cases.size(); ++i) {
        auto p = params_for(spa_);
        p.redirect_uri = "https://spa.example.com/cb";
        cases[i].change(p);
        auto r = check(p);
        EXPECT_FALSE(r.request) << i;
        ASSERT_TRUE(r.error) << i;
        EXPECT_EQ(r.error->code, cases[i].code) << i;
        EXPECT_EQ(r.redirect_uri, "https://spa.example.com/cb") << i;
        EXPECT_EQ(r.state, "xyz") << i;
    }
    auto machine = add_client({"client_credentials"}, {"read"}, "client_secret_basic",
                              {"https://m.example.com/cb"}, "");
    auto r = check(params_for(machine));
    EXPECT_EQ(r.error->code, Code::unauthorized_client);
}

TEST_F(CodeFlow, ScopeDefaultsToTheRegistrationOrIdentity) {
    EXPECT_EQ(check(params_for(web_)).request->scope, std::vector<std::string>{"identity"});
    auto p = params_for(spa_);
    p.redirect_uri = "https://spa.example.com/cb";
    EXPECT_EQ(check(p).request->scope, (std::vector<std::string>{"identity", "read"}));
    p.scope = "read read";
    EXPECT_EQ(check(p).request->scope, std::vector<std::string>{"read"});
}

TEST_F(CodeFlow, ErrorRedirectsCarryErrorStateAndIssuer) {
    auto uri = endpoint_
                   .error_response("https://app.example.com/cb?keep=1", ResponseMode::query,
                                   make_error(Code::access_denied, "the user said no"),
                                   std::string("a b&c"))
                   .location();
    EXPECT_EQ(uri,
              "https://app.example.com/cb?keep=1&error=access_denied&error_description=the+user+"
              "said+no&state=a+b%26c&iss=https%3A%2F%2Fid.example.com");
}

TEST_F(CodeFlow, SignInIsNeededWhenAbsentAskedForOrTooOld) {
    auto p = params_for(web_);
    auto plain = *check(p).request;
    Timestamp now = clock_.now();
    EXPECT_TRUE(endpoint_.needs_sign_in(plain, std::nullopt, false));
    EXPECT_FALSE(endpoint_.needs_sign_in(plain, now - 86400, false));
    p.prompt = "login";
    auto login = *check(p).request;
    EXPECT_TRUE(endpoint_.needs_sign_in(login, now, false));
    EXPECT_FALSE(endpoint_.needs_sign_in(login, now, true));  // it just happened
    p.prompt.reset();
    p.max_age = "300";
    auto fresh = *check(p).request;
    EXPECT_EQ(fresh.max_age, 300);
    EXPECT_FALSE(endpoint_.needs_sign_in(fresh, now - 300, false));
    EXPECT_TRUE(endpoint_.needs_sign_in(fresh, now - 301, false));
    p.max_age = "0";
    EXPECT_TRUE(endpoint_.needs_sign_in(*check(p).request, now - 1, false));
    for (std::string bad : {"", "-1", "1.5", "abc", "99999999999"}) {
        p.max_age = bad;
        auto r = check(p);
        EXPECT_FALSE(r.request) << bad;
        EXPECT_EQ(r.error->code, Code::invalid_request) << bad;
        EXPECT_TRUE(r.redirect_uri) << bad;
    }
}

// -- Consent.

TEST_F(CodeFlow, ConsentIsRememberedPerUserClientAndScope) {
    auto p = params_for(web_);
    p.scope = "read";
    auto request = *check(p).request;
    EXPECT_FALSE(*endpoint_.has_consent(ada_.id, request));
    auto answer = endpoint_.approve(ada_.id, clock_.now(), request);
    ASSERT_TRUE(answer.has_value());
    std::string uri = answer->location();
    EXPECT_TRUE(uri.starts_with("https://app.example.com/cb?code=tac_"));
    EXPECT_NE(uri.find("&state=xyz&iss=https%3A%2F%2Fid.example.com"), std::string::npos);
    EXPECT_TRUE(*endpoint_.has_consent(ada_.id, request));
    EXPECT_FALSE(*endpoint_.has_consent(bob_.id, request));
    p.scope = "read write";
    auto wider = *check(p).request;
    EXPECT_FALSE(*endpoint_.has_consent(ada_.id, wider));
    ASSERT_TRUE(endpoint_.approve(ada_.id, clock_.now(), wider).has_value());
    // One standing grant, widened.
    auto grants = store_.find_client_authorizations(ada_.id, web_.client.id);
    ASSERT_EQ(grants->size(), 1u);
    EXPECT_EQ(grants->front().scope, (std::vector<std::string>{"read", "write"}));
}

// -- The code exchange.

TEST_F(CodeFlow, ACodeStartsASessionOnce) {
    auto code = approve(params_for(web_), ada_);
    auto issued = exchange_code(web_, code);
    ASSERT_TRUE(issued.has_value()) << issued.error().description;
    EXPECT_TRUE(issued->access_token.reveal().starts_with("tat_"));
    ASSERT_TRUE(issued->refresh_token);
    EXPECT_TRUE(issued->refresh_token->reveal().starts_with("trt_"));
    EXPECT_EQ(issued->expires_in, 28800);
    EXPECT_EQ(issued->scope, std::vector<std::string>{"identity"});
    ASSERT_TRUE(issued->session);
    EXPECT_EQ(issued->session->user_id, ada_.id);
    EXPECT_EQ(issued->session->nonce.size(), 16u);
    EXPECT_TRUE(active(web_, issued->access_token.reveal()));
    EXPECT_TRUE(active(web_, issued->refresh_token->reveal()));
}

TEST_F(CodeFlow, AReplayedCodeFailsAndRevokesWhatItIssued) {
    auto code = approve(params_for(web_), ada_);
    auto first = exchange_code(web_, code);
    ASSERT_TRUE(first.has_value());
    auto second = exchange_code(web_, code);
    ASSERT_FALSE(second.has_value());
    EXPECT_EQ(second.error().code, Code::invalid_grant);
    EXPECT_FALSE(active(web_, first->access_token.reveal()));
    EXPECT_FALSE(active(web_, first->refresh_token->reveal()));
    EXPECT_FALSE(refresh(web_, first->refresh_token->reveal()).has_value());
}

TEST_F(CodeFlow, CodesExpireAfterTheirLifetime) {
    auto code = approve(params_for(web_), ada_);
    clock_.advance(60);
    EXPECT_EQ(exchange_code(web_, code).error().code, Code::invalid_grant);
    auto fresh = approve(params_for(web_), ada_);
    clock_.advance(59);
    EXPECT_TRUE(exchange_code(web_, fresh).has_value());
}

TEST_F(CodeFlow, ACodeIsBoundToItsClientAndRedirectUri) {
    auto other = add_client({"authorization_code"}, {}, "client_secret_basic",
                            {"https://app.example.com/cb"}, "");
    auto code = approve(params_for(web_), ada_);
    EXPECT_EQ(exchange_code(other, code).error().code, Code::invalid_grant);
    EXPECT_EQ(exchange_code(web_, code, std::nullopt, "https://evil.example.com/cb").error().code,
              Code::invalid_grant);
    EXPECT_TRUE(exchange_code(web_, code).has_value());  // the failures did not consume it

    auto p = params_for(spa_);
    p.redirect_uri = "http://127.0.0.1:4000/cb";
    auto bound = approve(p, ada_);
    EXPECT_FALSE(exchange_code(spa_, bound, kVerifier).has_value());  // no redirect_uri
    EXPECT_FALSE(exchange_code(spa_, bound, kVerifier, "http://127.0.0.1:4001/cb").has_value());
    EXPECT_TRUE(exchange_code(spa_, bound, kVerifier, "http://127.0.0.1:4000/cb").has_value());
}

TEST_F(CodeFlow, PkceCannotBeSkippedOrDowngraded) {
    auto p = params_for(spa_);
    p.redirect_uri = "https://spa.example.com/cb";
    auto code = approve(p, ada_);
    EXPECT_EQ(exchange_code(spa_, code, std::nullopt, "https://spa.example.com/cb").error().code,
              Code::invalid_grant);
    std::string wrong = kVerifier;
    wrong.back() = 'X';
    EXPECT_FALSE(exchange_code(spa_, code, wrong, "https://spa.example.com/cb").has_value());
    EXPECT_FALSE(exchange_code(spa_, code, challenge_of(kVerifier), "https://spa.example.com/cb")
                     .has_value());  // the challenge itself is not the verifier
    EXPECT_TRUE(exchange_code(spa_, code, kVerifier, "https://spa.example.com/cb").has_value());

    // A code issued without a challenge refuses a verifier (RFC 9700 §4.8.2).
    auto plain = approve(params_for(web_), ada_);
    EXPECT_EQ(exchange_code(web_, plain, kVerifier).error().code, Code::invalid_grant);
    // A confidential client's challenge is honoured too.
    auto q = params_for(web_);
    q.code_challenge = challenge_of(kVerifier);
    q.code_challenge_method = "S256";
    auto with_pkce = approve(q, ada_);
    EXPECT_FALSE(exchange_code(web_, with_pkce).has_value());
    EXPECT_TRUE(exchange_code(web_, with_pkce, kVerifier).has_value());
}

TEST_F(CodeFlow, MalformedCodesAndMissingParametersAreRefused) {
    EXPECT_EQ(exchange_code(web_, "tac_forged").error().code, Code::invalid_grant);
    TokenRequest r{"authorization_code"};
    EXPECT_EQ(tokens_.exchange(web_.client, r).error().code, Code::invalid_request);
    TokenRequest s{"refresh_token"};
    EXPECT_EQ(tokens_.exchange(web_.client, s).error().code, Code::invalid_request);
}

TEST_F(CodeFlow, TheHerokuFormFindsTheClientFromTheCodeOrRefreshToken) {
    auto code = approve(params_for(web_), ada_);
    TokenRequest r{"authorization_code"};
    r.code = code;
    EXPECT_EQ(*tokens_.client_of(r), web_.client.id);
    auto issued = tokens_.exchange(web_.client, r);
    TokenRequest s{"refresh_token"};
    s.refresh_token = issued->refresh_token->reveal();
    EXPECT_EQ(*tokens_.client_of(s), web_.client.id);
    s.refresh_token = "trt_nothing";
    EXPECT_EQ(tokens_.client_of(s).error().code, Code::invalid_grant);
}

// -- Refresh tokens.

TEST_F(CodeFlow, StableClientsKeepTheirRefreshToken) {
    auto issued = exchange_code(web_, approve(params_for(web_), ada_));
    std::string refresh_token = issued->refresh_token->reveal();
    for (int i = 0; i < 3; ++i) {
        clock_.advance(100);
        auto next = refresh(web_, refresh_token);
        ASSERT_TRUE(next.has_value());
        EXPECT_EQ(next->refresh_token->reveal(), refresh_token);
        EXPECT_TRUE(active(web_, next->access_token.reveal()));
    }
}

TEST_F(CodeFlow, RotatingClientsGetANewRefreshTokenEachTime) {
    auto [access, first] = spa_session();
    auto second = refresh(spa_, first);
    ASSERT_TRUE(second.has_value());
    EXPECT_NE(second->refresh_token->reveal(), first);
    EXPECT_FALSE(active(spa_, first));
    EXPECT_TRUE(active(spa_, second->refresh_token->reveal()));
    auto third = refresh(spa_, second->refresh_token->reveal());
    ASSERT_TRUE(third.has_value());
    EXPECT_TRUE(active(spa_, access));  // access tokens live out their time
}

TEST_F(CodeFlow, ReusingASpentRefreshTokenRevokesTheSession) {
    auto [access, first] = spa_session();
    auto second = refresh(spa_, first);
    auto third = refresh(spa_, second->refresh_token->reveal());  // successor used
    ASSERT_TRUE(third.has_value());
    auto reuse = refresh(spa_, first);
    ASSERT_FALSE(reuse.has_value());
    EXPECT_EQ(reuse.error().code, Code::invalid_grant);
    EXPECT_FALSE(active(spa_, access));
    EXPECT_FALSE(active(spa_, third->access_token.reveal()));
    EXPECT_FALSE(refresh(spa_, third->refresh_token->reveal()).has_value());
}

TEST_F(CodeFlow, ALostResponseMayBeRetriedWithinTheGraceWindow) {
    auto [access, first] = spa_session();
    auto lost = refresh(spa_, first);  // the client never saw this answer
    clock_.advance(10);
    auto retry = refresh(spa_, first);
    ASSERT_TRUE(retry.has_value());
    EXPECT_NE(retry->refresh_token->reveal(), lost->refresh_token->reveal());
    EXPECT_FALSE(
        refresh(spa_, lost->refresh_token->reveal()).has_value());  // the unused successor died
    // ... and presenting it counts as a failure only: the retried pair lives.
    EXPECT_TRUE(refresh(spa_, retry->refresh_token->reveal()).has_value());
}

TEST_F(CodeFlow, AfterTheGraceWindowAnyReuseRevokes) {
    auto [access, first] = spa_session();
    auto next = refresh(spa_, first);
    clock_.advance(11);
    EXPECT_FALSE(refresh(spa_, first).has_value());
    EXPECT_FALSE(refresh(spa_, next->refresh_token->reveal()).has_value());
    EXPECT_FALSE(active(spa_, access));
}

TEST_F(CodeFlow, RefreshTokensAreBoundToTheirClientAndScope) {
    auto [access, token] = spa_session();
    auto thief = add_client({"authorization_code", "refresh_token"}, {}, "none",
                            {"https://t.example.com/cb"}, "");
    EXPECT_EQ(refresh(thief, token).error().code, Code::invalid_grant);
    TokenRequest wider{"refresh_token"};
    wider.refresh_token = token;
    wider.scope = "identity global";
    EXPECT_EQ(tokens_.exchange(spa_.client, wider).error().code, Code::invalid_scope);
    TokenRequest narrower{"refresh_token"};
    narrower.refresh_token = token;
    narrower.scope = "read";
    auto narrowed = tokens_.exchange(spa_.client, narrower);
    ASSERT_TRUE(narrowed.has_value());
    EXPECT_EQ(narrowed->scope, std::vector<std::string>{"read"});
}

TEST_F(CodeFlow, RevokingARefreshTokenEndsTheSession) {
    auto [access, token] = spa_session();
    EXPECT_EQ(revoker_.revoke(web_.client, token).error().code, Code::unauthorized_client);
    EXPECT_TRUE(revoker_.revoke(spa_.client, token).has_value());
    EXPECT_FALSE(active(spa_, access));
    EXPECT_FALSE(refresh(spa_, token).has_value());
}

TEST_F(CodeFlow, DeletingTheAuthorizationRevokesItsSessions) {
    auto [access, token] = spa_session();
    auto grants = store_.find_client_authorizations(ada_.id, spa_.client.id);
    ASSERT_EQ(grants->size(), 1u);
    ASSERT_TRUE(store_.delete_authorization(grants->front().id).has_value());
    EXPECT_FALSE(active(spa_, access));
    EXPECT_FALSE(refresh(spa_, token).has_value());
}

// -- Browser sign-in and CSRF.

TEST_F(CodeFlow, SignInStartsABrowserSessionThatExpires) {
    Id address = Id::generate(random_);
    EXPECT_EQ(sign_in_.sign_in("ada@example.com", "wrong", address).error().code,
              Code::unauthenticated);
    auto signed_in = sign_in_.sign_in("ada@example.com", "correct horse battery", address);
    ASSERT_TRUE(signed_in.has_value());
    std::string cookie = signed_in->first.reveal();
    EXPECT_TRUE(cookie.starts_with("tbs_"));
    auto who = sign_in_.current(cookie);
    ASSERT_TRUE(who.has_value() && who->has_value());
    EXPECT_EQ((*who)->user.id, ada_.id);
    EXPECT_FALSE(sign_in_.current("tbs_forged")->has_value());
    clock_.advance(sign_in_.session_ttl());
    EXPECT_FALSE(sign_in_.current(cookie)->has_value());
}

TEST_F(CodeFlow, SignOutEndsTheBrowserSession) {
    auto signed_in = sign_in_.sign_in("ada@example.com", "correct horse battery", Id());
    std::string cookie = signed_in->first.reveal();
    ASSERT_TRUE(sign_in_.sign_out(cookie).has_value());
    EXPECT_FALSE(sign_in_.current(cookie)->has_value());
}

TEST_F(CodeFlow, SignInIsRateLimited) {
    Id address = Id::generate(random_);
    for (int i = 0; i < 3; ++i) EXPECT_FALSE(sign_in_.sign_in("ada@example.com", "x", address));
    EXPECT_EQ(sign_in_.sign_in("ada@example.com", "correct horse battery", address).error().code,
              Code::rate_limited);
}

TEST_F(CodeFlow, CsrfTokensBindToTheirCookie) {
    std::string cookie = sign_in_.new_csrf_cookie();
    std::string token = sign_in_.csrf_token(cookie, "");
    EXPECT_TRUE(sign_in_.csrf_matches(cookie, "", token));
    EXPECT_FALSE(sign_in_.csrf_matches(sign_in_.new_csrf_cookie(), "", token));
    EXPECT_FALSE(sign_in_.csrf_matches(cookie, "", ""));
    EXPECT_FALSE(sign_in_.csrf_matches("", "", sign_in_.csrf_token("", "")));
    // Bound to the sign-in too: a token made for a tossed CSRF cookie without
    // knowing the victim's sign-in cookie does not match.
    std::string signed_in = sign_in_.csrf_token(cookie, "tbs_victim");
    EXPECT_TRUE(sign_in_.csrf_matches(cookie, "tbs_victim", signed_in));
    EXPECT_FALSE(sign_in_.csrf_matches(cookie, "tbs_victim", token));
    EXPECT_FALSE(sign_in_.csrf_matches(cookie, "tbs_other", signed_in));
}

// -- Without a browser (Heroku spec §3.2 with a client).

TEST_F(CodeFlow, ADirectGrantIsExchangedWithoutRedirectOrPkce) {
    auto grant = endpoint_.grant_directly(ada_.id, {"global"}, web_.client.id, {"read"});
    ASSERT_TRUE(grant.has_value());
    EXPECT_EQ(grant->client.id, web_.client.id);
    auto issued = exchange_code(web_, grant->code.reveal());
    ASSERT_TRUE(issued.has_value());
    EXPECT_EQ(issued->scope, std::vector<std::string>{"read"});
    EXPECT_EQ(issued->stored->authorization_id, grant->authorization.id);
}

TEST_F(CodeFlow, ADirectGrantIsCheckedInOrder) {
    auto unknown = endpoint_.grant_directly(ada_.id, {"global"}, Id::generate(random_), {});
    EXPECT_EQ(unknown.error().code, Code::not_found);
    EXPECT_EQ(unknown.error().subject, "client");
    auto machine = add_client({"client_credentials"}, {}, "client_secret_basic", {}, "");
    auto no_code = endpoint_.grant_directly(ada_.id, {"global"}, machine.client.id, {"read"});
    EXPECT_EQ(no_code.error().code, Code::invalid_params);
    EXPECT_EQ(no_code.error().subject, "client");
    auto bad = endpoint_.grant_directly(ada_.id, {"global"}, web_.client.id, {"root"});
    EXPECT_EQ(bad.error().code, Code::invalid_params);
    EXPECT_EQ(bad.error().subject, "scope");
    // A `read` credential cannot grant `global`, nor anything beyond `read`.
    auto wider = endpoint_.grant_directly(ada_.id, {"read"}, web_.client.id, {"global"});
    EXPECT_EQ(wider.error().code, Code::forbidden);
    EXPECT_EQ(endpoint_.grant_directly(ada_.id, {"read"}, web_.client.id, {}).error().code,
              Code::forbidden);  // the default is global
    // The client registered identity and read only.
    auto unregistered = endpoint_.grant_directly(ada_.id, {"global"}, spa_.client.id, {"write"});
    EXPECT_EQ(unregistered.error().code, Code::invalid_scope);
    // Nothing was recorded by the refusals.
    EXPECT_TRUE(store_.find_client_authorizations(ada_.id, web_.client.id)->empty());

    auto narrow = endpoint_.grant_directly(ada_.id, {"read"}, web_.client.id, {"read", "read"});
    ASSERT_TRUE(narrow.has_value());
    EXPECT_EQ(narrow->authorization.scope, std::vector<std::string>{"read"});
    // Without a scope: the client's registration, else global.
    auto registered = endpoint_.grant_directly(ada_.id, {"global"}, spa_.client.id, {});
    ASSERT_TRUE(registered.has_value());
    EXPECT_EQ(registered->stored.scope, (std::vector<std::string>{"identity", "read"}));
    auto widened = endpoint_.grant_directly(ada_.id, {"global"}, web_.client.id, {});
    ASSERT_TRUE(widened.has_value());
    EXPECT_EQ(widened->authorization.id, narrow->authorization.id);  // one grant per client
    EXPECT_EQ(widened->authorization.scope, (std::vector<std::string>{"read", "global"}));
    EXPECT_EQ(widened->stored.scope, std::vector<std::string>{"global"});
}

}  // namespace
}  // namespace tessera::core
