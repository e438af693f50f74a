// JWT access tokens (RFC 9068) from the client_credentials, code and
// refresh grants, and their life afterwards: introspection, revocation,
// bearer use, expiry and key rotation; on a real SqliteStore(":memory:")
// with a fake clock.
#include "core/oauth/token/jwt_access_token.hpp"

#include <gtest/gtest.h>

#include <future>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "base/encoding.hpp"
#include "base/fake_clock.hpp"
#include "core/accounts/user_service.hpp"
#include "core/auth/token_authenticator.hpp"
#include "core/clients/client_service.hpp"
#include "core/oauth/authorize/authorization_endpoint.hpp"
#include "core/oauth/introspection.hpp"
#include "core/oauth/revocation.hpp"
#include "core/oauth/token/token_service.hpp"
#include "core/oauth/userinfo.hpp"
#include "crypto/digest.hpp"
#include "crypto/token_format.hpp"
#include "storage/sqlite/memory_store.hpp"

namespace tessera::core {
namespace {

namespace json = boost::json;

constexpr const char* kIssuer = "https://id.example.com";

std::string decode(std::string_view part) {
    auto bytes = base64url_decode(part);
    return bytes ? std::string(bytes->begin(), bytes->end()) : std::string();
}

std::string text(const json::value& v) {
    return v.is_string() ? std::string(v.as_string()) : std::string("<not a string>");
}

TEST(JwtAccessTokenClaims, RenderInAFixedOrder) {
    JwtAccessTokenClaims claims{kIssuer, kIssuer, "u-1", "c-1", "t-1", 100, 3700, std::nullopt, {}};
    EXPECT_EQ(to_json(claims),
              R"({"iss":"https://id.example.com","exp":3700,"aud":"https://id.example.com",)"
              R"("sub":"u-1","client_id":"c-1","iat":100,"jti":"t-1"})");
    claims.scope = {"read", "openid"};
    claims.auth_time = 90;
    EXPECT_EQ(to_json(claims),
              R"({"iss":"https://id.example.com","exp":3700,"aud":"https://id.example.com",)"
              R"("sub":"u-1","client_id":"c-1","iat":100,"jti":"t-1","scope":"read openid",)"
              R"("auth_time":90})");
}

class JwtAccessTokens : public ::testing::Test {
protected:
    JwtAccessTokens() {
        ada_ = *users_.create({"ada@example.com", "correct horse battery", "Ada"});
        machine_ = add_client({"client_credentials"}, {"read", "write"}, {}, "jwt");
        opaque_machine_ = add_client({"client_credentials"}, {"read"}, {}, "");
        web_ = add_client({"authorization_code", "refresh_token"}, {},
                          {"https://app.example.com/cb"}, "jwt");
        EXPECT_TRUE(keys_.ensure_key().has_value());
    }

    Client add_client(std::vector<std::string> grants, std::vector<std::string> scopes,
                      std::vector<std::string> uris, std::string format) {
        auto created = clients_.register_client({ada_.id, ada_.account_id, "App", uris, grants,
                                                 scopes, "client_secret_basic", "rotate", format},
                                                catalog_);
        EXPECT_TRUE(created.has_value()) << created.error().description;
        return created->client;
    }

    Result<IssuedToken> client_credentials(const Client& client, std::string scope) {
        TokenRequest r{"client_credentials"};
        r.scope = std::move(scope);
        return tokens_.exchange(client, r);
    }

    // Authorize `scope` for web_ with Ada signed in at `auth_time`; exchange the code.
    Result<IssuedToken> code_flow(const std::string& scope, Timestamp auth_time) {
        AuthorizeParams p;
        p.client_id = web_.id.uuid();
        p.response_type = "code";
        p.scope = scope;
        auto checked = endpoint_.check(p);
        EXPECT_TRUE(checked.has_value() && checked->request.has_value());
        auto answer = endpoint_.approve(ada_.id, auth_time, *checked->request);
        EXPECT_TRUE(answer.has_value());
        TokenRequest r{"authorization_code"};
        for (const auto& [name, value] : answer->params)
            if (name == "code") r.code = value;
        return tokens_.exchange(web_, r);
    }

