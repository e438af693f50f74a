// The implicit and hybrid response types and the response modes (OpenID
// Connect Core §3.2, §3.3; OAuth 2.0 Multiple Response Type Encoding
// Practices; Form Post Response Mode), on a real SqliteStore(":memory:")
// with a fake clock.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "base/encoding.hpp"
#include "base/fake_clock.hpp"
#include "core/accounts/user_service.hpp"
#include "core/clients/client_service.hpp"
#include "core/oauth/authorize/authorization_endpoint.hpp"
#include "core/oauth/authorize/front_channel_tokens.hpp"
#include "core/oauth/introspection.hpp"
#include "core/oauth/token/token_service.hpp"
#include "crypto/digest.hpp"
#include "crypto/jws.hpp"
#include "storage/sqlite/memory_store.hpp"

namespace tessera::core {
namespace {

namespace json = boost::json;
using Params = std::vector<std::pair<std::string, std::string>>;

std::string text(const json::value& v) {
    return v.is_string() ? std::string(v.as_string()) : json::serialize(v);
}

std::string decode(std::string_view part) {
    auto bytes = base64url_decode(part);
    return bytes ? std::string(bytes->begin(), bytes->end()) : std::string();
}

std::string param(const Params& params, std::string_view name) {
    for (const auto& [n, v] : params)
        if (n == name) return v;
    return "";
}

std::vector<std::string> names(const Params& params) {
    std::vector<std::string> out;
    for (const auto& p : params) out.push_back(p.first);
    return out;
}

TEST(ResponseType, ParsesCombinationsInAnyOrder) {
    struct Case {
        const char* text;
        std::optional<std::string> name;
    };
    for (const auto& c : {
             Case{"code", "code"},
             Case{"token", "token"},
             Case{"id_token", "id_token"},
             Case{"id_token token", "id_token token"},
             Case{"token id_token", "id_token token"},
             Case{"id_token code", "code id_token"},
             Case{"token id_token code", "code id_token token"},
             Case{"", std::nullopt},
             Case{"none", std::nullopt},
             Case{"code none", std::nullopt},
             Case{"code code", std::nullopt},
             Case{"code  token", std::nullopt},
             Case{" code", std::nullopt},
             Case{"code ", std::nullopt},
             Case{"CODE", std::nullopt},
             Case{"code+token", std::nullopt},
         }) {
        auto parsed = parse_response_type(c.text);
        EXPECT_EQ(parsed.has_value(), c.name.has_value()) << c.text;
        if (parsed && c.name) {
            EXPECT_EQ(parsed->name(), *c.name) << c.text;
        }
    }
}

TEST(ResponseType, ModesDefaultByWhatTheAnswerCarries) {
    EXPECT_EQ(default_response_mode({.code = true}), ResponseMode::query);
    EXPECT_EQ(default_response_mode({.code = true, .id_token = true}), ResponseMode::fragment);
    EXPECT_EQ(default_response_mode({.token = true}), ResponseMode::fragment);
    EXPECT_EQ(parse_response_mode("form_post"), ResponseMode::form_post);
    EXPECT_FALSE(parse_response_mode("web_message").has_value());
    EXPECT_FALSE(parse_response_mode("Query").has_value());

    AuthorizationResponse answer{"https://app.example.com/cb?x=1",
                                 ResponseMode::fragment,
                                 {{"code", "a b"}, {"state", "s&t"}}};
    EXPECT_EQ(answer.location(), "https://app.example.com/cb?x=1#code=a+b&state=s%26t");
    answer.mode = ResponseMode::query;
    EXPECT_EQ(answer.location(), "https://app.example.com/cb?x=1&code=a+b&state=s%26t");
    answer.mode = ResponseMode::form_post;
    EXPECT_EQ(answer.location(), "");
}

TEST(ResponseType, ClientsMayUseOnlyWhatTheyRegistered) {
    Client legacy;  // stored before response_types was kept
    legacy.grant_types = {"authorization_code"};
    EXPECT_TRUE(client_allows_response_type(legacy, {.code = true}));
    EXPECT_FALSE(client_allows_response_type(legacy, {.code = true, .id_token = true}));

    Client hybrid;
    hybrid.grant_types = {"authorization_code", "implicit"};
    hybrid.response_types = {"code", "id_token code"};
    EXPECT_TRUE(client_allows_response_type(hybrid, {.code = true}));
    EXPECT_TRUE(client_allows_response_type(hybrid, {.code = true, .id_token = true}));
    EXPECT_FALSE(client_allows_response_type(hybrid, {.id_token = true}));
    EXPECT_FALSE(client_allows_response_type(hybrid, {.code = true, .token = true}));

    // Cloudflare-surface clients list single values and have no implicit
    // grant: they stay on the code flow.
    Client listed;
    listed.grant_types = {"authorization_code", "refresh_token"};
    listed.response_types = {"code", "token", "id_token"};
    EXPECT_TRUE(client_allows_response_type(listed, {.code = true}));
    EXPECT_FALSE(client_allows_response_type(listed, {.token = true}));
    EXPECT_FALSE(client_allows_response_type(listed, {.id_token = true}));

    Client machine;
    machine.grant_types = {"client_credentials"};
    EXPECT_FALSE(client_allows_response_type(machine, {.code = true}));
}

class FrontChannel : public ::testing::Test {
protected:
    FrontChannel() {
        EXPECT_TRUE(keys_.ensure_key().has_value());
        ada_ = *users_.create({"ada@example.com", "correct horse battery", "Ada"});
        hybrid_ = add_client(std::vector<std::string>{"code", "code id_token", "code token",
                                                      "code id_token token", "id_token",
                                                      "id_token token", "token"});
        plain_ = add_client(std::nullopt);
    }

