#include "sdk/transport.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/socket.h>

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cerrno>
#include <charconv>
#include <mutex>
#include <optional>
#include <random>
#include <thread>
#include <vector>

#include "sdk/retry_policy.hpp"

namespace tessera::sdk::detail {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

// Tessera's server closes idle keep-alive connections after 60 s; a pooled
// connection is retired well before that, so a reuse never races the close.
constexpr auto kMaxIdleAge = std::chrono::seconds(30);
constexpr std::size_t kResponseHeaderLimit = 64 * 1024;

ApiError failure(ErrorKind kind, std::string message) {
    ApiError error;
    error.kind = kind;
    error.message = std::move(message);
    return error;
}

// What one request on one connection came to.
struct Exchange {
    std::optional<HttpResponse> response;
    std::optional<ApiError> error;
    bool is_sent = false;      // the whole request was written
    bool got_bytes = false;    // some of a response arrived
    bool is_reusable = false;  // the connection may carry another request
};

// One connection, driven synchronously: each step starts an asynchronous
// operation and runs the connection's own io_context until it completes,
// so Beast's per-stream deadlines give the timeouts.
class Connection {
public:
    Connection(const BaseUrl& base, ssl::context* tls) : base_(base) {
        if (tls)
            tls_.emplace(ioc_, *tls);
        else
            plain_.emplace(ioc_);
    }

    // Resolves, connects and (for https) shakes hands before `deadline`.
    // `permanent` tells whether trying again is pointless.
    std::optional<ApiError> open(Clock::time_point deadline, bool verify, bool& permanent);
    Exchange exchange(const HttpRequest& request, std::chrono::milliseconds timeout,
                      std::size_t max_body);
    // False when the server closed the connection (or sent something
    // unasked) while it sat in the pool, or it sat there too long.
    bool looks_alive();
    void mark_idle() { idle_since_ = Clock::now(); }

private:
    beast::tcp_stream& lowest() { return tls_ ? beast::get_lowest_layer(*tls_) : *plain_; }
    template <typename Start>
    beast::error_code run(Start&& start) {
        beast::error_code result = asio::error::would_block;
        start([&result](beast::error_code ec, auto&&...) { result = ec; });
        ioc_.restart();
        ioc_.run();
        return result;
    }
    template <typename F>
    auto with_stream(F&& f) {
        if (tls_) return f(*tls_);
        return f(*plain_);
    }
    std::string where() const { return base_.host_header; }

