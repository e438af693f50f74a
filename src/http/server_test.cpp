#include "http/server.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <boost/json/parse.hpp>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <future>
#include <mutex>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace tessera::http {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// A blocking loopback client that sends and receives exact bytes.
class Client {
public:
    explicit Client(std::uint16_t port) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        timeval timeout{5, 0};  // a broken server fails the test instead of hanging it
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
        ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
            ADD_FAILURE() << "connect: " << std::strerror(errno);
    }
    ~Client() { ::close(fd_); }
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    int fd() const { return fd_; }

    bool send(std::string_view bytes) {
        while (!bytes.empty()) {
            auto n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
            if (n <= 0) return false;
            bytes.remove_prefix(static_cast<std::size_t>(n));
        }
        return true;
    }

    // One response: the head and Content-Length bytes of body ("" if the
    // server closed first).
    std::string read_response() {
        std::size_t head_end;
        while ((head_end = pending_.find("\r\n\r\n")) == std::string::npos)
            if (!receive()) return std::exchange(pending_, {});
        head_end += 4;
        std::size_t length = 0;
        static const std::regex kLength("\r\ncontent-length: *([0-9]+)", std::regex::icase);
        std::smatch match;
        std::string head = pending_.substr(0, head_end);
        if (std::regex_search(head, match, kLength)) length = std::stoul(match[1]);
        while (pending_.size() < head_end + length)
            if (!receive()) break;
        std::string response = pending_.substr(0, head_end + length);
        pending_.erase(0, response.size());
        return response;
    }

    // Everything until the server closes the connection.
    std::string read_until_close() {
        while (receive()) {
        }
        return std::exchange(pending_, {});
    }

    // Whether the server closes the connection within `timeout` (bytes it
    // sends meanwhile are discarded).
    bool closed_within(std::chrono::milliseconds timeout) {
        auto deadline = Clock::now() + timeout;
        while (Clock::now() < deadline) {
            pollfd p{fd_, POLLIN, 0};
            auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
            if (::poll(&p, 1, static_cast<int>(std::max(left.count(), 1L))) <= 0) continue;
            char buffer[4096];
            if (::recv(fd_, buffer, sizeof buffer, 0) <= 0) return true;
        }
        return false;
    }

private:
    bool receive() {
        char buffer[16 * 1024];
        auto n = ::recv(fd_, buffer, sizeof buffer, 0);
        if (n <= 0) return false;
        pending_.append(buffer, static_cast<std::size_t>(n));
        return true;
    }

    int fd_;
    std::string pending_;
};

bool accepts_connections(std::uint16_t port) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool connected = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    ::close(fd);
    return connected;
}