    ClientWithSecret add_client(std::optional<std::vector<std::string>> response_types) {
        NewOAuthClient input{ada_.id,
                             ada_.account_id,
                             "App",
                             {"https://app.example.com/cb"},
                             {"authorization_code", "refresh_token"},
                             {},
                             "client_secret_basic",
                             "rotate"};
        if (response_types) {
            input.grant_types.push_back("implicit");
            input.response_types = std::move(response_types);
        }
        auto created = clients_.register_client(input, catalog_);
        EXPECT_TRUE(created.has_value()) << created.error().description;
        return std::move(*created);
    }

    AuthorizeParams params(const ClientWithSecret& c, std::string response_type) {
        AuthorizeParams p;
        p.client_id = c.client.id.uuid();
        p.response_type = std::move(response_type);
        p.scope = "openid email";
        p.state = "xyz";
        p.nonce = "n-0S6";
        return p;
    }

    AuthorizeCheck check(const AuthorizeParams& p) {
        auto checked = endpoint_.check(p);
        EXPECT_TRUE(checked.has_value());
        return std::move(*checked);
    }

    AuthorizationResponse approve(const AuthorizeParams& p) {
        auto checked = check(p);
        EXPECT_TRUE(checked.request.has_value())
            << (checked.error ? checked.error->description : "");
        auto answer = endpoint_.approve(ada_.id, clock_.now() - 5, *checked.request);
        EXPECT_TRUE(answer.has_value()) << answer.error().description;
        return std::move(*answer);
    }

    // The ID token's header and claims, its signature checked against the
    // published key it names.
    std::pair<json::object, json::object> verified(const std::string& id_token) {
        auto parts = crypto::split_compact(id_token);
        EXPECT_TRUE(parts.has_value());
        if (!parts) return {};
        auto header = json::parse(decode(parts->header)).as_object();
        auto key = keys_.published_key(text(header.at("kid")));
        EXPECT_TRUE(key.has_value());
        if (!key) return {};
        EXPECT_TRUE((*key)->verify(std::string(parts->header) + "." + std::string(parts->payload),
                                   decode(parts->signature)));
        return {header, json::parse(decode(parts->payload)).as_object()};
    }

