#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/random.hpp"
#include "http/access_log.hpp"
#include "http/server.hpp"

// Internal to the HTTP transport: what the server and its sessions share. No
// Beast or Asio here, so only the file that needs them (server.cpp) pays for them.

namespace tessera::http {

// One accepted connection, as the server sees it during shutdown.
class Connection {
public:
    virtual ~Connection() = default;
    // Asks the connection to finish: closes it now if it is idle between requests,
    // otherwise after the response in progress (which then says `Connection:
    // close`). Thread-safe: hops onto the connection's own strand.
    virtual void shutdown() = 0;
};

// Options, application callbacks and the registry of live connections. Outlives
// every connection (the server destroys it last). Thread-safe.
class ConnectionContext {
public:
    ConnectionContext(ServerOptions options, Server::Handler handler,
                      TransportErrorRenderer render_error);

    const ServerOptions& options() const { return options_; }

    // A fresh random UUID v4 for one request.
    std::string new_request_id();

    // The handler's response; an exception becomes a 500 from the renderer (the
    // what() goes to stderr, the request never does).
    Response call_handler(Request& request) noexcept;

    // The renderer's response for a transport error; a plain-text fallback if
    // the renderer itself fails.
    Response render_error(const Request& partial, int status, std::string_view message) noexcept;

    // Writes the entry if the access log is on.
    void log_access(const AccessLogEntry& entry);

    // Registers a new connection; nullopt once a stop has been requested, so no
    // connection can slip past shutdown().
    std::optional<std::uint64_t> track(const std::shared_ptr<Connection>& connection);
    // Called from the connection's destructor.
    void untrack(std::uint64_t id);

    void request_stop();
    void wait_for_stop_request();
    // Calls shutdown() on every live connection, then waits up to `grace` for all
    // of them to end. Returns how many are still open.
    std::size_t shut_down_connections(std::chrono::milliseconds grace);

private:
    ServerOptions options_;
    Server::Handler handler_;
    TransportErrorRenderer render_error_;
    SystemRandom random_;
    std::optional<AccessLog> access_log_;

    std::mutex mutex_;
    std::condition_variable changed_;  // on stop request and on every untrack
    bool stop_requested_ = false;      // guarded by mutex_
    std::uint64_t last_id_ = 0;        // guarded by mutex_
    std::unordered_map<std::uint64_t, std::weak_ptr<Connection>> connections_;  // guarded by mutex_
};

// The logger for transport problems (stderr; stdout belongs to the access log).
void log_transport_error(std::string_view what);

}  // namespace tessera::http
