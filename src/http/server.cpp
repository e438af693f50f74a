#include "http/server.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <csignal>
#include <optional>
#include <thread>
#include <vector>

#include "http/connection.hpp"
#include "http/session.hpp"

namespace tessera::http {
namespace {

using tcp = net::ip::tcp;

int cores() { return static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }

int io_thread_count(const ServerOptions& options) {
    return options.io_threads > 0 ? options.io_threads : cores();
}

std::vector<std::unique_ptr<net::io_context>> make_io_contexts(int count) {
    std::vector<std::unique_ptr<net::io_context>> out;
    for (int i = 0; i < count; ++i) out.push_back(std::make_unique<net::io_context>(1));
    return out;
}

std::string describe(const std::string& host, std::uint16_t port) {
    bool is_ipv6 = host.find(':') != std::string::npos;
    return (is_ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

// "1.2.3.4" rather than "::ffff:1.2.3.4" when listening on a dual-stack socket.
std::string client_address(const tcp::endpoint& endpoint) {
    auto address = endpoint.address();
    if (address.is_v6() && address.to_v6().is_v4_mapped())
        return net::ip::make_address_v4(net::ip::v4_mapped, address.to_v6()).to_string();
    return address.to_string();
}

}  // namespace

// One io_context per I/O thread, each run by exactly one thread: a
// connection lives on one of them from accept to close, so its handlers never
// run concurrently without a strand, and no completion has to wake another
// thread (a shared io_context spent most of its time in those wake-ups).
//
// Member order is destruction order, reversed: the worker pool is joined
// first, while the io_contexts still own the sessions that pool jobs refer to;
// the io_contexts then destroy the sessions, which untrack themselves from the
// context and use the TLS context, both destroyed last.
struct Server::State {
    State(ServerOptions options, Handler handler, TransportErrorRenderer render_error)
        : context(std::move(options), std::move(handler), std::move(render_error)),
          iocs(make_io_contexts(io_thread_count(context.options()))),
          control(net::make_strand(*iocs.front())),
          acceptor(control),
          accept_retry(control),
          workers(worker_thread_count(context.options())) {}

    std::string load_tls();
    std::string listen();
    void accept();
    void on_accept(beast::error_code ec, tcp::socket socket);
    template <class Stream, class... StreamArgs>
    void serve(std::string remote, StreamArgs&&... stream_args);
    void shut_down();

    ConnectionContext context;
    std::optional<net::ssl::context> tls;
    std::vector<std::unique_ptr<net::io_context>> iocs;
    std::size_t next_ioc = 0;  // round-robin for accepted connections; control strand only
    net::strand<net::io_context::executor_type> control;  // acceptor and signals
    tcp::acceptor acceptor;
    net::steady_timer accept_retry;
    std::optional<net::signal_set> signals;
    std::vector<net::executor_work_guard<net::io_context::executor_type>> work;
    std::uint16_t port = 0;
    bool started = false;
    bool ran = false;
    net::thread_pool workers;
};

std::string Server::State::load_tls() {
    const auto& options = context.options();
    if (!options.tls_cert_file && !options.tls_key_file) return {};
    if (!options.tls_cert_file || !options.tls_key_file)
        return "TLS needs both tls_cert_file and tls_key_file";
    auto& ssl = tls.emplace(net::ssl::context::tls_server);
    ssl.set_options(net::ssl::context::default_workarounds | net::ssl::context::single_dh_use);
    SSL_CTX_set_min_proto_version(ssl.native_handle(), TLS1_2_VERSION);
    beast::error_code ec;
    ssl.use_certificate_chain_file(*options.tls_cert_file, ec);
    if (ec) {
        tls.reset();
        return "cannot load TLS certificate chain " + *options.tls_cert_file + ": " + ec.message();
    }
    ssl.use_private_key_file(*options.tls_key_file, net::ssl::context::pem, ec);
    if (ec) {
        tls.reset();
        return "cannot load TLS private key " + *options.tls_key_file + ": " + ec.message();
    }
    if (SSL_CTX_check_private_key(ssl.native_handle()) != 1) {
        tls.reset();
        return "TLS private key " + *options.tls_key_file + " does not match the certificate";
    }
    return {};
}

std::string Server::State::listen() {
    const auto& options = context.options();
    std::string where = describe(options.host, options.port);
    beast::error_code ec;
    tcp::resolver resolver(*iocs.front());
    auto endpoints = resolver.resolve(options.host, std::to_string(options.port),
                                      tcp::resolver::passive | tcp::resolver::numeric_service, ec);
    if (ec || endpoints.empty())
        return "cannot listen on " + where + ": " + (ec ? ec.message() : "no address");
    tcp::endpoint endpoint = *endpoints.begin();
    auto fail = [&](const beast::error_code& error) {
        beast::error_code ignored;
        acceptor.close(ignored);
        return "cannot listen on " + where + ": " + error.message();
    };
    if (acceptor.open(endpoint.protocol(), ec); ec) return fail(ec);
    if (acceptor.set_option(net::socket_base::reuse_address(true), ec); ec) return fail(ec);
    if (acceptor.bind(endpoint, ec); ec) return fail(ec);
    if (acceptor.listen(net::socket_base::max_listen_connections, ec); ec) return fail(ec);
    port = acceptor.local_endpoint(ec).port();
    return {};
}

void Server::State::accept() {
    auto& ioc = *iocs[next_ioc++ % iocs.size()];
    acceptor.async_accept(ioc.get_executor(), [this](beast::error_code ec, tcp::socket socket) {
        on_accept(ec, std::move(socket));
    });
}

void Server::State::on_accept(beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
    if (ec) {
        // Usually out of file descriptors: pause rather than spin on the error.
        log_transport_error("accept failed: " + ec.message());
        accept_retry.expires_after(std::chrono::milliseconds(50));
        accept_retry.async_wait([this](beast::error_code wait_ec) {
            if (!wait_ec && acceptor.is_open()) accept();
        });
        return;
    }
    auto remote = socket.remote_endpoint(ec);
    if (!ec) {  // else the client has already gone
        socket.set_option(tcp::no_delay(true), ec);
        if (tls)
            serve<TlsStream>(client_address(remote), std::move(socket), *tls);
        else
            serve<beast::tcp_stream>(client_address(remote), std::move(socket));
    }
    accept();
}

template <class Stream, class... StreamArgs>
void Server::State::serve(std::string remote, StreamArgs&&... stream_args) {
    auto session = std::make_shared<Session<Stream>>(context, workers, std::move(remote),
                                                     std::forward<StreamArgs>(stream_args)...);
    // A refused session (a stop is under way) closes its socket as it goes.
    if (auto id = context.track(session)) session->start(*id);
}

void Server::State::shut_down() {
    net::post(control, [this] {
        beast::error_code ignored;
        acceptor.close(ignored);
        accept_retry.cancel();
        // Restores the default disposition: a second Ctrl-C ends the process at once.
        signals.reset();
    });
    auto grace = context.options().shutdown_grace;
    if (auto open = context.shut_down_connections(grace); open > 0)
        log_transport_error(std::to_string(open) + " connection(s) still busy after " +
                            std::to_string(grace.count()) + " ms of shutdown grace; dropped");
}

Server::Server(ServerOptions options, Handler handler, TransportErrorRenderer render_error)
    : state_(std::make_unique<State>(std::move(options), std::move(handler),
                                     std::move(render_error))) {}

Server::~Server() = default;

std::string Server::start() {
    auto& s = *state_;
    if (s.started) return "server already started";
    if (auto error = s.load_tls(); !error.empty()) return error;
    if (auto error = s.listen(); !error.empty()) return error;
    s.started = true;
    for (auto& ioc : s.iocs) s.work.emplace_back(ioc->get_executor());
    s.accept();  // no I/O thread runs yet, so no strand is needed here
    return {};
}

std::uint16_t Server::port() const { return state_->port; }

void Server::run(bool handle_signals) {
    auto& s = *state_;
    if (!s.started || s.ran) return;  // a Server serves once
    s.ran = true;
    if (handle_signals) {
        s.signals.emplace(s.control, SIGINT, SIGTERM);
        s.signals->async_wait([&s](beast::error_code ec, int) {
            if (!ec) s.context.request_stop();
        });
    }
    std::vector<std::thread> threads;
    for (auto& ioc : s.iocs) threads.emplace_back([&ioc = *ioc] { ioc.run(); });
    s.context.wait_for_stop_request();
    s.shut_down();
    // Sessions still open past the grace period stay queued in the stopped
    // io_context and are destroyed with the Server.
    s.work.clear();
    for (auto& ioc : s.iocs) ioc->stop();
    for (auto& thread : threads) thread.join();
}

void Server::stop() { state_->context.request_stop(); }

int worker_thread_count(const ServerOptions& options) {
    return options.worker_threads > 0 ? options.worker_threads : 4 * cores();
}

}  // namespace tessera::http