    // Checks the header and the signature against the published key named
    // by `kid`, as a resource server would; returns the claims.
    json::object verified(const Secret& token, std::string* kid = nullptr) {
        auto parts = crypto::split_compact(token.reveal());
        EXPECT_TRUE(parts.has_value()) << token.reveal();
        if (!parts) return {};
        auto header = json::parse(decode(parts->header)).as_object();
        EXPECT_EQ(text(header.at("typ")), "at+jwt");
        auto key = keys_.published_key(text(header.at("kid")));
        EXPECT_TRUE(key.has_value());
        if (!key) return {};
        EXPECT_EQ(text(header.at("alg")), crypto::to_string((*key)->algorithm()));
        EXPECT_TRUE((*key)->verify(std::string(parts->header) + "." + std::string(parts->payload),
                                   decode(parts->signature)));
        if (kid) *kid = text(header.at("kid"));
        return json::parse(decode(parts->payload)).as_object();
    }

    Result<Introspection> introspect(const Secret& token) {
        return introspector_.introspect(machine_, token.reveal());
    }

    FakeClock clock_;
    SeededRandom random_{68};
    crypto::Digester digester_{Secret(std::string(32, 'k'))};
    crypto::SecretBox sealer_{Secret(std::string(32, 's'))};
    ScopeCatalog catalog_ = ScopeCatalog::heroku_default();
    storage::sqlite::MemoryStore memory_;
    storage::sqlite::SqliteStore& store_ = memory_.store();
    UserService users_{store_, clock_, random_};
    ClientService clients_{store_, clock_, random_, digester_};
    AuthorizationEndpoint endpoint_{kIssuer, store_, store_, catalog_, clock_, random_, digester_};
    KeyRing keys_{store_, sealer_, clock_, random_, KeyPolicy{28800}};
    IdTokenIssuer id_tokens_{kIssuer, keys_, store_, clock_, 3600};
    JwtAccessTokenSigner signer_{kIssuer, kIssuer, keys_};
    TokenService tokens_{store_,    store_, catalog_,    clock_,  random_,
                         digester_, {},     &id_tokens_, &signer_};
    Introspector introspector_{store_, store_, store_, store_, clock_, digester_};
    Revoker revoker_{store_, store_, store_, digester_};
    TokenAuthenticator bearers_{store_, clock_, digester_};
    UserInfoEndpoint userinfo_{bearers_, store_};
    User ada_;
    Client machine_, opaque_machine_, web_;
};

TEST_F(JwtAccessTokens, ClientCredentialsGivesASignedJwtAboutTheClient) {
    auto issued = client_credentials(machine_, "read write");
    ASSERT_TRUE(issued.has_value()) << issued.error().description;
    std::string kid;
    auto claims = verified(issued->access_token, &kid);
    EXPECT_EQ(kid, keys_.current()->kid);
    EXPECT_EQ(text(claims.at("iss")), kIssuer);
    EXPECT_EQ(text(claims.at("aud")), kIssuer);
    EXPECT_EQ(text(claims.at("sub")), machine_.id.uuid());  // RFC 9068 §2.2: no user
    EXPECT_EQ(text(claims.at("client_id")), machine_.id.uuid());
    EXPECT_EQ(claims.at("iat"), clock_.now());
    EXPECT_EQ(claims.at("exp"), clock_.now() + 3600);
    EXPECT_EQ(text(claims.at("scope")), "read write");
    EXPECT_FALSE(claims.contains("auth_time"));
    EXPECT_EQ(issued->expires_in, 3600);
    // The jti is the stored row's id; the row keeps a digest of the whole JWT.
    auto jti = Id::parse(text(claims.at("jti")));
    ASSERT_TRUE(jti.has_value());
    auto row = store_.find_access_token_by_id(*jti);
    ASSERT_TRUE(row.has_value());
    EXPECT_TRUE(row->id_in_token);
    EXPECT_EQ(row->digest, digester_.digest(issued->access_token.reveal()));
    EXPECT_EQ(row->redacted, crypto::redact(issued->access_token.reveal()));
}

TEST_F(JwtAccessTokens, TheAsynchronousClientCredentialsPathSignsToo) {
    TokenRequest r{"client_credentials"};
    r.scope = "read";
    std::promise<Result<IssuedToken>> answered;
    // The store's group commit answers on its own thread.
    tokens_.exchange_async(machine_, r,
                           [&](Result<IssuedToken> done) { answered.set_value(std::move(done)); });
    auto answer = answered.get_future().get();
    ASSERT_TRUE(answer.has_value()) << answer.error().description;
    EXPECT_EQ(text(verified(answer->access_token).at("scope")), "read");
    EXPECT_TRUE(introspect(answer->access_token)->active);
}

TEST_F(JwtAccessTokens, CodeFlowTokensNameTheUserAndWhenTheySignedIn) {
    Timestamp signed_in = clock_.now() - 45;
    auto issued = code_flow("openid read", signed_in);
    ASSERT_TRUE(issued.has_value()) << issued.error().description;
    auto claims = verified(issued->access_token);
    EXPECT_EQ(text(claims.at("sub")), ada_.id.uuid());
    EXPECT_EQ(text(claims.at("client_id")), web_.id.uuid());
    EXPECT_EQ(text(claims.at("jti")), issued->stored->id.uuid());
    EXPECT_EQ(text(claims.at("scope")), "openid read");
    EXPECT_EQ(claims.at("auth_time"), signed_in);
    EXPECT_EQ(claims.at("exp"), clock_.now() + 28800);
    // The ID token's at_hash binds the JWT, like any access token.
    auto id_claims = json::parse(decode(crypto::split_compact(*issued->id_token)->payload));
    EXPECT_EQ(
        text(id_claims.at("at_hash")),
        crypto::left_half_hash(keys_.current()->key->algorithm(), issued->access_token.reveal()));
    // The bearer acts for Ada, as an opaque token would (userinfo, Heroku API).
    auto caller = bearers_.authenticate(issued->access_token.reveal());
    ASSERT_TRUE(caller.has_value());
    EXPECT_EQ(caller->user_id, ada_.id);
    auto info = userinfo_.userinfo(issued->access_token.reveal());
    ASSERT_TRUE(info.has_value()) << info.error().description;
    EXPECT_EQ(info->subject, ada_.id);

    // Refreshed: a new JWT (new jti, narrower scope), without auth_time.
    clock_.advance(60);
    TokenRequest r{"refresh_token"};
    r.refresh_token = issued->refresh_token->reveal();
    r.scope = "read";
    auto refreshed = tokens_.exchange(web_, r);
    ASSERT_TRUE(refreshed.has_value()) << refreshed.error().description;
    auto again = verified(refreshed->access_token);
    EXPECT_EQ(text(again.at("sub")), ada_.id.uuid());
    EXPECT_EQ(text(again.at("scope")), "read");
    EXPECT_EQ(text(again.at("jti")), refreshed->stored->id.uuid());
    EXPECT_NE(again.at("jti"), claims.at("jti"));
    EXPECT_EQ(again.at("iat"), clock_.now());
    EXPECT_FALSE(again.contains("auth_time"));
    EXPECT_TRUE(crypto::has_valid_format(refreshed->refresh_token->reveal()));  // still opaque
}

TEST_F(JwtAccessTokens, IntrospectionIsActiveUntilRevocation) {
    auto issued = client_credentials(machine_, "read");
    ASSERT_TRUE(issued.has_value());
    auto active = introspect(issued->access_token);
    ASSERT_TRUE(active.has_value());
    EXPECT_TRUE(active->active);
    EXPECT_EQ(active->client_id, machine_.id);
    EXPECT_EQ(active->scope, std::vector<std::string>{"read"});
    EXPECT_EQ(active->expires_at, clock_.now() + 3600);
    // Another client may not revoke it; its own client may.
    EXPECT_EQ(revoker_.revoke(web_, issued->access_token.reveal()).error().code,
              Code::unauthorized_client);
    EXPECT_TRUE(introspect(issued->access_token)->active);
    ASSERT_TRUE(revoker_.revoke(machine_, issued->access_token.reveal()).has_value());
    // Still a validly signed, unexpired JWT, but revoked: inactive.
    EXPECT_EQ(verified(issued->access_token).at("exp"), clock_.now() + 3600);
    EXPECT_FALSE(introspect(issued->access_token)->active);
    EXPECT_TRUE(revoker_.revoke(machine_, issued->access_token.reveal()).has_value());
}

TEST_F(JwtAccessTokens, RevokedOrExpiredUserTokensStopWorkingAsBearers) {
    auto revoked = code_flow("openid", clock_.now());
    auto expiring = code_flow("openid", clock_.now());
    ASSERT_TRUE(revoked.has_value() && expiring.has_value());
    ASSERT_TRUE(revoker_.revoke(web_, revoked->access_token.reveal()).has_value());
    EXPECT_EQ(bearers_.authenticate(revoked->access_token.reveal()).error().code,
              Code::unauthenticated);
    EXPECT_TRUE(bearers_.authenticate(expiring->access_token.reveal()).has_value());
    clock_.advance(28800);
    EXPECT_EQ(bearers_.authenticate(expiring->access_token.reveal()).error().code,
              Code::unauthenticated);
    auto machine = client_credentials(machine_, "read");
    clock_.advance(3600);
    EXPECT_FALSE(introspect(machine->access_token)->active);
    EXPECT_FALSE(introspect(expiring->access_token)->active);
}

TEST_F(JwtAccessTokens, AJwtThatIsNotExactlyTheIssuedOneIsUnknown) {
    auto issued = client_credentials(machine_, "read");
    ASSERT_TRUE(issued.has_value());
    auto parts = *crypto::split_compact(issued->access_token.reveal());
    // Same jti, wider scope, the original signature: no such token.
    auto claims = json::parse(decode(parts.payload)).as_object();
    claims["scope"] = "read write";
    std::string payload = json::serialize(claims);
    std::string forged =
        std::string(parts.header) + "." +
        base64url_encode(
            std::span(reinterpret_cast<const std::uint8_t*>(payload.data()), payload.size())) +
        "." + std::string(parts.signature);
    EXPECT_FALSE(introspect(Secret(forged))->active);
    EXPECT_FALSE(bearers_.authenticate(forged).has_value());
    ASSERT_TRUE(revoker_.revoke(machine_, forged).has_value());  // RFC 7009 §2.2: a no-op
    EXPECT_TRUE(introspect(issued->access_token)->active);
    // Not a JWT at all, or a JWT with another signature: unknown too.
    EXPECT_FALSE(introspect(Secret("a.b.c"))->active);
    std::string resigned = std::string(parts.header) + "." + std::string(parts.payload) + ".AAAA";
    EXPECT_FALSE(introspect(Secret(resigned))->active);
}

TEST_F(JwtAccessTokens, OpaqueClientsStillGetOpaqueTokens) {
    auto issued = client_credentials(opaque_machine_, "read");
    ASSERT_TRUE(issued.has_value());
    const std::string& raw = issued->access_token.reveal();
    EXPECT_TRUE(raw.starts_with("tat_"));
    EXPECT_TRUE(crypto::has_valid_format(raw));
    EXPECT_FALSE(crypto::split_compact(raw).has_value());
    EXPECT_TRUE(introspector_.introspect(opaque_machine_, raw)->active);
}

TEST_F(JwtAccessTokens, TokensSignedBeforeTwoRotationsStillVerify) {
    auto before = code_flow("read", clock_.now());
    ASSERT_TRUE(before.has_value());
    std::string old_kid;
    verified(before->access_token, &old_kid);
    // JWT access tokens are signed by the default (ES256) line: two
    // rotations of it publish a key, then promote it and retire the old one.
    ASSERT_TRUE(keys_.rotate(crypto::JwsAlgorithm::ES256).has_value());
    auto rotation = keys_.rotate(crypto::JwsAlgorithm::ES256);
    ASSERT_TRUE(rotation.has_value());
    EXPECT_EQ(rotation->retired, old_kid);
    // The retired key stays published for as long as a user's token lives.
    clock_.advance(28800 - 1);
    EXPECT_EQ(text(verified(before->access_token).at("sub")), ada_.id.uuid());
    std::string new_kid;
    auto after = client_credentials(machine_, "read");
    verified(after->access_token, &new_kid);
    EXPECT_EQ(new_kid, rotation->promoted);
}

TEST_F(JwtAccessTokens, AJwtClientWithoutASignerIsAnInternalError) {
    TokenService opaque_only{store_, store_, catalog_, clock_, random_, digester_};
    TokenRequest r{"client_credentials"};
    r.scope = "read";
    auto refused = opaque_only.exchange(machine_, r);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code, Code::internal);
    EXPECT_TRUE(opaque_only.exchange(opaque_machine_, r).has_value());
}

}  // namespace
}  // namespace tessera::core
