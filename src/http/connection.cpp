#include "http/connection.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <exception>
#include <vector>

#include "base/id.hpp"

namespace tessera::http {
namespace {

spdlog::logger& logger() {
    // Not registered globally, so several servers (tests) can coexist.
    static auto instance =
        std::make_shared<spdlog::logger>("http", std::make_shared<spdlog::sinks::stderr_sink_mt>());
    return *instance;
}

}  // namespace

void log_transport_error(std::string_view what) { logger().error("{}", what); }

ConnectionContext::ConnectionContext(ServerOptions options, Server::Handler handler,
                                     TransportErrorRenderer render_error)
    : options_(std::move(options)),
      handler_(std::move(handler)),
      render_error_(std::move(render_error)) {
    if (options_.access_log) access_log_.emplace(options_.access_log_sink);
}

// Request ids need uniqueness, not secrecy: a per-thread generator seeded
// from the system CSPRNG avoids a locked RAND_bytes call per request.
std::string ConnectionContext::new_request_id() {
    thread_local SeededRandom generator([this] {
        std::uint64_t seed = 0;
        random_.fill({reinterpret_cast<std::uint8_t*>(&seed), sizeof seed});
        return seed;
    }());
    return Id::generate(generator).uuid();
}

Response ConnectionContext::call_handler(Request& request) noexcept {
    try {
        return handler_(request);
    } catch (const std::exception& e) {
        logger().error("request {}: handler threw: {}", request.request_id, e.what());
    } catch (...) {
        logger().error("request {}: handler threw a non-standard exception", request.request_id);
    }
    return render_error(request, 500, "internal server error");
}

Response ConnectionContext::render_error(const Request& partial, int status,
                                         std::string_view message) noexcept {
    try {
        return render_error_(partial, status, message);
    } catch (const std::exception& e) {
        logger().error("request {}: error renderer threw: {}", partial.request_id, e.what());
    } catch (...) {
        logger().error("request {}: error renderer threw", partial.request_id);
    }
    Response fallback;
    fallback.status = status;
    fallback.headers.add("Content-Type", "text/plain; charset=utf-8");
    fallback.body = std::string(message);
    return fallback;
}

void ConnectionContext::log_access(const AccessLogEntry& entry) {
    if (access_log_) access_log_->write(entry);
}

std::optional<std::uint64_t> ConnectionContext::track(
    const std::shared_ptr<Connection>& connection) {
    std::lock_guard lock(mutex_);
    if (stop_requested_) return std::nullopt;
    auto id = ++last_id_;
    connections_.emplace(id, connection);
    return id;
}

void ConnectionContext::untrack(std::uint64_t id) {
    {
        std::lock_guard lock(mutex_);
        connections_.erase(id);
    }
    changed_.notify_all();
}

void ConnectionContext::request_stop() {
    {
        std::lock_guard lock(mutex_);
        stop_requested_ = true;
    }
    changed_.notify_all();
}

void ConnectionContext::wait_for_stop_request() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return stop_requested_; });
}

std::size_t ConnectionContext::shut_down_connections(std::chrono::milliseconds grace) {
    std::vector<std::shared_ptr<Connection>> live;
    {
        std::lock_guard lock(mutex_);
        for (auto& [id, weak] : connections_)
            if (auto connection = weak.lock()) live.push_back(std::move(connection));
    }
    for (auto& connection : live) connection->shutdown();
    // Dropped outside the lock: the last reference runs ~Connection, which untracks.
    live.clear();
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, grace, [&] { return connections_.empty(); });
    return connections_.size();
}

}  // namespace tessera::http