    const BaseUrl& base_;
    asio::io_context ioc_{1};
    std::optional<beast::tcp_stream> plain_;
    std::optional<beast::ssl_stream<beast::tcp_stream>> tls_;
    beast::flat_buffer buffer_;
    Clock::time_point idle_since_ = Clock::now();
};

std::optional<ApiError> Connection::open(Clock::time_point deadline, bool verify, bool& permanent) {
    permanent = false;
    std::uint16_t port = 0;
    std::from_chars(base_.port.data(), base_.port.data() + base_.port.size(), port);
    std::vector<tcp::endpoint> endpoints;
    beast::error_code ec;
    auto address = asio::ip::make_address(base_.host, ec);
    bool is_ip = !ec;
    if (is_ip) {
        endpoints.emplace_back(address, port);
    } else {
        tcp::resolver resolver(ioc_);
        asio::steady_timer timer(ioc_);
        bool timed_out = false;
        timer.expires_at(deadline);
        timer.async_wait([&](beast::error_code e) {
            if (!e) {
                timed_out = true;
                resolver.cancel();
            }
        });
        beast::error_code resolved;
        resolver.async_resolve(base_.host, base_.port,
                               [&](beast::error_code e, tcp::resolver::results_type results) {
                                   resolved = e;
                                   for (const auto& entry : results)
                                       endpoints.push_back(entry.endpoint());
                                   timer.cancel();
                               });
        ioc_.restart();
        ioc_.run();
        if (timed_out) return failure(ErrorKind::timeout, "timed out resolving " + base_.host);
        if (resolved) {
            permanent = resolved == asio::error::host_not_found;
            return failure(ErrorKind::network,
                           "cannot resolve " + base_.host + ": " + resolved.message());
        }
    }
    lowest().expires_at(deadline);
    ec = run([&](auto handler) { lowest().async_connect(endpoints, std::move(handler)); });
    if (ec == beast::error::timeout)
        return failure(ErrorKind::timeout, "timed out connecting to " + where());
    if (ec)
        return failure(ErrorKind::network, "cannot connect to " + where() + ": " + ec.message());
    if (!tls_) return std::nullopt;

    if (verify) {
        tls_->set_verify_mode(ssl::verify_peer);
        tls_->set_verify_callback(ssl::host_name_verification(base_.host));
    } else {
        tls_->set_verify_mode(ssl::verify_none);
    }
    // RFC 6066 §3: SNI names hosts, never addresses.
    if (!is_ip) SSL_set_tlsext_host_name(tls_->native_handle(), base_.host.c_str());
    lowest().expires_at(deadline);
    ec = run(
        [&](auto handler) { tls_->async_handshake(ssl::stream_base::client, std::move(handler)); });
    if (ec == beast::error::timeout)
        return failure(ErrorKind::timeout, "timed out in the TLS handshake with " + where());
    if (ec) {
        permanent = true;
        long verified = SSL_get_verify_result(tls_->native_handle());
        bool verify_failed = ec.category() == asio::error::get_ssl_category() &&
                             ERR_GET_REASON(ec.value()) == SSL_R_CERTIFICATE_VERIFY_FAILED;
        std::string why = ec.message();
        if (verified != X509_V_OK)
            why = std::string("certificate verify failed: ") +
                  X509_verify_cert_error_string(verified);
        else if (verify_failed)
            why = "certificate verify failed: the certificate does not name " + base_.host;
        return failure(ErrorKind::tls, "TLS handshake with " + where() + " failed: " + why);
    }
    return std::nullopt;
}

Exchange Connection::exchange(const HttpRequest& request, std::chrono::milliseconds timeout,
                              std::size_t max_body) {
    Exchange result;
    bhttp::request<bhttp::string_body> message;
    auto verb = bhttp::string_to_verb(request.method);
    if (verb == bhttp::verb::unknown)
        message.method_string(request.method);
    else
        message.method(verb);
    message.target(request.target);
    message.version(11);
    message.set(bhttp::field::host, base_.host_header);
    for (const auto& [name, value] : request.headers) message.set(name, value);
    if (!request.body.empty() || verb == bhttp::verb::post || verb == bhttp::verb::put ||
        verb == bhttp::verb::patch) {
        message.body() = request.body;
        message.prepare_payload();
    }
    message.keep_alive(true);

    lowest().expires_after(timeout);
    auto ec = with_stream([&](auto& stream) {
        return run([&](auto handler) { bhttp::async_write(stream, message, std::move(handler)); });
    });
    if (ec) {
        result.error = ec == beast::error::timeout
                           ? failure(ErrorKind::timeout, "timed out sending to " + where())
                           : failure(ErrorKind::network,
                                     "connection to " + where() + " failed: " + ec.message());
        return result;
    }
    result.is_sent = true;

    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(max_body);
    parser.header_limit(kResponseHeaderLimit);
    ec = with_stream([&](auto& stream) {
        return run(
            [&](auto handler) { bhttp::async_read(stream, buffer_, parser, std::move(handler)); });
    });
    result.got_bytes = parser.got_some();
    if (ec) {
        if (ec == beast::error::timeout)
            result.error =
                failure(ErrorKind::timeout, "timed out after " + std::to_string(timeout.count()) +
                                                " ms waiting for " + where());
        else if (ec == bhttp::error::body_limit)
            result.error =
                failure(ErrorKind::protocol, "the response from " + where() + " is larger than " +
                                                 std::to_string(max_body) + " bytes");
        else if (ec.category() == bhttp::make_error_code(bhttp::error::bad_version).category() &&
                 ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message)
            result.error = failure(ErrorKind::protocol,
                                   "malformed HTTP response from " + where() + ": " + ec.message());
        else
            result.error =
                failure(ErrorKind::network,
                        "connection to " + where() + " closed before a response: " + ec.message());
        return result;
    }
    auto& response = parser.get();
    HttpResponse out;
    out.status = static_cast<int>(response.result_int());
    for (const auto& field : response) {
        std::string name(field.name_string());
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        out.headers.emplace_back(std::move(name), std::string(field.value()));
    }
    out.body = std::move(response.body());
    result.is_reusable = response.keep_alive();
    result.response = std::move(out);
    return result;
}

bool Connection::looks_alive() {
    if (Clock::now() - idle_since_ > kMaxIdleAge || buffer_.size() != 0) return false;
    char byte;
    auto n = ::recv(lowest().socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

// One attempt's end, owning what AttemptOutcome points to.
struct Attempt {
    AttemptOutcome::Stage stage = AttemptOutcome::Stage::answered;
    std::optional<HttpResponse> response;
    std::optional<ApiError> error;
    bool is_permanent = false;
};

}  // namespace

struct Transport::State {
    BaseUrl base;
    Options options;
    std::unique_ptr<ssl::context> tls;
    std::optional<ApiError> setup_error;  // e.g. an unreadable ca_file
    std::mutex mutex;                     // guards idle and random
    std::vector<std::unique_ptr<Connection>> idle;
    std::mt19937_64 random{std::random_device{}()};

    std::unique_ptr<Connection> take_idle() {
        std::lock_guard lock(mutex);
        while (!idle.empty()) {
            auto connection = std::move(idle.back());
            idle.pop_back();
            if (connection->looks_alive()) return connection;
        }
        return nullptr;
    }
    void give_back(std::unique_ptr<Connection> connection) {
        std::lock_guard lock(mutex);
        if (static_cast<int>(idle.size()) >= options.max_idle_connections) return;
        connection->mark_idle();
        idle.push_back(std::move(connection));
    }
    double jitter() {
        std::lock_guard lock(mutex);
        return std::uniform_real_distribution<double>(0, 1)(random);
    }
    Attempt attempt(const HttpRequest& request);
    Attempt finish(std::unique_ptr<Connection> connection, Exchange exchange);
};

Attempt Transport::State::finish(std::unique_ptr<Connection> connection, Exchange exchange) {
    Attempt attempt;
    if (!exchange.response) {
        attempt.stage = AttemptOutcome::Stage::not_answered;
        attempt.error = std::move(exchange.error);
        return attempt;
    }
    if (exchange.is_reusable) give_back(std::move(connection));
    attempt.response = std::move(exchange.response);
    return attempt;
}

Attempt Transport::State::attempt(const HttpRequest& request) {
    if (auto connection = take_idle()) {
        auto exchange =
            connection->exchange(request, options.request_timeout, options.max_response_bytes);
        // A pooled connection the server closed in the meantime fails before
        // the request left, or (if the kernel took it) with nothing read:
        // try once more on a new connection, where that cannot repeat an effect.
        bool stale = !exchange.response && !exchange.got_bytes &&
                     exchange.error->kind == ErrorKind::network &&
                     (!exchange.is_sent || request.idempotent);
        if (!stale) return finish(std::move(connection), std::move(exchange));
    }
    auto connection = std::make_unique<Connection>(base, tls.get());
    Attempt attempt;
    auto deadline = Clock::now() + options.connect_timeout;
    if (auto error = connection->open(deadline, options.verify_tls, attempt.is_permanent)) {
        attempt.stage = AttemptOutcome::Stage::not_sent;
        attempt.error = std::move(error);
        return attempt;
    }
    auto exchange =
        connection->exchange(request, options.request_timeout, options.max_response_bytes);
    return finish(std::move(connection), std::move(exchange));
}

Transport::Transport(BaseUrl base, Options options) : state_(std::make_unique<State>()) {
    state_->base = std::move(base);
    state_->options = std::move(options);
    if (!state_->base.is_tls) return;
    state_->tls = std::make_unique<ssl::context>(ssl::context::tls_client);
    SSL_CTX_set_min_proto_version(state_->tls->native_handle(), TLS1_2_VERSION);
    beast::error_code ec;
    state_->tls->set_default_verify_paths(ec);
    if (state_->options.ca_file) {
        state_->tls->load_verify_file(*state_->options.ca_file, ec);
        if (ec)
            state_->setup_error =
                failure(ErrorKind::usage, "cannot read the CA file " + *state_->options.ca_file +
                                              ": " + ec.message());
    }
}

Transport::~Transport() = default;

const BaseUrl& Transport::base() const { return state_->base; }

Result<HttpResponse> Transport::send(const HttpRequest& request) const {
    if (state_->setup_error) return *state_->setup_error;
    for (int attempt = 0;; ++attempt) {
        Attempt outcome = state_->attempt(request);
        AttemptOutcome view{outcome.stage, outcome.response ? &*outcome.response : nullptr,
                            outcome.error ? &*outcome.error : nullptr, outcome.is_permanent};
        auto delay =
            retry_delay(view, request.idempotent, attempt, state_->options, state_->jitter());
        if (!delay) {
            if (outcome.response) return std::move(*outcome.response);
            return std::move(*outcome.error);
        }
        std::this_thread::sleep_for(*delay);
    }
}

}  // namespace tessera::sdk::detail