const std::regex kUuid("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

// The Request-Id header value of a response, "" when there is none.
std::string request_id_of(const std::string& response) {
    static const std::regex kHeader("\r\nRequest-Id: ([^\r]*)\r\n");
    std::smatch match;
    return std::regex_search(response, match, kHeader) ? match[1].str() : "";
}

Response text(int status, std::string body) {
    Response response;
    response.status = status;
    response.headers.add("Content-Type", "text/plain");
    response.body = std::move(body);
    return response;
}

ServerOptions test_options() {
    ServerOptions options;
    options.port = 0;
    options.io_threads = 2;
    options.worker_threads = 4;
    options.access_log = false;
    options.shutdown_grace = 5s;
    return options;
}

struct TransportError {
    Request partial;
    int status;
    std::string message;
};

// A real server on 127.0.0.1:0, run on its own thread. Its renderer answers
// "<status> <message>" as text/plain and records what it was given.
class TestServer {
public:
    TestServer(ServerOptions options, Server::Handler handler)
        : server_(std::move(options), std::move(handler),
                  [this](const Request& partial, int status, std::string_view message) {
                      std::lock_guard lock(mutex_);
                      errors_.push_back({partial, status, std::string(message)});
                      return text(status, std::to_string(status) + " " + std::string(message));
                  }) {
        start_error_ = server_.start();
        if (start_error_.empty()) thread_ = std::thread([this] { server_.run(false); });
    }
    ~TestServer() { stop_and_wait(); }

    void stop_and_wait() {
        server_.stop();
        if (thread_.joinable()) thread_.join();
    }

    const std::string& start_error() const { return start_error_; }
    std::uint16_t port() const { return server_.port(); }
    Server& server() { return server_; }
    std::vector<TransportError> errors() {
        std::lock_guard lock(mutex_);
        return errors_;
    }

private:
    std::mutex mutex_;
    std::vector<TransportError> errors_;
    Server server_;
    std::string start_error_;
    std::thread thread_;
};

// Echoes what the handler saw, so tests can check how the request was filled.
Response echo(const Request& request) {
    return text(200, request.method + " " + request.path + " ?" + request.query + " " +
                         std::to_string(request.body.size()));
}

std::string ok_bytes(const std::string& id, const std::string& body, bool close = false) {
    return "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nRequest-Id: " + id +
           "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" +
           (close ? "Connection: close\r\n" : "") + "\r\n" + body;
}

std::string error_bytes(int status, std::string_view reason, const std::string& id,
                        const std::string& body) {
    return "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason) +
           "\r\nContent-Type: text/plain\r\nRequest-Id: " + id +
           "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" +
           body;
}

TEST(HttpServer, KeepsConnectionAliveAcrossRequests) {
    TestServer server(test_options(), echo);
    ASSERT_EQ(server.start_error(), "");
    Client client(server.port());
    ASSERT_TRUE(client.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n"));
    auto first = client.read_response();
    ASSERT_TRUE(client.send("POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"));
    auto second = client.read_response();
    EXPECT_EQ(first, ok_bytes(request_id_of(first), "GET /a ? 0"));
    EXPECT_EQ(second, ok_bytes(request_id_of(second), "POST /b ? 3"));
    EXPECT_NE(request_id_of(first), request_id_of(second));
}

TEST(HttpServer, SendsADeferredResponseWhenItsWorkFinishesOnAnotherThread) {
    // The handler hands its work to another thread and returns at once; the
    // answer comes when that thread finishes, inline or from the pool.
    std::mutex mutex;
    std::vector<std::thread> finishers;
    auto handler = [&](const Request& request) {
        Response pending;
        pending.deferred = [&, path = request.path](Response::Finish finish) {
            std::lock_guard lock(mutex);
            finishers.emplace_back([finish = std::move(finish), path] {
                std::this_thread::sleep_for(10ms);
                finish(text(201, "done " + path));
            });
        };
        return pending;
    };
    for (bool inline_handlers : {true, false}) {
        auto options = test_options();
        if (inline_handlers) options.run_inline = [](const Request&) { return true; };
        TestServer server(options, handler);
        ASSERT_EQ(server.start_error(), "");
        Client client(server.port());
        ASSERT_TRUE(
            client.send("GET /one HTTP/1.1\r\nHost: x\r\n\r\n"
                        "GET /two HTTP/1.1\r\nHost: x\r\n\r\n"));
        auto first = client.read_response();
        auto second = client.read_response();
        EXPECT_NE(first.find("HTTP/1.1 201 Created"), std::string::npos) << first;
        EXPECT_TRUE(first.ends_with("done /one")) << first;
        EXPECT_TRUE(second.ends_with("done /two")) << second;
        server.stop_and_wait();
        std::lock_guard lock(mutex);
        for (auto& t : finishers) t.join();
        finishers.clear();
    }
}

TEST(HttpServer, AnswersPipelinedRequestsInOrderAndClosesWhenAsked) {
    TestServer server(test_options(), echo);
    Client client(server.port());
    ASSERT_TRUE(
        client.send("GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\n"
                    "GET /3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    auto first = client.read_response();
    auto second = client.read_response();
    auto third = client.read_response();
    EXPECT_EQ(first, ok_bytes(request_id_of(first), "GET /1 ? 0"));
    EXPECT_EQ(second, ok_bytes(request_id_of(second), "GET /2 ? 0"));
    EXPECT_EQ(third, ok_bytes(request_id_of(third), "GET /3 ? 0", true));
    EXPECT_EQ(client.read_until_close(), "");
}

TEST(HttpServer, EveryResponseCarriesAUuidRequestId) {
    TestServer server(test_options(), [](const Request& request) {
        if (request.path == "/own") {
            auto response = text(200, "");
            response.headers.add("Request-Id", "handler-chosen");
            return response;
        }
        return text(200, request.request_id);  // the id the handler saw is the one echoed
    });
    Client client(server.port());
    ASSERT_TRUE(client.send("GET / HTTP/1.1\r\nHost: x\r\nRequest-Id: from-client\r\n\r\n"));
    auto response = client.read_response();
    auto id = request_id_of(response);
    EXPECT_TRUE(std::regex_match(id, kUuid)) << id;
    EXPECT_EQ(response, ok_bytes(id, id));

    ASSERT_TRUE(client.send("GET /own HTTP/1.1\r\nHost: x\r\n\r\n"));
    EXPECT_EQ(request_id_of(client.read_response()), "handler-chosen");

    Client bad(server.port());
    ASSERT_TRUE(bad.send("NOT HTTP\r\n\r\n"));
    auto rejected = bad.read_response();
    EXPECT_TRUE(std::regex_match(request_id_of(rejected), kUuid)) << rejected;
}

TEST(HttpServer, RoutesAbsoluteFormTargetByPath) {
    std::mutex mutex;
    Request seen;
    TestServer server(test_options(), [&](const Request& request) {
        std::lock_guard lock(mutex);
        seen = request;
        return text(200, "");
    });
    Client client(server.port());
    ASSERT_TRUE(
        client.send("GET https://api.heroku.com/oauth/clients HTTP/1.1\r\n"
                    "Host: api.heroku.com\r\nAccept: application/json\r\n\r\n"));
    auto response = client.read_response();
    EXPECT_EQ(response, ok_bytes(request_id_of(response), ""));
    std::lock_guard lock(mutex);
    EXPECT_EQ(seen.method, "GET");
    EXPECT_EQ(seen.target, "https://api.heroku.com/oauth/clients");
    EXPECT_EQ(seen.path, "/oauth/clients");
    EXPECT_EQ(seen.query, "");
    EXPECT_EQ(seen.remote_address, "127.0.0.1");
    EXPECT_EQ(seen.request_id, request_id_of(response));
    ASSERT_EQ(seen.headers.fields().size(), 2u);  // in arrival order, as sent
    EXPECT_EQ(seen.headers.fields()[0],
              (std::pair<std::string, std::string>{"Host", "api.heroku.com"}));
    EXPECT_EQ(seen.headers.fields()[1],
              (std::pair<std::string, std::string>{"Accept", "application/json"}));
}

TEST(HttpServer, SplitsQueryFromPath) {
    TestServer server(test_options(), echo);
    Client client(server.port());
    ASSERT_TRUE(
        client.send("GET /oauth/authorize?response_type=code&client_id=a%20b HTTP/1.1\r\n"
                    "Host: x\r\n\r\n"));
    auto response = client.read_response();
    EXPECT_EQ(response, ok_bytes(request_id_of(response),
                                 "GET /oauth/authorize ?response_type=code&client_id=a%20b 0"));
}

TEST(HttpServer, BodyOverLimitGets413FromRendererWithoutCallingHandler) {
    std::atomic<int> calls = 0;
    TestServer server(test_options(), [&](const Request& request) {
        ++calls;
        return echo(request);
    });
    constexpr std::size_t kLimit = 1024 * 1024;
    {  // exactly at the limit: served
        Client client(server.port());
        ASSERT_TRUE(client.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                                std::to_string(kLimit) + "\r\n\r\n" + std::string(kLimit, 'a')));
        auto response = client.read_response();
        EXPECT_EQ(response, ok_bytes(request_id_of(response), "POST /upload ? 1048576"));
    }
    calls = 0;
    {  // one byte over, all of it sent: the server drains it and the 413 arrives intact
        Client client(server.port());
        ASSERT_TRUE(client.send("POST /upload?x=1 HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                                std::to_string(kLimit + 1) + "\r\n\r\n" +
                                std::string(kLimit + 1, 'a')));
        auto response = client.read_response();
        EXPECT_EQ(response, error_bytes(413, "Payload Too Large", request_id_of(response),
                                        "413 request body too large"));
        EXPECT_EQ(client.read_until_close(), "");
    }
    {  // chunked: caught while reading
        Client client(server.port());
        std::string chunk(64 * 1024, 'b');
        std::string request =
            "POST /chunked HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
        for (int i = 0; i < 17; ++i) request += "10000\r\n" + chunk + "\r\n";
        ASSERT_TRUE(client.send(request + "0\r\n\r\n"));
        auto response = client.read_response();
        EXPECT_EQ(response, error_bytes(413, "Payload Too Large", request_id_of(response),
                                        "413 request body too large"));
    }
    EXPECT_EQ(calls, 0);
    auto errors = server.errors();
    ASSERT_EQ(errors.size(), 2u);
    EXPECT_EQ(errors[0].status, 413);
    EXPECT_EQ(errors[0].partial.path, "/upload");
    EXPECT_EQ(errors[0].partial.query, "x=1");
    EXPECT_EQ(errors[0].partial.method, "POST");
    EXPECT_TRUE(std::regex_match(errors[0].partial.request_id, kUuid));
    EXPECT_EQ(errors[1].partial.path, "/chunked");
}

TEST(HttpServer, OversizeHeaderGets431) {
    TestServer server(test_options(), echo);
    Client client(server.port());
    ASSERT_TRUE(client.send("GET /big HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20'000, 'a') +
                            "\r\n\r\n"));
    auto response = client.read_response();
    EXPECT_EQ(response, error_bytes(431, "Request Header Fields Too Large", request_id_of(response),
                                    "431 request header fields too large"));
    EXPECT_EQ(client.read_until_close(), "");
    auto errors = server.errors();
    ASSERT_EQ(errors.size(), 1u);  // routed by the raw request line, for the surface's shape
    EXPECT_EQ(errors[0].partial.method, "GET");
    EXPECT_EQ(errors[0].partial.path, "/big");
    EXPECT_TRUE(errors[0].partial.headers.fields().empty());

    // Split inside the request line: Beast then rescans only for the end of the
    // header and gives up before parsing the line; the server reads it itself.
    Client slow(server.port());
    ASSERT_TRUE(slow.send("PATCH /oauth/cli"));
    std::this_thread::sleep_for(50ms);
    ASSERT_TRUE(slow.send("ents/x?y HTTP/1.1\r\nX-Big: " + std::string(20'000, 'a') + "\r\n\r\n"));
    auto second = slow.read_response();
    EXPECT_TRUE(second.starts_with("HTTP/1.1 431 ")) << second;
    errors = server.errors();
    ASSERT_EQ(errors.size(), 2u);
    EXPECT_EQ(errors[1].partial.method, "PATCH");
    EXPECT_EQ(errors[1].partial.path, "/oauth/clients/x");
    EXPECT_EQ(errors[1].partial.query, "y");
}

TEST(HttpServer, MalformedRequestsGet400AndClose) {
    TestServer server(test_options(), echo);
    struct Case {
        std::string request;
        std::string body;
    };
    for (const auto& c : std::vector<Case>{
             {"GARBAGE\r\n\r\n", "400 malformed request"},
             {"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", "400 malformed request"},
             {"GET / HTTP/1.1\r\nBad Header\r\n\r\n", "400 malformed request"},
             {"GET / HTTP/1.1\r\nContent-Length: x\r\n\r\n", "400 malformed request"},
             {"GET * HTTP/1.1\r\nHost: x\r\n\r\n", "400 invalid request target"},
             {"CONNECT api.heroku.com:443 HTTP/1.1\r\nHost: x\r\n\r\n",
              "400 invalid request target"},
         }) {
        Client client(server.port());
        ASSERT_TRUE(client.send(c.request));
        auto response = client.read_response();
        EXPECT_EQ(response, error_bytes(400, "Bad Request", request_id_of(response), c.body))
            << c.request;
        EXPECT_EQ(client.read_until_close(), "") << c.request;
    }
}

TEST(HttpServer, HandlerExceptionBecomes500FromRenderer) {
    TestServer server(test_options(), [](const Request& request) -> Response {
        if (request.path == "/throw") throw std::runtime_error("boom");
        return echo(request);
    });
    Client client(server.port());
    ASSERT_TRUE(client.send("GET /throw?secret=1 HTTP/1.1\r\nHost: x\r\n\r\n"));
    auto response = client.read_response();
    auto id = request_id_of(response);
    EXPECT_EQ(response,
              "HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain\r\n"
              "Request-Id: " +
                  id +
                  "\r\nContent-Length: 25\r\n\r\n"
                  "500 internal server error");
    auto errors = server.errors();
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].partial.path, "/throw");
    EXPECT_EQ(errors[0].partial.request_id, id);
    // Not a transport error: the connection stays usable.
    ASSERT_TRUE(client.send("GET /next HTTP/1.1\r\nHost: x\r\n\r\n"));
    auto next = client.read_response();
    EXPECT_EQ(next, ok_bytes(request_id_of(next), "GET /next ? 0"));
}

TEST(HttpServer, AnswersExpectContinueBeforeTheBody) {
    TestServer server(test_options(), echo);
    Client client(server.port());
    ASSERT_TRUE(
        client.send("PUT /c HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                    "Content-Length: 5\r\n\r\n"));
    EXPECT_EQ(client.read_response(), "HTTP/1.1 100 Continue\r\n\r\n");
    ASSERT_TRUE(client.send("hello"));
    auto response = client.read_response();
    EXPECT_EQ(response, ok_bytes(request_id_of(response), "PUT /c ? 5"));
}

TEST(HttpServer, SlowHandlerDoesNotDelayOtherConnections) {
    auto options = test_options();
    options.io_threads = 1;  // even with a single I/O thread
    std::promise<void> slow_started;
    TestServer server(options, [&](const Request& request) {
        if (request.path == "/slow") {
            slow_started.set_value();
            std::this_thread::sleep_for(1s);
        }
        return echo(request);
    });
    auto slow = std::async(std::launch::async, [&] {
        Client client(server.port());
        client.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
        return client.read_response();
    });
    slow_started.get_future().wait();
    auto begin = Clock::now();
    Client fast(server.port());
    ASSERT_TRUE(fast.send("GET /fast HTTP/1.1\r\nHost: x\r\n\r\n"));
    auto response = fast.read_response();
    EXPECT_LT(Clock::now() - begin, 300ms);
    EXPECT_EQ(response, ok_bytes(request_id_of(response), "GET /fast ? 0"));
    auto slow_response = slow.get();
    EXPECT_EQ(slow_response, ok_bytes(request_id_of(slow_response), "GET /slow ? 0"));
}

TEST(HttpServer, RunsHandlersInlineOnTheIoThreadWhenAskedAndOnThePoolOtherwise) {
    auto options = test_options();
    options.io_threads = 1;
    options.run_inline = [](const Request& request) { return request.path == "/inline"; };
    std::mutex mutex;
    std::set<std::thread::id> inline_threads, pooled_threads;
    TestServer server(options, [&](const Request& request) {
        std::lock_guard lock(mutex);
        (request.path == "/inline" ? inline_threads : pooled_threads)
            .insert(std::this_thread::get_id());
        return echo(request);
    });
    Client client(server.port());
    for (int i = 0; i < 6; ++i) {
        std::string path = i % 2 ? "/inline" : "/pooled";
        ASSERT_TRUE(client.send("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n"));
        auto response = client.read_response();
        EXPECT_EQ(response, ok_bytes(request_id_of(response), "GET " + path + " ? 0"));
    }
    // One I/O thread: every inline handler ran on it, and no pooled one did.
    ASSERT_EQ(inline_threads.size(), 1u);
    EXPECT_EQ(pooled_threads.count(*inline_threads.begin()), 0u);
}

TEST(HttpServer, StopLetsInFlightRequestFinishAndClosesIdleConnections) {
    std::promise<void> slow_started;
    TestServer server(test_options(), [&](const Request& request) {
        if (request.path == "/slow") {
            slow_started.set_value();
            std::this_thread::sleep_for(300ms);
        }
        return echo(request);
    });
    Client idle(server.port());
    ASSERT_TRUE(idle.send("GET /warm HTTP/1.1\r\nHost: x\r\n\r\n"));
    EXPECT_NE(idle.read_response(), "");
    Client busy(server.port());
    ASSERT_TRUE(busy.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"));
    slow_started.get_future().wait();

    auto begin = Clock::now();
    auto stopped = std::async(std::launch::async, [&] { server.stop_and_wait(); });
    EXPECT_TRUE(idle.closed_within(1s));
    EXPECT_LT(Clock::now() - begin, 250ms);  // not held until the slow request ends
    auto response = busy.read_response();
    EXPECT_EQ(response, ok_bytes(request_id_of(response), "GET /slow ? 0", true));
    EXPECT_EQ(busy.read_until_close(), "");
    EXPECT_EQ(stopped.wait_for(2s), std::future_status::ready);
    EXPECT_FALSE(accepts_connections(server.port()));
}

TEST(HttpServer, StopGivesUpOnHandlersAfterTheGracePeriod) {
    auto options = test_options();
    options.shutdown_grace = 100ms;
    std::promise<void> started;
    TestServer server(options, [&](const Request& request) {
        started.set_value();
        std::this_thread::sleep_for(600ms);
        return echo(request);
    });
    Client client(server.port());
    ASSERT_TRUE(client.send("GET /stuck HTTP/1.1\r\nHost: x\r\n\r\n"));
    started.get_future().wait();
    auto begin = Clock::now();
    server.stop_and_wait();
    EXPECT_LT(Clock::now() - begin, 450ms);
}  // ~Server waits for the handler; its response is dropped

TEST(HttpServer, ClosesConnectionThatStallsMidRequest) {
    auto options = test_options();
    options.read_timeout = 200ms;
    TestServer server(options, echo);
    Client client(server.port());
    auto begin = Clock::now();
    ASSERT_TRUE(client.send("GET / HTTP/1.1\r\nHost: x\r\n"));
    EXPECT_TRUE(client.closed_within(2s));
    EXPECT_GE(Clock::now() - begin, 150ms);
}

TEST(HttpServer, ClosesKeepAliveConnectionAfterIdleTimeout) {
    auto options = test_options();
    options.idle_timeout = 200ms;
    TestServer server(options, echo);
    Client client(server.port());
    ASSERT_TRUE(client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
    EXPECT_NE(client.read_response(), "");
    auto begin = Clock::now();
    EXPECT_TRUE(client.closed_within(2s));
    EXPECT_GE(Clock::now() - begin, 150ms);
}

TEST(HttpServer, StartReportsAPortInUse) {
    TestServer first(test_options(), echo);
    auto options = test_options();
    options.port = first.port();
    Server second(options, echo, nullptr);
    EXPECT_EQ(second.start(), "cannot listen on 127.0.0.1:" + std::to_string(first.port()) +
                                  ": Address already in use");
}

// A throwaway self-signed certificate made with the openssl CLI.
class TempCertificate {
public:
    TempCertificate() {
        char pattern[] = "/tmp/tessera-tls-XXXXXX";
        dir_ = ::mkdtemp(pattern);
        std::string command =
            "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 "
            "-nodes -subj /CN=localhost -days 1 -keyout " +
            key() + " -out " + cert() + " >/dev/null 2>&1";
        ok_ = std::system(command.c_str()) == 0;
    }
    ~TempCertificate() { std::filesystem::remove_all(dir_); }
    bool ok() const { return ok_; }
    std::string cert() const { return dir_ + "/c.pem"; }
    std::string key() const { return dir_ + "/k.pem"; }

private:
    std::string dir_;
    bool ok_ = false;
};

// Sends `request` over TLS (no certificate verification) and reads until the
// server closes; "" if the handshake fails.
std::string https_exchange(std::uint16_t port, const std::string& request, int max_version = 0) {
    std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx(SSL_CTX_new(TLS_client_method()),
                                                          SSL_CTX_free);
    SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_NONE, nullptr);
    if (max_version) {
        SSL_CTX_set_security_level(ctx.get(), 0);
        SSL_CTX_set_min_proto_version(ctx.get(), 0);
        SSL_CTX_set_max_proto_version(ctx.get(), max_version);
    }
    Client tcp(port);
    std::unique_ptr<SSL, decltype(&SSL_free)> ssl(SSL_new(ctx.get()), SSL_free);
    SSL_set_fd(ssl.get(), tcp.fd());
    SSL_set_tlsext_host_name(ssl.get(), "localhost");
    if (SSL_connect(ssl.get()) != 1) return "";
    EXPECT_GE(SSL_version(ssl.get()), TLS1_2_VERSION);
    SSL_write(ssl.get(), request.data(), static_cast<int>(request.size()));
    std::string response;
    char buffer[4096];
    int n;
    while ((n = SSL_read(ssl.get(), buffer, sizeof buffer)) > 0) response.append(buffer, n);
    return response;
}

TEST(HttpServer, ServesHttpsOnly) {
    TempCertificate certificate;
    ASSERT_TRUE(certificate.ok()) << "openssl CLI failed";
    auto options = test_options();
    options.tls_cert_file = certificate.cert();
    options.tls_key_file = certificate.key();
    TestServer server(options, echo);
    ASSERT_EQ(server.start_error(), "");
    auto response = https_exchange(
        server.port(), "GET /tls?q=1 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(response, ok_bytes(request_id_of(response), "GET /tls ?q=1 0", true));
    EXPECT_EQ(https_exchange(server.port(), "GET / HTTP/1.1\r\n\r\n", TLS1_1_VERSION), "");
    Client plain(server.port());  // plain HTTP on the TLS port gets no HTTP answer
    ASSERT_TRUE(plain.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
    EXPECT_EQ(plain.read_until_close().find("HTTP/1.1"), std::string::npos);
}

TEST(HttpServer, StartReportsUnloadableTlsFiles) {
    auto options = test_options();
    options.tls_cert_file = "/nonexistent/c.pem";
    options.tls_key_file = "/nonexistent/k.pem";
    Server server(options, echo, nullptr);
    EXPECT_TRUE(server.start().starts_with("cannot load TLS certificate chain /nonexistent/c.pem"));
    options.tls_key_file.reset();
    Server half(options, echo, nullptr);
    EXPECT_EQ(half.start(), "TLS needs both tls_cert_file and tls_key_file");
}

TEST(HttpServer, AccessLogHasOneSafeLinePerRequest) {
    std::mutex mutex;
    std::vector<std::string> lines;
    auto options = test_options();
    options.access_log = true;
    options.access_log_sink = [&](std::string_view line) {
        std::lock_guard lock(mutex);
        lines.emplace_back(line);
    };
    TestServer server(options, [](const Request&) { return text(201, "created"); });
    Client client(server.port());
    ASSERT_TRUE(
        client.send("GET /oauth/authorize?code=SECRETCODE&state=1 HTTP/1.1\r\nHost: x\r\n"
                    "Authorization: Bearer SECRETTOKEN\r\nCookie: s=SECRETCOOKIE\r\n"
                    "User-Agent: test \"agent\"/1.0\r\nRequest-Id: client-abc\r\n"
                    "Content-Length: 10\r\n\r\nSECRETBODY"));
    auto response = client.read_response();
    auto deadline = Clock::now() + 2s;
    auto count = [&] {
        std::lock_guard lock(mutex);
        return lines.size();
    };
    while (count() < 1 && Clock::now() < deadline) std::this_thread::sleep_for(5ms);
    std::this_thread::sleep_for(50ms);  // a second line would show up now
    std::lock_guard lock(mutex);
    ASSERT_EQ(lines.size(), 1u);
    const auto& line = lines[0];
    ASSERT_TRUE(line.ends_with("}\n")) << line;
    EXPECT_EQ(line.find("SECRET"), std::string::npos) << line;
    EXPECT_EQ(line.find('?'), std::string::npos) << line;
    auto object = boost::json::parse(line).as_object();
    std::set<std::string> keys;
    for (const auto& field : object) keys.insert(std::string(field.key()));
    EXPECT_EQ(keys,
              (std::set<std::string>{"time", "request_id", "client_request_id", "method", "path",
                                     "status", "bytes", "duration_ms", "remote", "user_agent"}));
    EXPECT_TRUE(std::regex_match(std::string(object["time"].as_string()),
                                 std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")));
    EXPECT_EQ(object["request_id"].as_string(), request_id_of(response));
    EXPECT_EQ(object["client_request_id"].as_string(), "client-abc");
    EXPECT_EQ(object["method"].as_string(), "GET");
    EXPECT_EQ(object["path"].as_string(), "/oauth/authorize");
    EXPECT_EQ(object["status"].as_int64(), 201);
    EXPECT_EQ(object["bytes"].as_int64(), 7);
    EXPECT_GE(object["duration_ms"].as_double(), 0.0);
    EXPECT_EQ(object["remote"].as_string(), "127.0.0.1");
    EXPECT_EQ(object["user_agent"].as_string(), "test \"agent\"/1.0");
}

TEST(HttpServer, SigtermStopsRunWhenHandlingSignals) {
    Server server(test_options(), echo, nullptr);
    ASSERT_EQ(server.start(), "");
    auto run = std::async(std::launch::async, [&] { server.run(true); });
    {  // once a request is served, run() has installed its signal handler
        Client client(server.port());
        ASSERT_TRUE(client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
        ASSERT_NE(client.read_response(), "");
    }
    ::kill(::getpid(), SIGTERM);
    EXPECT_EQ(run.wait_for(2s), std::future_status::ready);
    server.stop();  // no hang if the signal went astray
}

TEST(HttpServer, StopEndsRunThatHandlesSignals) {
    Server server(test_options(), echo, nullptr);
    ASSERT_EQ(server.start(), "");
    auto run = std::async(std::launch::async, [&] { server.run(true); });
    server.stop();
    server.stop();  // idempotent
    EXPECT_EQ(run.wait_for(2s), std::future_status::ready);
}

}  // namespace
}  // namespace tessera::http
