// ID tokens (OpenID Connect Core §2, §3.1.3.6) from the code and refresh
// grants, on a real SqliteStore(":memory:") with a fake clock.
#include "core/oauth/id_token.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "base/encoding.hpp"
#include "base/fake_clock.hpp"
#include "core/accounts/user_service.hpp"
#include "core/clients/client_service.hpp"
#include "core/oauth/authorize/authorization_endpoint.hpp"
#include "core/oauth/end_session.hpp"
#include "core/oauth/token/token_service.hpp"
#include "crypto/digest.hpp"
#include "storage/sqlite/memory_store.hpp"

namespace tessera::core {
namespace {

namespace json = boost::json;

// A JSON string's text (for comparing with std::string).
std::string text(const boost::json::value& v) {
    return v.is_string() ? std::string(v.as_string()) : std::string("<not a string>");
}

std::string encode(std::string_view text) {
    return base64url_encode(
        std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

std::string decode(std::string_view part) {
    auto bytes = base64url_decode(part);
    return bytes ? std::string(bytes->begin(), bytes->end()) : std::string();
}

TEST(IdTokenClaims, RenderInAFixedOrderWithScopeClaims) {
    User user{Id{}, "ada@example.com", "Ada Lovelace", "", Id{}, 0, 0};
    IdTokenClaims claims;
    claims.issuer = "https://id.example.com";
    claims.subject = *Id::parse("0a6ef5d4-1111-4000-8000-000000000001");
    claims.audience = *Id::parse("0a6ef5d4-2222-4000-8000-000000000002");
    claims.issued_at = 100;
    claims.expires_at = 3700;
    EXPECT_EQ(to_json(claims),
              R"({"iss":"https://id.example.com","sub":"0a6ef5d4-1111-4000-8000-000000000001",)"
              R"("aud":"0a6ef5d4-2222-4000-8000-000000000002","iat":100,"exp":3700})");
    claims.auth_time = 90;
    claims.nonce = "n-0S6_WzA2Mj";
    claims.at_hash = "77QmUPtjPfzWtF2AnpK9RQ";
    add_scope_claims(claims, user, {"openid", "profile", "email"});
    EXPECT_EQ(to_json(claims),
              R"({"iss":"https://id.example.com","sub":"0a6ef5d4-1111-4000-8000-000000000001",)"
              R"("aud":"0a6ef5d4-2222-4000-8000-000000000002","iat":100,"exp":3700,)"
              R"("auth_time":90,"nonce":"n-0S6_WzA2Mj","at_hash":"77QmUPtjPfzWtF2AnpK9RQ",)"
              R"("name":"Ada Lovelace","email":"ada@example.com","email_verified":false})");

    IdTokenClaims only_email;
    add_scope_claims(only_email, user, {"openid", "email"});
    EXPECT_FALSE(only_email.name.has_value());
    EXPECT_EQ(only_email.email, "ada@example.com");
    IdTokenClaims none;
    add_scope_claims(none, user, {"openid"});
    EXPECT_FALSE(none.name || none.email);
}

TEST(IdTokenClaims, OpenIdScopeIsDetectedExactly) {
    EXPECT_TRUE(has_openid({"read", "openid"}));
    EXPECT_FALSE(has_openid({"read", "openid2", "OPENID"}));
    EXPECT_FALSE(has_openid({}));
}

class IdTokenFlow : public ::testing::Test {
protected:
    IdTokenFlow() {
        ada_ = *users_.create({"ada@example.com", "correct horse battery", "Ada"});
        web_ = *clients_.register_client({ada_.id,
                                          ada_.account_id,
                                          "App",
                                          {"https://app.example.com/cb"},
                                          {"authorization_code", "refresh_token"},
                                          {},
                                          "client_secret_basic",
                                          "rotate"},
                                         catalog_);
        EXPECT_TRUE(keys_.ensure_key().has_value());
    }

    // Authorize with `scope` and `nonce`, signed in at `auth_time`; the code.
    std::string code_for(const std::string& scope, std::optional<std::string> nonce,
                         Timestamp auth_time) {
        AuthorizeParams p;
        p.client_id = web_.client.id.uuid();
        p.response_type = "code";
        p.scope = scope;
        p.nonce = std::move(nonce);
        auto checked = endpoint_.check(p);
        EXPECT_TRUE(checked.has_value() && checked->request.has_value());
        auto answer = endpoint_.approve(ada_.id, auth_time, *checked->request);
        EXPECT_TRUE(answer.has_value());
        std::string uri = answer->location();
        auto at = uri.find("code=") + 5;
        return uri.substr(at, uri.find('&', at) - at);
    }

    Result<IssuedToken> exchange(const std::string& code) {
        TokenRequest r{"authorization_code"};
        r.code = code;
        return tokens_.exchange(web_.client, r);
    }

    // Checks the signature with the current key and returns the claims.
    json::object verified_claims(const std::string& id_token, const std::string& expected_kid) {
        auto parts = crypto::split_compact(id_token);
        EXPECT_TRUE(parts.has_value());
        if (!parts) return {};
        auto header = json::parse(decode(parts->header)).as_object();
        EXPECT_EQ(text(header.at("kid")), expected_kid);
        EXPECT_EQ(text(header.at("typ")), "JWT");
        auto key = keys_.published_key(expected_kid);
        EXPECT_TRUE(key.has_value());
        if (!key) return {};
        EXPECT_TRUE((*key)->verify(std::string(parts->header) + "." + std::string(parts->payload),
                                   decode(parts->signature)));
        return json::parse(decode(parts->payload)).as_object();
    }

    FakeClock clock_;
    SeededRandom random_{33};
    crypto::Digester digester_{Secret(std::string(32, 'k'))};
    crypto::SecretBox sealer_{Secret(std::string(32, 's'))};
    ScopeCatalog catalog_ = ScopeCatalog::heroku_default();
    storage::sqlite::MemoryStore memory_;
    storage::sqlite::SqliteStore& store_ = memory_.store();
    UserService users_{store_, clock_, random_};
    ClientService clients_{store_, clock_, random_, digester_};
    AuthorizationEndpoint endpoint_{
        "https://id.example.com", store_, store_, catalog_, clock_, random_, digester_};
    KeyRing keys_{store_, sealer_, clock_, random_};
    IdTokenIssuer issuer_{"https://id.example.com", keys_, store_, clock_, 3600};
    TokenService tokens_{store_, store_, catalog_, clock_, random_, digester_, {}, &issuer_};
    User ada_;
    ClientWithSecret web_;
};

TEST_F(IdTokenFlow, CodeWithOpenIdYieldsASignedIdToken) {
    Timestamp signed_in = clock_.now() - 30;
    auto issued = exchange(code_for("openid profile email", "n-0S6_WzA2Mj", signed_in));
    ASSERT_TRUE(issued.has_value()) << issued.error().description;
    ASSERT_TRUE(issued->id_token.has_value());
    auto claims = verified_claims(*issued->id_token, keys_.current()->kid);
    EXPECT_EQ(text(claims.at("iss")), "https://id.example.com");
    EXPECT_EQ(text(claims.at("sub")), ada_.id.uuid());
    EXPECT_EQ(text(claims.at("aud")), web_.client.id.uuid());
    EXPECT_EQ(claims.at("iat"), clock_.now());
    EXPECT_EQ(claims.at("exp"), clock_.now() + 3600);
    EXPECT_EQ(claims.at("auth_time"), signed_in);
    EXPECT_EQ(text(claims.at("nonce")), "n-0S6_WzA2Mj");
    // §3.1.3.6: left half of SHA-256 of the ASCII access token, base64url.
    auto digest = crypto::sha256(issued->access_token.reveal());
    EXPECT_EQ(text(claims.at("at_hash")),
              base64url_encode(std::span(digest.data(), digest.size() / 2)));
    EXPECT_EQ(text(claims.at("name")), "Ada");
    EXPECT_EQ(text(claims.at("email")), "ada@example.com");
    EXPECT_EQ(claims.at("email_verified"), false);
}

TEST_F(IdTokenFlow, NoNonceNoNonceClaimAndScopeDecidesProfileClaims) {
    auto issued = exchange(code_for("openid", std::nullopt, clock_.now()));
    ASSERT_TRUE(issued.has_value());
    auto claims = verified_claims(*issued->id_token, keys_.current()->kid);
    EXPECT_FALSE(claims.contains("nonce"));
    EXPECT_FALSE(claims.contains("name"));
    EXPECT_FALSE(claims.contains("email"));
    EXPECT_FALSE(claims.contains("email_verified"));
}

TEST_F(IdTokenFlow, WithoutOpenIdThereIsNoIdToken) {
    auto issued = exchange(code_for("read profile", "n", clock_.now()));
    ASSERT_TRUE(issued.has_value());
    EXPECT_FALSE(issued->id_token.has_value());
    TokenRequest r{"refresh_token"};
    r.refresh_token = issued->refresh_token->reveal();
    auto refreshed = tokens_.exchange(web_.client, r);
    ASSERT_TRUE(refreshed.has_value());
    EXPECT_FALSE(refreshed->id_token.has_value());
}

TEST_F(IdTokenFlow, RefreshWithOpenIdYieldsAFreshIdTokenWithoutNonce) {
    auto issued = exchange(code_for("openid email", "n-1", clock_.now()));
    ASSERT_TRUE(issued.has_value());
    clock_.advance(120);
    TokenRequest r{"refresh_token"};
    r.refresh_token = issued->refresh_token->reveal();
    auto refreshed = tokens_.exchange(web_.client, r);
    ASSERT_TRUE(refreshed.has_value()) << refreshed.error().description;
    ASSERT_TRUE(refreshed->id_token.has_value());
    auto claims = verified_claims(*refreshed->id_token, keys_.current()->kid);
    EXPECT_EQ(text(claims.at("sub")), ada_.id.uuid());
    EXPECT_EQ(text(claims.at("aud")), web_.client.id.uuid());
    EXPECT_EQ(claims.at("iat"), clock_.now());
    EXPECT_FALSE(claims.contains("nonce"));
    EXPECT_FALSE(claims.contains("auth_time"));
    EXPECT_EQ(text(claims.at("at_hash")), crypto::left_half_hash(crypto::JwsAlgorithm::ES256,
                                                                 refreshed->access_token.reveal()));
    EXPECT_EQ(text(claims.at("email")), "ada@example.com");

    // A narrower refresh without openid gets none.
    r.refresh_token = refreshed->refresh_token->reveal();
    r.scope = "email";
    auto narrower = tokens_.exchange(web_.client, r);
    ASSERT_TRUE(narrower.has_value());
    EXPECT_FALSE(narrower->id_token.has_value());
}

TEST_F(IdTokenFlow, AfterRotationTokensAreSignedByThePromotedKey) {
    std::string first = keys_.current()->kid;
    auto r1 = keys_.rotate(crypto::JwsAlgorithm::ES256);
    ASSERT_TRUE(r1.has_value());
    auto before = exchange(code_for("openid", "a", clock_.now()));
    verified_claims(*before->id_token, first);  // next is published, does not sign

    ASSERT_TRUE(keys_.rotate(crypto::JwsAlgorithm::ES256).has_value());
    auto after = exchange(code_for("openid", "b", clock_.now()));
    ASSERT_TRUE(after.has_value());
    verified_claims(*after->id_token, r1->published);
}

TEST_F(IdTokenFlow, ClientsGetTheirChosenAlgorithmAtTheTokenEndpoint) {
    ASSERT_TRUE(keys_.rotate(crypto::JwsAlgorithm::EdDSA).has_value());
    std::string eddsa = keys_.current(crypto::JwsAlgorithm::EdDSA)->kid;
    web_.client.id_token_signed_response_alg = "EdDSA";
    ASSERT_TRUE(store_.update_client(web_.client).has_value());
    auto issued = exchange(code_for("openid", "a", clock_.now()));
    ASSERT_TRUE(issued.has_value()) << issued.error().description;
    auto claims = verified_claims(*issued->id_token, eddsa);
    auto header = json::parse(decode(crypto::split_compact(*issued->id_token)->header)).as_object();
    EXPECT_EQ(text(header.at("alg")), "EdDSA");
    // EdDSA (Ed25519): at_hash from SHA-512.
    EXPECT_EQ(text(claims.at("at_hash")),
              crypto::left_half_hash(crypto::JwsAlgorithm::EdDSA, issued->access_token.reveal()));

    // Refresh: the same line.
    TokenRequest r{"refresh_token"};
    r.refresh_token = issued->refresh_token->reveal();
    auto refreshed = tokens_.exchange(web_.client, r);
    ASSERT_TRUE(refreshed.has_value());
    verified_claims(*refreshed->id_token, eddsa);

    // A line without a current key signs nothing: the code stays unspent.
    web_.client.id_token_signed_response_alg = "RS256";
    ASSERT_TRUE(store_.update_client(web_.client).has_value());
    std::string code = code_for("openid", "b", clock_.now());
    EXPECT_EQ(exchange(code).error().code, Code::unavailable);
    ASSERT_TRUE(keys_.rotate(crypto::JwsAlgorithm::RS256).has_value());
    EXPECT_TRUE(exchange(code).has_value());
}

// RP-Initiated Logout §2: an id_token_hint is one of our ID tokens, signed by
// a published key, with our iss; expiry does not matter.
TEST_F(IdTokenFlow, HintVerifiesOurTokensEvenExpiredAndAcrossRotation) {
    auto issued = exchange(code_for("openid", "n", clock_.now()));
    ASSERT_TRUE(issued.has_value());
    clock_.advance(7200);  // expired
    auto hint = verify_id_token_hint(keys_, "https://id.example.com", *issued->id_token);
    ASSERT_TRUE(hint.has_value()) << hint.error().log_detail;
    EXPECT_EQ(hint->subject, ada_.id);
    EXPECT_EQ(hint->audience, web_.client.id);
    EXPECT_TRUE(
        verify_id_token_hint(keys_, "https://id.example.com", *issued->id_token, web_.client.id)
            .has_value());
    // An RS256 key, once current, verifies too.
    ASSERT_TRUE(keys_.rotate(crypto::JwsAlgorithm::RS256).has_value());
    ASSERT_TRUE(keys_.rotate(crypto::JwsAlgorithm::ES256).has_value());
    auto rs = exchange(code_for("openid", "m", clock_.now()));
    ASSERT_TRUE(rs.has_value());
    EXPECT_TRUE(verify_id_token_hint(keys_, "https://id.example.com", *rs->id_token).has_value());
}

TEST_F(IdTokenFlow, HintWithAWrongSignatureOrForeignIssuerOrOtherAudienceIsRefused) {
    auto issued = exchange(code_for("openid", "n", clock_.now()));
    ASSERT_TRUE(issued.has_value());
    const std::string& token = *issued->id_token;
    auto refused = [&](std::string_view hint, std::string_view issuer = "https://id.example.com",
                       std::optional<Id> client = std::nullopt) {
        auto r = verify_id_token_hint(keys_, issuer, hint, client);
        return !r.has_value() && r.error().code == Code::invalid_request;
    };
    // Another signature: flip a character of it.
    std::string tampered = token;
    tampered[tampered.size() - 3] = tampered[tampered.size() - 3] == 'A' ? 'B' : 'A';
    EXPECT_TRUE(refused(tampered));
    // The payload changed under the same signature.
    auto parts = *crypto::split_compact(token);
    std::string forged = std::string(parts.header) + "." +
                         encode(R"({"iss":"https://id.example.com"})") + "." +
                         std::string(parts.signature);
    EXPECT_TRUE(refused(forged));
    // Signed by a key that is not ours, with our kid.
    auto stranger = crypto::SigningKey::generate(crypto::JwsAlgorithm::ES256);
    auto kid = keys_.current()->kid;
    EXPECT_TRUE(refused(crypto::sign_compact(*stranger, kid, "JWT", decode(parts.payload))));
    // Our signature over a foreign issuer: checked after the signature.
    IdTokenClaims foreign;
    foreign.issuer = "https://evil.example.com";
    foreign.subject = ada_.id;
    foreign.audience = web_.client.id;
    EXPECT_TRUE(refused(crypto::sign_compact(*keys_.current()->key, kid, "JWT", to_json(foreign))));
    EXPECT_TRUE(refused(token, "https://other.example.com"));
    // aud must equal client_id when both are sent.
    EXPECT_TRUE(refused(token, "https://id.example.com", Id::generate(random_)));
    // Garbage.
    EXPECT_TRUE(refused("not.a.jwt"));
    EXPECT_TRUE(refused(""));
}

TEST_F(IdTokenFlow, EndSessionRedirectsOnlyToARegisteredPostLogoutUri) {
    Client client = web_.client;
    client.post_logout_redirect_uris = {"https://app.example.com/bye"};
    ASSERT_TRUE(store_.update_client(client).has_value());
    auto issued = exchange(code_for("openid", "n", clock_.now()));
    ASSERT_TRUE(issued.has_value());
    EndSession end_session{"https://id.example.com", keys_, store_};
    auto params = [&](std::optional<std::string> hint, std::optional<std::string> client_id,
                      std::optional<std::string> uri, std::optional<std::string> state) {
        return EndSessionParams{std::move(hint), std::move(client_id), std::move(uri),
                                std::move(state)};
    };
    auto ok = end_session.check(
        params(*issued->id_token, std::nullopt, "https://app.example.com/bye", "a b"));
    ASSERT_TRUE(ok.has_value()) << ok.error().description;
    EXPECT_EQ(ok->redirect_uri, "https://app.example.com/bye?state=a+b");
    EXPECT_TRUE(EndSession::check_may_sign_out(*ok, ada_.id).has_value());
    EXPECT_FALSE(EndSession::check_may_sign_out(*ok, Id::generate(random_)).has_value());
    // client_id alone names the client too; no state, no state parameter.
    auto by_id = end_session.check(
        params(std::nullopt, web_.client.id.uuid(), "https://app.example.com/bye", std::nullopt));
    ASSERT_TRUE(by_id.has_value());
    EXPECT_EQ(by_id->redirect_uri, "https://app.example.com/bye");
    EXPECT_FALSE(EndSession::check_may_sign_out(*by_id, ada_.id).has_value());
    // Refused: not registered (exactly), no client, an unknown client, bad client_id.
    for (const auto& p :
         {params(*issued->id_token, std::nullopt, "https://app.example.com/bye/", "s"),
          params(*issued->id_token, std::nullopt, "https://app.example.com/cb", "s"),
          params(std::nullopt, std::nullopt, "https://app.example.com/bye", "s"),
          params(std::nullopt, Id::generate(random_).uuid(), "https://app.example.com/bye", "s"),
          params(std::nullopt, "not-an-id", std::nullopt, std::nullopt)}) {
        auto refused = end_session.check(p);
        ASSERT_FALSE(refused.has_value());
        EXPECT_EQ(refused.error().code, Code::invalid_request);
    }
    // Nothing at all: a plain sign-out page, no redirect.
    auto nothing = end_session.check({});
    ASSERT_TRUE(nothing.has_value());
    EXPECT_FALSE(nothing->hint || nothing->redirect_uri);
}

TEST_F(IdTokenFlow, WithoutASigningKeyTheCodeStaysUnspent) {
    // A store without keys: the exchange fails before the code is spent.
    storage::sqlite::MemoryStore empty;
    KeyRing no_keys{empty.store(), sealer_, clock_, random_};
    IdTokenIssuer issuer{"https://id.example.com", no_keys, store_, clock_};
    TokenService tokens{store_, store_, catalog_, clock_, random_, digester_, {}, &issuer};
    auto code = code_for("openid", "n", clock_.now());
    TokenRequest r{"authorization_code"};
    r.code = code;
    auto failed = tokens.exchange(web_.client, r);
    ASSERT_FALSE(failed.has_value());
    EXPECT_EQ(failed.error().code, Code::unavailable);
    auto retried = exchange(code);
    EXPECT_TRUE(retried.has_value());
}

}  // namespace
}  // namespace tessera::core
