// The SDK's transport against a scripted loopback server: connection reuse,
// timeouts, which failures are retried and which are not, the headers sent,
// Range pagination's loop guard and answers that are not JSON.
#include <gtest/gtest.h>

#include <chrono>

#include "sdk/scripted_server.hpp"
#include "tessera/tessera.hpp"

namespace tessera::testing {
namespace {

using Reply = ScriptedServer::Reply;

const std::string kAccount =
    R"({"created_at":"2026-01-01T12:00:00Z","email":"a@example.com","id":"01234567-89ab-cdef-0123-456789abcdef","name":null,"updated_at":"2026-01-01T12:00:00Z"})";
const std::string kClient =
    R"({"created_at":"2026-01-01T12:00:00Z","id":"01234567-89ab-cdef-0123-456789abcdef","ignores_delinquent":null,"name":"x","redirect_uri":"https://example.com/cb","secret":"s3cret","updated_at":"2026-01-01T12:00:00Z"})";
const std::string kRequestId = "Request-Id: 11111111-2222-3333-4444-555555555555";

sdk::Options fast(int retries = 2) {
    sdk::Options options;
    options.max_retries = retries;
    options.retry_backoff = std::chrono::milliseconds(1);
    options.max_retry_wait = std::chrono::seconds(5);
    options.request_timeout = std::chrono::milliseconds(2000);
    return options;
}

sdk::Api api_for(const ScriptedServer& server, sdk::Options options = fast()) {
    return sdk::Api(server.url(), sdk::Credentials::token(sdk::Secret("HRKU-test")), options);
}

Reply ok(const std::string& body, std::vector<std::string> headers = {}) {
    headers.push_back("Content-Type: application/json");
    headers.push_back(kRequestId);
    return {ScriptedServer::response(200, body, headers)};
}

Reply status(int code, std::vector<std::string> headers = {}) {
    headers.push_back("Content-Type: application/json");
    headers.push_back(kRequestId);
    return {ScriptedServer::response(code, R"({"id":"x","message":"scripted"})", headers)};
}

sdk::OAuthClientCreate a_client() { return {"x", "https://example.com/cb"}; }

TEST(SdkTransport, ReusesOneKeepAliveConnection) {
    ScriptedServer server([](const std::string&, int) { return ok(kAccount); });
    auto api = api_for(server);
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(api.account().info());
    EXPECT_EQ(server.connections(), 1);
    EXPECT_EQ(server.requests().size(), 5u);
}

TEST(SdkTransport, ConnectionCloseIsHonoured) {
    ScriptedServer server([](const std::string&, int) {
        return Reply{ScriptedServer::response(200, kAccount, {"Connection: close"}), true};
    });
    auto api = api_for(server);
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(api.account().info());
    EXPECT_EQ(server.connections(), 3);
}

TEST(SdkTransport, AConnectionTheServerClosedIsNotReused) {
    // The server closes after answering although the answer allowed keep-alive.
    ScriptedServer server([](const std::string&, int) {
        Reply reply = ok(kAccount);
        reply.close_after = true;
        return reply;
    });
    auto api = api_for(server, fast(0));
    ASSERT_TRUE(api.account().info());
    ASSERT_TRUE(api.account().info());  // no retry budget: the stale one was not used
    EXPECT_EQ(server.connections(), 2);
    EXPECT_EQ(server.requests().size(), 2u);
}

TEST(SdkTransport, SendsTheHerokuHeaders) {
    ScriptedServer server([](const std::string&, int) {
        return Reply{ScriptedServer::response(201, kClient, {"Content-Type: application/json"})};
    });
    ASSERT_TRUE(api_for(server).oauth().clients().create(a_client()));
    auto request = server.requests().at(0);
    EXPECT_TRUE(request.starts_with("POST /oauth/clients HTTP/1.1\r\n")) << request;
    EXPECT_NE(request.find("Host: 127.0.0.1:" + std::to_string(server.port()) + "\r\n"),
              std::string::npos);
    EXPECT_NE(request.find("Accept: application/vnd.heroku+json; version=3\r\n"),
              std::string::npos);
    EXPECT_NE(request.find("Authorization: Bearer HRKU-test\r\n"), std::string::npos);
    EXPECT_NE(request.find("Content-Type: application/json\r\n"), std::string::npos);
    EXPECT_NE(request.find("User-Agent: tessera-sdk/0.1.0\r\n"), std::string::npos);
    EXPECT_TRUE(request.ends_with(R"({"name":"x","redirect_uri":"https://example.com/cb"})"));
}

TEST(SdkTransport, PathSegmentsArePercentEncoded) {
    ScriptedServer server([](const std::string&, int) { return ok(kClient); });
    ASSERT_TRUE(api_for(server).oauth().clients("a/b c").info());
    EXPECT_TRUE(server.requests().at(0).starts_with("GET /oauth/clients/a%2Fb%20c HTTP/1.1\r\n"));
}

TEST(SdkTransport, A429IsRetriedEvenForAPostAfterRetryAfter) {
    ScriptedServer server([](const std::string&, int index) {
        if (index == 0) return status(429, {"Retry-After: 0"});
        return Reply{ScriptedServer::response(201, kClient, {"Content-Type: application/json"})};
    });
    auto created = api_for(server).oauth().clients().create(a_client());
    ASSERT_TRUE(created) << created.error().to_string();
    EXPECT_EQ(server.requests().size(), 2u);
}

TEST(SdkTransport, RetryAfterMsIsWaitedFor) {
    ScriptedServer server([](const std::string&, int index) {
        if (index == 0) return status(429, {"retry-after-ms: 150"});
        return ok(kAccount);
    });
    auto start = std::chrono::steady_clock::now();
    ASSERT_TRUE(api_for(server).account().info());
    EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(150));
}

TEST(SdkTransport, ARetryAfterLongerThanTheCapIsReportedNotWaitedFor) {
    ScriptedServer server(
        [](const std::string&, int) { return status(429, {"Retry-After: 120"}); });
    auto result = api_for(server).account().info();
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().status, 429);
    ASSERT_TRUE(result.error().retry_after);
    EXPECT_EQ(result.error().retry_after->count(), 120);
    EXPECT_EQ(result.error().request_id, "11111111-2222-3333-4444-555555555555");
    EXPECT_EQ(server.requests().size(), 1u);
}

TEST(SdkTransport, XShouldRetryFalseStopsRetries) {
    ScriptedServer server(
        [](const std::string&, int) { return status(429, {"x-should-retry: false"}); });
    EXPECT_FALSE(api_for(server).account().info());
    EXPECT_EQ(server.requests().size(), 1u);
}

TEST(SdkTransport, A503IsRetriedForAGetUpToTheLimit) {
    ScriptedServer server(
        [](const std::string&, int index) { return index < 2 ? status(503) : ok(kAccount); });
    ASSERT_TRUE(api_for(server).account().info());
    EXPECT_EQ(server.requests().size(), 3u);

    ScriptedServer always([](const std::string&, int) { return status(503); });
    auto result = api_for(always).account().info();
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().status, 503);
    EXPECT_EQ(always.requests().size(), 3u);  // the first and max_retries more
}

TEST(SdkTransport, A503IsNotRetriedForAPost) {
    ScriptedServer server([](const std::string&, int) { return status(503); });
    auto result = api_for(server).oauth().clients().create(a_client());
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().status, 503);
    EXPECT_EQ(result.error().id, "x");
    EXPECT_EQ(result.error().message, "scripted");
    EXPECT_EQ(server.requests().size(), 1u);
}

