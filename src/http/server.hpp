#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "http/message.hpp"

namespace tessera::http {

struct ServerOptions {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8080;  // 0: an ephemeral port, see Server::port()
    int io_threads = 0;         // 0: one per core
    int worker_threads = 0;     // handler pool; 0: 4 per core
    std::size_t header_limit = 16 * 1024;
    std::size_t body_limit = 1024 * 1024;
    std::chrono::milliseconds read_timeout{30'000};    // whole request, header and body
    std::chrono::milliseconds idle_timeout{60'000};    // keep-alive between requests
    std::chrono::milliseconds shutdown_grace{10'000};  // in-flight requests on stop()
    std::optional<std::string> tls_cert_file;          // PEM chain; with tls_key_file enables TLS
    std::optional<std::string> tls_key_file;
    bool access_log = true;  // one JSON line per request on stdout
    // Where access log lines go when set (tests, a log shipper); empty: stdout. Called
    // with one whole line, newline included, under a mutex: never concurrently.
    std::function<void(std::string_view line)> access_log_sink;
    // Requests for which this returns true run their handler straight on the
    // I/O thread, skipping the two thread hand-offs of the worker pool. Only
    // for handlers that never block (in-memory or embedded-database work that
    // takes microseconds): on this machine the hand-offs cost more than such a
    // handler. Empty or false: the worker pool.
    std::function<bool(const Request&)> run_inline;
};

// What the transport hands back when it must answer by itself (a malformed
// request, a body over the limit, a bad target): the application renders the
// error in the shape of the surface the path belongs to.
using TransportErrorRenderer =
    std::function<Response(const Request& partial, int status, std::string_view message)>;

// The handler threads a Server with `options` runs: worker_threads, or four
// per core when that is 0.
int worker_thread_count(const ServerOptions& options);

// An HTTP/1.1 server (Boost.Beast, kept out of this header). Keep-alive, one
// I/O thread per core, and handlers run on a bounded worker pool so a slow
// handler never stalls other connections (unless options.run_inline says a
// request's handler cannot be slow). Every response gets a `Request-Id`.
// Thread-safe: stop() may be called from any thread or a signal handler thread.
class Server {
public:
    // The handler may add to the request (the router fills params) but must
    // leave what the transport filled in: the access log reads it afterwards.
    using Handler = std::function<Response(Request&)>;

    Server(ServerOptions options, Handler handler, TransportErrorRenderer render_error);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds and listens. Returns an error message on failure (port in use, bad
    // TLS files), empty on success.
    std::string start();
    // The bound port (after start()).
    std::uint16_t port() const;
    // Serves until stop() or, if `handle_signals`, SIGINT/SIGTERM. Then stops
    // accepting, lets in-flight requests finish (up to shutdown_grace) and returns.
    void run(bool handle_signals);
    void stop();

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace tessera::http
