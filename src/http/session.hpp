#pragma once

#include <algorithm>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "http/connection.hpp"

// Internal to the HTTP transport and included by server.cpp only, so that Beast
// is compiled in a single translation unit.

namespace tessera::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// Serves one connection: TLS handshake if any, then requests one at a time
// (read, handler on the worker pool, write) until either side closes. Every
// member is touched only on the connection's executor (an io_context run by
// one thread), except the immutable context_ and executor_.
template <class Stream>
class Session final : public Connection, public std::enable_shared_from_this<Session<Stream>> {
public:
    template <class... StreamArgs>
    Session(ConnectionContext& context, net::thread_pool& workers, std::string remote,
            StreamArgs&&... stream_args)
        : context_(context),
          workers_(workers),
          stream_(std::forward<StreamArgs>(stream_args)...),
          executor_(stream_.get_executor()),
          remote_(std::move(remote)) {}

    ~Session() override {
        if (id_) context_.untrack(*id_);
    }

    void start(std::uint64_t id) {
        id_ = id;
        net::dispatch(executor_, [self = this->shared_from_this()] { self->begin(); });
    }

    void shutdown() override {
        net::post(executor_, [self = this->shared_from_this()] { self->on_shutdown(); });
    }

private:
    static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;
    static constexpr std::size_t kReadChunk = 8 * 1024;
    // How long a closing connection keeps reading (and discarding) what the client
    // still sends, so that the kernel does not answer it with a reset that could
    // destroy our response (say a 413) before the client has read it.
    static constexpr std::chrono::seconds kLingerTime{1};

    // idle: waiting for the first byte of a request (or the TLS handshake).
    enum class Phase { idle, reading, handling, writing, closing };

    beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }
    const ServerOptions& options() const { return context_.options(); }

    void begin() {
        if (shutting_down_) return close_now();
        if constexpr (kTls) {
            lowest().expires_after(options().read_timeout);
            stream_.async_handshake(net::ssl::stream_base::server,
                                    [self = this->shared_from_this()](beast::error_code ec) {
                                        if (ec) return self->close_now();
                                        self->read_request();
                                    });
        } else {
            read_request();
        }
    }

    void on_shutdown() {
        shutting_down_ = true;
        // The pending read then completes with operation_aborted and closes.
        if (phase_ == Phase::idle) lowest().cancel();
    }

    void read_request() {
        parser_.emplace();
        parser_->header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(
            options().header_limit, std::numeric_limits<std::uint32_t>::max())));
        parser_->body_limit(options().body_limit);
        continue_sent_ = false;
        version_ = 11;
        if (buffer_.size() > 0) {  // the client pipelined: the next request has begun
            begin_request();
            return read_more();
        }
        if (shutting_down_) return close_now();
        // A raw read first, so that idle_timeout covers only the wait for the first
        // byte and read_timeout the whole request from there on.
        phase_ = Phase::idle;
        lowest().expires_after(options().idle_timeout);
        stream_.async_read_some(
            buffer_.prepare(kReadChunk),
            [self = this->shared_from_this()](beast::error_code ec, std::size_t n) {
                if (ec) return self->close_now();
                self->buffer_.commit(n);
                self->begin_request();
                self->read_more();
            });
    }

    void begin_request() {
        phase_ = Phase::reading;
        started_ = std::chrono::steady_clock::now();
        lowest().expires_after(options().read_timeout);
    }

    void read_more() {
        bhttp::async_read_some(stream_, buffer_, *parser_,
                               [self = this->shared_from_this()](
                                   beast::error_code ec, std::size_t) { self->on_read(ec); });
    }

    void on_read(beast::error_code ec) {
        if (ec) return on_read_error(ec);
        if (parser_->is_done()) return handle_request();
        if (parser_->is_header_done() && !continue_sent_ && expects_continue())
            return send_continue();
        read_more();
    }

    void on_read_error(beast::error_code ec) {
        if (ec == bhttp::error::body_limit) return reject(413, "request body too large");
        if (ec == bhttp::error::header_limit) return reject(431, "request header fields too large");
        if (ec.category() == beast::http::make_error_code(bhttp::error::bad_method).category() &&
            ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message)
            return reject(400, "malformed request");
        close_now();  // timeout, reset, end of stream, TLS failure: nobody to answer
    }

    // RFC 9110 §10.1.1: a client that sent `Expect: 100-continue` may wait for
    // an interim response before it sends the body.
    bool expects_continue() const {
        const auto& head = parser_->get();
        auto expect = head.find(bhttp::field::expect);
        return head.version() >= 11 && expect != head.end() &&
               iequals(expect->value(), "100-continue");
    }

    void send_continue() {
        static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
        continue_sent_ = true;
        net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                         [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                             if (ec) return self->close_now();
                             self->read_more();
                         });
    }

    // Method, target, path, query and (`with_fields`) headers from a parsed head;
    // false when the target is neither origin- nor absolute-form.
    static bool fill_head(const bhttp::request_header<>& head, Request& request,
                          bool with_fields = true) {
        request.method = std::string(head.method_string());
        request.target = std::string(head.target());
        if (with_fields)
            for (const auto& field : head)
                request.headers.add(std::string(field.name_string()), std::string(field.value()));
        auto split = split_target(request.target);
        if (!split) return false;
        request.path = std::move(split->first);
        request.query = std::move(split->second);
        return true;
    }

    // Method, target, path and query from the raw request line when Beast gave up
    // before parsing it (a header over the limit before its first CRLF was
    // scanned), so that the error can still be rendered in the shape of the
    // surface the path belongs to.
    void fill_request_line(Request& request) const {
        std::string_view raw(static_cast<const char*>(buffer_.data().data()), buffer_.size());
        auto end = raw.find("\r\n");
        if (end == std::string_view::npos) return;  // the line itself is incomplete
        auto line = raw.substr(0, end);
        auto first = line.find(' '), last = line.rfind(' ');
        if (first == 0 || first == std::string_view::npos || last <= first + 1) return;
        auto method = line.substr(0, first);
        auto is_tchar = [](char c) {  // RFC 9110 §5.6.2
            return std::isalnum(static_cast<unsigned char>(c)) ||
                   std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
        };
        if (!std::all_of(method.begin(), method.end(), is_tchar)) return;
        auto target = line.substr(first + 1, last - first - 1);
        auto split = split_target(target);
        if (!split) return;
        request.method = std::string(method);
        request.target = std::string(target);
        request.path = std::move(split->first);
        request.query = std::move(split->second);
    }

    Request new_request() {
        Request request;
        request.remote_address = remote_;
        request.request_id = context_.new_request_id();
        return request;
    }

    // Answers a request the transport cannot hand on, then closes: after a
    // framing error nothing later on the connection can be trusted.
    void reject(int status, std::string_view message) {
        Request partial = new_request();
        const auto& head = parser_->get();
        // A Content-Length over the limit is caught once every field is parsed.
        bool has_fields = parser_->is_header_done() || status == 413;
        if (has_fields) version_ = head.version();
        if (!head.target().empty())  // Beast got through the request line
            fill_head(head, partial, has_fields);
        else
            fill_request_line(partial);
        Response response = context_.render_error(partial, status, message);
        send(std::move(partial), std::move(response), true);
    }

    void handle_request() {
        auto message = parser_->release();
        version_ = message.version();
        keep_alive_ = message.keep_alive();
        Request request = new_request();
        if (!fill_head(message, request)) {
            Response response = context_.render_error(request, 400, "invalid request target");
            return send(std::move(request), std::move(response), true);
        }
        request.body = std::move(message.body());
        phase_ = Phase::handling;
        const auto& run_inline = context_.options().run_inline;
        if (run_inline && run_inline(request)) {
            Response response = context_.call_handler(request);
            if (response.deferred) return defer(std::move(request), std::move(response));
            return send(std::move(request), std::move(response), false);
        }
        // The handler may block (storage round trips): run it on the worker pool
        // and come back to this connection's executor to write.
        net::post(workers_,
                  [self = this->shared_from_this(), request = std::move(request)]() mutable {
                      Response response = self->context_.call_handler(request);
                      if (response.deferred)
                          return self->defer(std::move(request), std::move(response));
                      net::post(self->executor_, [self, request = std::move(request),
                                                  response = std::move(response)]() mutable {
                          self->send(std::move(request), std::move(response), false);
                      });
                  });
    }

    // Hands the handler's deferred work a function that brings its response
    // back to this connection's executor. Called on any thread.
    void defer(Request request, Response pending) {
        auto held = std::make_shared<Request>(std::move(request));
        auto finish = [self = this->shared_from_this(), held](Response response) {
            net::post(self->executor_, [self, held, response = std::move(response)]() mutable {
                self->send(std::move(*held), std::move(response), false);
            });
        };
        try {
            pending.deferred(std::move(finish));
        } catch (const std::exception& e) {
            log_transport_error("request " + held->request_id +
                                ": deferred handler threw: " + e.what());
            Response failed = context_.render_error(*held, 500, "internal server error");
            net::post(executor_, [self = this->shared_from_this(), held,
                                  failed = std::move(failed)]() mutable {
                self->send(std::move(*held), std::move(failed), false);
            });
        }
    }

    // Fields the transport owns: framing is ours, whatever the handler says.
    static bool is_framing_field(std::string_view name) {
        return iequals(name, "Content-Length") || iequals(name, "Transfer-Encoding") ||
               iequals(name, "Connection");
    }

    static bool is_safe_field(std::string_view name, std::string_view value) {
        auto unsafe = [](char c) { return c == '\r' || c == '\n' || c == '\0'; };
        return !name.empty() && std::none_of(name.begin(), name.end(), unsafe) &&
               std::none_of(value.begin(), value.end(), unsafe);
    }

    void send(Request request, Response response, bool close) {
        if (response.status < 200 || response.status > 599) {
            log_transport_error("request " + request.request_id + ": handler returned status " +
                                std::to_string(response.status));
            response = context_.render_error(request, 500, "internal server error");
        }
        for (const auto& [name, value] : response.headers.fields())
            if (iequals(name, "Connection") && iequals(value, "close")) close = true;
        close = close || !keep_alive_ || shutting_down_;

        auto& out = response_.emplace();
        out.version(version_);
        out.result(static_cast<unsigned>(response.status));
        for (const auto& [name, value] : response.headers.fields()) {
            if (is_framing_field(name)) continue;
            if (!is_safe_field(name, value)) {
                log_transport_error("request " + request.request_id +
                                    ": dropped a response header with CR, LF or NUL");
                continue;
            }
            out.insert(name, value);
        }
        if (!response.headers.get("Request-Id")) out.insert("Request-Id", request.request_id);
        // RFC 9110 §8.6: no Content-Length (and no body) on 204; on 304 it would
        // describe the representation, which we do not know.
        if (response.status != 204 && response.status != 304) {
            out.body() = std::move(response.body);
            out.content_length(out.body().size());
        }
        if (close)
            out.set(bhttp::field::connection, "close");
        else if (version_ < 11)
            out.set(bhttp::field::connection, "keep-alive");
        close_after_write_ = close;

        log_entry_ = AccessLogEntry{};
        log_entry_.request_id = request.request_id;
        log_entry_.client_request_id =
            request.headers.get("Request-Id").value_or("").substr(0, kAccessLogFieldLimit);
        log_entry_.method = std::move(request.method);
        log_entry_.path = std::move(request.path);
        log_entry_.status = response.status;
        log_entry_.bytes = out.body().size();
        log_entry_.remote = remote_;
        log_entry_.user_agent =
            request.headers.get("User-Agent").value_or("").substr(0, kAccessLogFieldLimit);

        phase_ = Phase::writing;
        lowest().expires_after(options().read_timeout);
        bhttp::async_write(stream_, out,
                           [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                               self->on_write(ec);
                           });
    }

    void on_write(beast::error_code ec) {
        log_entry_.time = std::chrono::system_clock::now();
        log_entry_.duration_ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started_)
                .count();
        context_.log_access(log_entry_);
        response_.reset();
        if (ec) return close_now();
        if (close_after_write_ || shutting_down_) return close_gracefully();
        read_request();
    }

    void close_gracefully() {
        phase_ = Phase::closing;
        lowest().expires_after(kLingerTime);
        if constexpr (kTls) {
            stream_.async_shutdown(
                [self = this->shared_from_this()](beast::error_code) { self->close_now(); });
        } else {
            beast::error_code ignored;
            lowest().socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
            drain();
        }
    }

    void drain() {
        buffer_.clear();
        lowest().async_read_some(
            buffer_.prepare(kReadChunk),
            [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                if (ec) return self->close_now();
                self->drain();
            });
    }

    void close_now() {
        phase_ = Phase::closing;
        lowest().close();
    }

    ConnectionContext& context_;
    net::thread_pool& workers_;
    Stream stream_;
    const net::any_io_executor executor_;  // the connection's single-threaded io_context
    const std::string remote_;
    std::optional<std::uint64_t> id_;

    Phase phase_ = Phase::idle;
    bool shutting_down_ = false;
    bool continue_sent_ = false;
    bool keep_alive_ = false;
    bool close_after_write_ = false;
    unsigned version_ = 11;
    beast::flat_buffer buffer_;
    std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
    std::optional<bhttp::response<bhttp::string_body>> response_;
    std::chrono::steady_clock::time_point started_;
    AccessLogEntry log_entry_;
};

}  // namespace tessera::http