    FakeClock clock_;
    SeededRandom random_{63};
    crypto::Digester digester_{Secret(std::string(32, 'k'))};
    crypto::SecretBox sealer_{Secret(std::string(32, 's'))};
    ScopeCatalog catalog_ = ScopeCatalog::heroku_default();
    storage::sqlite::MemoryStore memory_;
    storage::sqlite::SqliteStore& store_ = memory_.store();
    KeyRing keys_{store_, sealer_, clock_, random_};
    UserService users_{store_, clock_, random_};
    ClientService clients_{store_, clock_, random_, digester_, nullptr, &keys_};
    IdTokenIssuer issuer_{"https://id.example.com", keys_, store_, clock_, 3600};
    FrontChannelTokens front_{store_, issuer_, random_, digester_, 3600};
    AuthorizationEndpoint endpoint_{"https://id.example.com",
                                    store_,
                                    store_,
                                    catalog_,
                                    clock_,
                                    random_,
                                    digester_,
                                    {},
                                    nullptr,
                                    &front_};
    TokenService tokens_{store_, store_, catalog_, clock_, random_, digester_, {}, &issuer_};
    Introspector introspector_{store_, store_, store_, store_, clock_, digester_};
    User ada_;
    ClientWithSecret hybrid_, plain_;
};

TEST_F(FrontChannel, CodeIdTokenReturnsBothInTheFragmentWithCHash) {
    auto answer = approve(params(hybrid_, "code id_token"));
    EXPECT_EQ(answer.mode, ResponseMode::fragment);
    EXPECT_EQ(names(answer.params),
              (std::vector<std::string>{"code", "id_token", "state", "iss"}));
    std::string code = param(answer.params, "code");
    EXPECT_TRUE(answer.location().starts_with("https://app.example.com/cb#code=tac_"));

    auto [header, claims] = verified(param(answer.params, "id_token"));
    EXPECT_EQ(text(header.at("alg")), "ES256");
    EXPECT_EQ(text(claims.at("iss")), "https://id.example.com");
    EXPECT_EQ(text(claims.at("aud")), hybrid_.client.id.uuid());
    EXPECT_EQ(text(claims.at("sub")), ada_.id.uuid());
    EXPECT_EQ(text(claims.at("nonce")), "n-0S6");
    EXPECT_EQ(claims.at("auth_time"), clock_.now() - 5);
    EXPECT_EQ(text(claims.at("c_hash")), crypto::left_half_hash(crypto::JwsAlgorithm::ES256, code));
    EXPECT_FALSE(claims.contains("at_hash"));

    // The code is an ordinary code: its exchange gives a second ID token
    // with the same nonce (Core §3.3.3.6), and a refresh token.
    TokenRequest r{"authorization_code"};
    r.code = code;
    auto exchanged = tokens_.exchange(hybrid_.client, r);
    ASSERT_TRUE(exchanged.has_value()) << exchanged.error().description;
    EXPECT_TRUE(exchanged->refresh_token.has_value());
    auto second = verified(*exchanged->id_token).second;
    EXPECT_EQ(text(second.at("nonce")), "n-0S6");
    EXPECT_FALSE(second.contains("c_hash"));
}

TEST_F(FrontChannel, IdTokenTokenReturnsAnAccessTokenWithoutRefresh) {
    auto answer = approve(params(hybrid_, "token id_token"));
    EXPECT_EQ(names(answer.params),
              (std::vector<std::string>{"access_token", "token_type", "expires_in", "scope",
                                        "id_token", "state", "iss"}));
    EXPECT_EQ(param(answer.params, "token_type"), "Bearer");
    EXPECT_EQ(param(answer.params, "expires_in"), "3600");
    EXPECT_EQ(param(answer.params, "scope"), "openid email");
    std::string access = param(answer.params, "access_token");
    auto claims = verified(param(answer.params, "id_token")).second;
    EXPECT_EQ(text(claims.at("at_hash")),
              crypto::left_half_hash(crypto::JwsAlgorithm::ES256, access));
    EXPECT_FALSE(claims.contains("c_hash"));
    EXPECT_EQ(text(claims.at("email")), "ada@example.com");

    // A live token of this user and client, with no session behind it.
    auto seen = introspector_.introspect(hybrid_.client, access);
    ASSERT_TRUE(seen.has_value());
    EXPECT_TRUE(seen->active);
    EXPECT_EQ(seen->user_id, ada_.id);
    EXPECT_EQ(seen->client_id, hybrid_.client.id);
    EXPECT_EQ(seen->scope, (std::vector<std::string>{"openid", "email"}));
    EXPECT_EQ(seen->expires_at, clock_.now() + 3600);
    clock_.advance(3600);
    EXPECT_FALSE(introspector_.introspect(hybrid_.client, access)->active);
}

TEST_F(FrontChannel, TokenAloneNeedsNoOpenIdAndIdTokenAloneIssuesNothingElse) {
    auto p = params(hybrid_, "token");
    p.scope = "read";
    p.nonce.reset();
    auto token = approve(p);
    EXPECT_EQ(names(token.params), (std::vector<std::string>{"access_token", "token_type",
                                                             "expires_in", "scope", "state",
                                                             "iss"}));

    auto only = approve(params(hybrid_, "id_token"));
    EXPECT_EQ(names(only.params), (std::vector<std::string>{"id_token", "state", "iss"}));
    auto claims = verified(param(only.params, "id_token")).second;
    EXPECT_FALSE(claims.contains("at_hash") || claims.contains("c_hash"));

    auto all = approve(params(hybrid_, "code id_token token"));
    EXPECT_EQ(names(all.params),
              (std::vector<std::string>{"code", "access_token", "token_type", "expires_in",
                                        "scope", "id_token", "state", "iss"}));
    auto both = verified(param(all.params, "id_token")).second;
    EXPECT_TRUE(both.contains("at_hash") && both.contains("c_hash"));
}

TEST_F(FrontChannel, RequestErrorsTravelInTheResponseMode) {
    struct Case {
        const char* response_type;
        std::function<void(AuthorizeParams&)> change;
        Code code;
        std::string description;
        ResponseMode mode;
    };
    const std::vector<Case> cases = {
        {"code id_token", [](auto& p) { p.nonce.reset(); }, Code::invalid_request,
         "nonce is required when the response_type has id_token", ResponseMode::fragment},
        {"id_token", [](auto& p) { p.nonce = ""; }, Code::invalid_request,
         "nonce is required when the response_type has id_token", ResponseMode::fragment},
        {"id_token token", [](auto& p) { p.scope = "email"; }, Code::invalid_request,
         "response_type id_token needs the openid scope", ResponseMode::fragment},
        {"code id_token", [](auto& p) { p.response_mode = "query"; }, Code::invalid_request,
         "response_mode query cannot carry tokens: use fragment or form_post",
         ResponseMode::fragment},
        {"token", [](auto& p) { p.response_mode = "form_post"; p.nonce.reset(); p.scope = "bad"; },
         Code::invalid_scope, "the client may not request the scope 'bad'",
         ResponseMode::form_post},
        {"code", [](auto& p) { p.response_mode = "jwt"; }, Code::invalid_request,
         "response_mode must be query, fragment or form_post", ResponseMode::query},
        {"code none", [](auto&) {}, Code::unsupported_response_type,
         "the response_type is not supported", ResponseMode::query},
        {"code none", [](auto& p) { p.response_mode = "form_post"; },
         Code::unsupported_response_type, "the response_type is not supported",
         ResponseMode::form_post},
    };
    for (std::size_t i = 0; i < cases.size(); ++i) {
        auto p = params(hybrid_, cases[i].response_type);
        cases[i].change(p);
        auto r = check(p);
        EXPECT_FALSE(r.request) << i;
        ASSERT_TRUE(r.error) << i;
        EXPECT_EQ(r.error->code, cases[i].code) << i;
        EXPECT_EQ(r.error->description, cases[i].description) << i;
        EXPECT_EQ(r.response_mode, cases[i].mode) << i;
        EXPECT_EQ(r.redirect_uri, "https://app.example.com/cb") << i;
    }
    auto answer = endpoint_.error_response("https://app.example.com/cb", ResponseMode::fragment,
                                           make_error(Code::access_denied, "no"), "s");
    EXPECT_EQ(answer.location(),
              "https://app.example.com/cb#error=access_denied&error_description=no&state=s&iss="
              "https%3A%2F%2Fid.example.com");
}

TEST_F(FrontChannel, OffUnlessTheClientRegisteredTheCombination) {
    for (const char* type : {"id_token", "token", "code id_token", "id_token token"}) {
        auto r = check(params(plain_, type));
        ASSERT_TRUE(r.error) << type;
        EXPECT_EQ(r.error->code, Code::unauthorized_client) << type;
        EXPECT_EQ(r.error->description,
                  "the client is not registered for the response_type " +
                      parse_response_type(type)->name());
        EXPECT_EQ(r.response_mode, ResponseMode::fragment) << type;
    }
    // The code flow is unchanged: query by default, form_post on request.
    auto code = approve(params(plain_, "code"));
    EXPECT_EQ(code.mode, ResponseMode::query);
    EXPECT_EQ(names(code.params), (std::vector<std::string>{"code", "state", "iss"}));
    auto p = params(plain_, "code");
    p.response_mode = "form_post";
    EXPECT_EQ(approve(p).mode, ResponseMode::form_post);

    // Without FrontChannelTokens no type that returns tokens is offered.
    AuthorizationEndpoint code_only{"https://id.example.com", store_, store_, catalog_,
                                    clock_, random_, digester_};
    auto refused = code_only.check(params(hybrid_, "code id_token"));
    EXPECT_EQ(refused->error->code, Code::unsupported_response_type);
}

TEST_F(FrontChannel, IdTokensUseTheClientsAlgorithm) {
    ASSERT_TRUE(keys_.rotate(crypto::JwsAlgorithm::RS256).has_value());
    auto p = params(hybrid_, "code id_token");
    hybrid_.client.id_token_signed_response_alg = "RS256";
    ASSERT_TRUE(store_.update_client(hybrid_.client).has_value());
    auto answer = approve(p);
    auto [header, claims] = verified(param(answer.params, "id_token"));
    EXPECT_EQ(text(header.at("alg")), "RS256");
    EXPECT_EQ(text(header.at("kid")), keys_.current(crypto::JwsAlgorithm::RS256)->kid);
    EXPECT_EQ(text(claims.at("c_hash")),
              crypto::left_half_hash(crypto::JwsAlgorithm::RS256, param(answer.params, "code")));

    // A line with no current key: nothing is issued.
    hybrid_.client.id_token_signed_response_alg = "EdDSA";
    ASSERT_TRUE(store_.update_client(hybrid_.client).has_value());
    auto checked = check(p);
    ASSERT_TRUE(checked.request.has_value());
    auto failed = endpoint_.approve(ada_.id, clock_.now(), *checked.request);
    ASSERT_FALSE(failed.has_value());
    EXPECT_EQ(failed.error().code, Code::unavailable);
}

}  // namespace
}  // namespace tessera::core