TEST(SdkTransport, ALostAnswerIsRetriedOnlyForIdempotentRequests) {
    ScriptedServer server([](const std::string&, int) { return Reply{"", false, false, true}; });
    auto post = api_for(server).oauth().clients().create(a_client());
    ASSERT_FALSE(post);
    EXPECT_EQ(post.error().kind, sdk::ErrorKind::network) << post.error().to_string();
    EXPECT_EQ(server.requests().size(), 1u);

    auto get = api_for(server).account().info();
    ASSERT_FALSE(get);
    EXPECT_EQ(get.error().kind, sdk::ErrorKind::network);
    EXPECT_EQ(server.requests().size(), 4u);  // 1 + 3 attempts
}

TEST(SdkTransport, ASilentServerTimesOut) {
    ScriptedServer server([](const std::string&, int) { return Reply{"", false, true}; });
    auto options = fast(0);
    options.request_timeout = std::chrono::milliseconds(200);
    auto start = std::chrono::steady_clock::now();
    auto result = api_for(server, options).account().info();
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().kind, sdk::ErrorKind::timeout) << result.error().to_string();
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

TEST(SdkTransport, ASuccessThatIsNotJsonIsAProtocolError) {
    ScriptedServer server([](const std::string&, int) {
        return Reply{ScriptedServer::response(200, "<html>hi</html>", {kRequestId})};
    });
    auto result = api_for(server).account().info();
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().kind, sdk::ErrorKind::protocol);
    EXPECT_EQ(result.error().request_id, "11111111-2222-3333-4444-555555555555");
}

TEST(SdkTransport, AnAnswerOfTheWrongShapeIsAProtocolError) {
    ScriptedServer server([](const std::string&, int) { return ok(R"({"email":42})"); });
    auto result = api_for(server).account().info();
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().kind, sdk::ErrorKind::protocol);
    EXPECT_NE(result.error().message.find("account."), std::string::npos) << result.error().message;
    EXPECT_EQ(result.error().request_id, "11111111-2222-3333-4444-555555555555");
}

TEST(SdkTransport, AnErrorThatIsNotJsonKeepsItsStatus) {
    ScriptedServer server([](const std::string&, int) {
        return Reply{ScriptedServer::response(502, "<html>bad gateway</html>", {})};
    });
    auto result = api_for(server).oauth().clients().create(a_client());
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().kind, sdk::ErrorKind::api);
    EXPECT_EQ(result.error().status, 502);
    EXPECT_EQ(result.error().message, "the server's answer is not JSON");
}

TEST(SdkTransport, ListFollowsNextRangeVerbatimAndStopsALoop) {
    ScriptedServer server([](const std::string& request, int index) {
        if (index == 0) {
            EXPECT_NE(request.find("Range: id ..; max=1000\r\n"), std::string::npos) << request;
            return Reply{ScriptedServer::response(206, "[" + kClient + "]",
                                                  {"Next-Range: id ]abc..; max=1000, order=asc"})};
        }
        EXPECT_NE(request.find("Range: id ]abc..; max=1000, order=asc\r\n"), std::string::npos)
            << request;
        // Answering the same Next-Range again would loop forever.
        return Reply{ScriptedServer::response(206, "[" + kClient + "]",
                                              {"Next-Range: id ]abc..; max=1000, order=asc"})};
    });
    auto result = api_for(server).oauth().clients().list();
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().kind, sdk::ErrorKind::protocol);
    EXPECT_EQ(server.requests().size(), 2u);
}

TEST(SdkTransport, AnOversizedAnswerIsRefused) {
    ScriptedServer server(
        [](const std::string&, int) { return ok(std::string(5000, ' ') + kAccount); });
    auto options = fast(0);
    options.max_response_bytes = 1000;
    auto result = api_for(server, options).account().info();
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().kind, sdk::ErrorKind::protocol) << result.error().to_string();
}

}  // namespace
}  // namespace tessera::testing
