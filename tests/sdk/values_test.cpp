// The SDK's small parts without a server: the retry decision table,
// Retry-After, base URLs, Range headers, Secret, Clearable, error text and
// error bodies of each surface.
#include <gtest/gtest.h>

#include <concepts>
#include <ostream>

#include "sdk/base_url.hpp"
#include "sdk/channel.hpp"
#include "sdk/codec.hpp"
#include "sdk/retry_policy.hpp"
#include "tessera/tessera.hpp"

namespace tessera::testing {
namespace {

using namespace std::chrono_literals;
using sdk::detail::AttemptOutcome;
using sdk::detail::HttpResponse;
using Stage = AttemptOutcome::Stage;

// Secret must not be streamable.
template <typename T>
concept Streamable = requires(std::ostream& out, const T& value) {
    out << value;
};
static_assert(!Streamable<sdk::Secret>);
static_assert(Streamable<std::string>);

HttpResponse answer(int status, std::vector<std::pair<std::string, std::string>> headers = {}) {
    return HttpResponse{status, std::move(headers), ""};
}

TEST(SdkRetryPolicy, DecisionTable) {
    sdk::Options options;
    options.retry_backoff = 100ms;
    options.max_retries = 2;
    options.max_retry_wait = 10s;
    sdk::ApiError network{.kind = sdk::ErrorKind::network, .message = "refused"};
    struct Case {
        const char* what;
        Stage stage;
        int status;
        std::vector<std::pair<std::string, std::string>> headers;
        bool idempotent;
        int attempt;
        bool permanent;
        std::optional<std::chrono::milliseconds> expected;  // with jitter 0: half the backoff
    };
    const std::vector<Case> cases = {
        {"connect refused, POST", Stage::not_sent, 0, {}, false, 0, false, 50ms},
        {"connect refused, second retry", Stage::not_sent, 0, {}, false, 1, false, 100ms},
        {"connect refused, out of retries", Stage::not_sent, 0, {}, true, 2, false, std::nullopt},
        {"certificate does not verify", Stage::not_sent, 0, {}, true, 0, true, std::nullopt},
        {"lost answer, GET", Stage::not_answered, 0, {}, true, 0, false, 50ms},
        {"lost answer, POST", Stage::not_answered, 0, {}, false, 0, false, std::nullopt},
        {"429 POST, no hint", Stage::answered, 429, {}, false, 0, false, 50ms},
        {"429 POST, Retry-After 2",
         Stage::answered,
         429,
         {{"retry-after", "2"}},
         false,
         0,
         false,
         2000ms},
        {"429, retry-after-ms wins",
         Stage::answered,
         429,
         {{"retry-after-ms", "250"}, {"retry-after", "2"}},
         false,
         0,
         false,
         250ms},
        {"429, Retry-After past the cap",
         Stage::answered,
         429,
         {{"retry-after", "60"}},
         true,
         0,
         false,
         std::nullopt},
        {"429, x-should-retry false",
         Stage::answered,
         429,
         {{"x-should-retry", "false"}},
         true,
         0,
         false,
         std::nullopt},
        {"503 GET", Stage::answered, 503, {}, true, 0, false, 50ms},
        {"503 GET, Retry-After 1",
         Stage::answered,
         503,
         {{"retry-after", "1"}},
         true,
         0,
         false,
         1000ms},
        {"503 POST", Stage::answered, 503, {}, false, 0, false, std::nullopt},
        {"502 DELETE", Stage::answered, 502, {}, true, 1, false, 100ms},
        {"504 GET", Stage::answered, 504, {}, true, 0, false, 50ms},
        {"408 GET", Stage::answered, 408, {}, true, 0, false, 50ms},
        {"500 GET", Stage::answered, 500, {}, true, 0, false, std::nullopt},
        {"409 POST", Stage::answered, 409, {}, false, 0, false, std::nullopt},
        {"404 GET", Stage::answered, 404, {}, true, 0, false, std::nullopt},
        {"200 GET", Stage::answered, 200, {}, true, 0, false, std::nullopt},
    };
    for (const auto& c : cases) {
        HttpResponse response = answer(c.status, c.headers);
        AttemptOutcome outcome{c.stage, c.stage == Stage::answered ? &response : nullptr,
                               c.stage == Stage::answered ? nullptr : &network, c.permanent};
        EXPECT_EQ(sdk::detail::retry_delay(outcome, c.idempotent, c.attempt, options, 0.0),
                  c.expected)
            << c.what;
    }
}

TEST(SdkRetryPolicy, JitterStaysWithinTheBackoff) {
    sdk::Options options;
    options.retry_backoff = 100ms;
    HttpResponse response = answer(503);
    AttemptOutcome outcome{Stage::answered, &response, nullptr, false};
    for (double jitter : {0.0, 0.3, 0.999}) {
        auto wait = sdk::detail::retry_delay(outcome, true, 1, options, jitter);
        ASSERT_TRUE(wait);
        EXPECT_GE(*wait, 100ms);
        EXPECT_LE(*wait, 200ms);
    }
}

TEST(SdkRetryPolicy, RetryAfterValues) {
    auto now = std::chrono::system_clock::from_time_t(784111777);  // Sun, 06 Nov 1994 08:49:37 GMT
    using sdk::detail::parse_retry_after;
    EXPECT_EQ(parse_retry_after("0", now), 0s);
    EXPECT_EQ(parse_retry_after(" 120 ", now), 120s);
    EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:50:37 GMT", now), 60s);
    EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:40:37 GMT", now), 0s);  // in the past
    EXPECT_EQ(parse_retry_after("", now), std::nullopt);
    EXPECT_EQ(parse_retry_after("-5", now), std::nullopt);
    EXPECT_EQ(parse_retry_after("soon", now), std::nullopt);
    EXPECT_EQ(parse_retry_after("12abc", now), std::nullopt);
}

TEST(SdkBaseUrl, GoodAndBadUrls) {
    struct Good {
        const char* url;
        bool tls;
        const char* host;
        const char* port;
        const char* host_header;
        const char* prefix;
    };
    for (const auto& g : std::vector<Good>{
             {"http://127.0.0.1:8080", false, "127.0.0.1", "8080", "127.0.0.1:8080", ""},
             {"https://id.example.com", true, "id.example.com", "443", "id.example.com", ""},
             {"https://id.example.com/", true, "id.example.com", "443", "id.example.com", ""},
             {"https://x.example:8443/tessera/", true, "x.example", "8443", "x.example:8443",
              "/tessera"},
             {"http://[::1]:9000", false, "::1", "9000", "[::1]:9000", ""},
             {"HTTP://Example.COM", false, "Example.COM", "80", "Example.COM", ""},
         }) {
        auto parsed = sdk::detail::parse_base_url(g.url);
        ASSERT_TRUE(parsed) << g.url << ": " << parsed.error().message;
        EXPECT_EQ(parsed->is_tls, g.tls) << g.url;
        EXPECT_EQ(parsed->host, g.host) << g.url;
        EXPECT_EQ(parsed->port, g.port) << g.url;
        EXPECT_EQ(parsed->host_header, g.host_header) << g.url;
        EXPECT_EQ(parsed->prefix, g.prefix) << g.url;
    }
    for (const char* bad : {"", "example.com", "ftp://example.com", "http://", "http://u:p@h/",
                            "http://h/?x=1", "http://h/#f", "http://h:0/", "https://h:/"}) {
        auto parsed = sdk::detail::parse_base_url(bad);
        ASSERT_FALSE(parsed) << bad;
        EXPECT_EQ(parsed.error().kind, sdk::ErrorKind::usage) << bad;
    }
    EXPECT_EQ(sdk::detail::percent_encode("a/b c~_.-%"), "a%2Fb%20c~_.-%25");
}

TEST(SdkRange, Headers) {
    EXPECT_EQ(sdk::Range{}.header(), "id ..; max=1000");
    EXPECT_EQ((sdk::Range{.field = "name", .max = 50, .descending = true}.header()),
              "name ..; max=50, order=desc");
}

TEST(SdkSecret, ComparesAndMasks) {
    sdk::Secret a("tcs_abcdef"), b("tcs_abcdef"), c("tcs_abcdeg"), d("tcs");
    EXPECT_TRUE(a == b);
    EXPECT_FALSE(a == c);
    EXPECT_FALSE(a == d);
    EXPECT_EQ(a.masked(), "tcs_…");
    EXPECT_EQ(d.masked(), "***");
    EXPECT_EQ(sdk::Secret().masked(), "");
    EXPECT_EQ(a.reveal(), "tcs_abcdef");
}

TEST(SdkClearable, ThreeStates) {
    sdk::Clearable<std::string> absent;
    sdk::Clearable<std::string> cleared = sdk::null;
    sdk::Clearable<std::string> set = "https://example.com";
    EXPECT_TRUE(absent.is_absent());
    EXPECT_TRUE(cleared.is_null());
    EXPECT_TRUE(set.has_value());
    EXPECT_EQ(set.value(), "https://example.com");
    EXPECT_THROW((void)cleared.value(), std::logic_error);
}

TEST(SdkErrors, EachSurfacesErrorBodyIsRead) {
    using sdk::detail::error_from_response;
    auto heroku = error_from_response(
        {404,
         {{"request-id", "r1"}},
         R"({"id":"not_found","message":"Couldn't find that session.","resource":"session"})"});
    EXPECT_EQ(heroku.status, 404);
    EXPECT_EQ(heroku.id, "not_found");
    EXPECT_EQ(heroku.message, "Couldn't find that session.");
    EXPECT_EQ(heroku.resource, "session");
    EXPECT_EQ(heroku.request_id, "r1");
    EXPECT_EQ(heroku.to_string(), "404 not_found: Couldn't find that session. (request id r1)");

    auto cloudflare = error_from_response(
        {400,
         {},
         R"({"success":false,"errors":[{"code":1003,"message":"bad uri","source":{"pointer":"/redirect_uris/0"}},)"
         R"({"code":6003,"message":"Invalid request headers","error_chain":[{"code":6111,"message":"Invalid format"}]}],)"
         R"("messages":[],"result":null})"});
    EXPECT_EQ(cloudflare.code, 1003);
    EXPECT_EQ(cloudflare.message, "bad uri");
    ASSERT_EQ(cloudflare.details.size(), 2u);
    EXPECT_EQ(cloudflare.details[0].pointer, "/redirect_uris/0");
    ASSERT_EQ(cloudflare.details[1].error_chain.size(), 1u);
    EXPECT_EQ(cloudflare.details[1].error_chain[0].code, 6111);
    EXPECT_EQ(cloudflare.to_string(), "400 (code 1003): bad uri; Invalid request headers");

    auto oauth = error_from_response(
        {429, {{"retry-after", "7"}}, R"({"error":"slow_down","error_description":"wait"})"});
    EXPECT_EQ(oauth.id, "slow_down");
    EXPECT_EQ(oauth.message, "wait");
    EXPECT_EQ(oauth.retry_after, 7s);

    auto html = error_from_response({502, {}, "<html></html>"});
    EXPECT_EQ(html.status, 502);
    EXPECT_EQ(html.message, "the server's answer is not JSON");
    sdk::ApiError tls{.kind = sdk::ErrorKind::tls, .message = "bad cert"};
    EXPECT_EQ(tls.to_string(), "tls: bad cert");

    // RFC 6750 §3: a bearer error told only in the challenge.
    auto bearer = error_from_response(
        {401,
         {{"www-authenticate",
           R"(Bearer realm="tessera", error="invalid_token", error_description="expired")"}},
         ""});
    EXPECT_EQ(bearer.id, "invalid_token");
    EXPECT_EQ(bearer.message, "expired");
    auto bare = error_from_response({401, {{"www-authenticate", R"(Bearer realm="x")"}}, ""});
    EXPECT_EQ(bare.id, "");
    EXPECT_EQ(bare.message, R"(the server asks for credentials: Bearer realm="x")");
    // An error the server sent through the browser has no status.
    sdk::ApiError denied{.kind = sdk::ErrorKind::api, .id = "access_denied", .message = "no"};
    EXPECT_EQ(denied.to_string(), "access_denied: no");
}

TEST(SdkRegistrationCodec, SendsOnlyWhatIsSetAndReadsNewerValues) {
    EXPECT_EQ(sdk::detail::body_of(sdk::ClientMetadata{}), "{}");
    sdk::ClientMetadata m{.response_types = std::vector<std::string>{"code id_token"},
                          .client_name = "A",
                          .id_token_signed_response_alg = "EdDSA"};
    EXPECT_EQ(sdk::detail::body_of(m, "id-1", sdk::Secret("s")),
              R"({"client_id":"id-1","client_secret":"s","client_name":"A",)"
              R"("response_types":["code id_token"],"id_token_signed_response_alg":"EdDSA"})");
    // A server that stores more response types and algorithms: read as is.
    const std::string body =
        R"({"client_id":"id-1","client_id_issued_at":1,"registration_access_token":"tra_x",)"
        R"("registration_client_uri":"https://id/oauth/register/id-1","client_name":"A",)"
        R"("redirect_uris":["https://a/cb"],"grant_types":["authorization_code","implicit"],)"
        R"("response_types":["code id_token","id_token token"],)"
        R"("token_endpoint_auth_method":"none","access_token_format":"opaque",)"
        R"("id_token_signed_response_alg":"RS256"})";
    auto json = sdk::detail::parse_json(body);
    ASSERT_TRUE(json);
    auto read = sdk::detail::decode<sdk::ClientRegistration>(*json, "registration");
    ASSERT_TRUE(read) << read.error().to_string();
    EXPECT_EQ(read->response_types, (std::vector<std::string>{"code id_token", "id_token token"}));
    EXPECT_EQ(read->id_token_signed_response_alg, "RS256");
    EXPECT_FALSE(read->client_secret_expires_at);
    EXPECT_EQ(sdk::to_json(*read), body);
    auto missing = sdk::detail::parse_json(R"({"client_id":"x"})");
    auto broken = sdk::detail::decode<sdk::ClientRegistration>(*missing, "registration");
    ASSERT_FALSE(broken);
    EXPECT_EQ(broken.error().kind, sdk::ErrorKind::protocol);
}

}  // namespace
}  // namespace tessera::testing
