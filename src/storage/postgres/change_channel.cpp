#include "storage/postgres/change_channel.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <utility>

namespace tessera::storage::postgres {
namespace {

constexpr std::string_view kListen = "LISTEN tessera_cache";
constexpr std::string_view kNotify = "SELECT pg_notify('tessera_cache', $1)";
// How long the thread waits before it tries to connect again.
constexpr int kRetryMs = 1000;

}  // namespace

struct ChangeChannel::State {
    // Written by the destructor to wake the thread from poll().
    int wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    std::atomic<bool> listening{false};
    // The first connection, opened by the constructor so that the node
    // listens before it serves; the thread takes it over.
    std::unique_ptr<Connection> first;

    ~State() {
        if (wake >= 0) close(wake);
    }
};

namespace {

// A connection that LISTENs, or null when the database cannot be reached.
std::unique_ptr<Connection> listen_on(const std::string& conninfo) {
    auto opened = Connection::open(conninfo);
    if (!opened.has_value()) return nullptr;
    if (!(*opened)->execute(kListen).has_value()) return nullptr;
    return std::move(opened).value();
}

}  // namespace

ChangeChannel::ChangeChannel(Database& database, std::string conninfo, Deliver deliver,
                             Resync resync)
    : database_(database),
      conninfo_(std::move(conninfo)),
      deliver_(std::move(deliver)),
      resync_(std::move(resync)),
      state_(std::make_unique<State>()) {
    state_->first = listen_on(conninfo_);
    state_->listening = state_->first != nullptr;
    thread_ = std::jthread([this](std::stop_token stop) { run(std::move(stop)); });
}

ChangeChannel::~ChangeChannel() {
    thread_.request_stop();
    std::uint64_t one = 1;
    if (state_->wake >= 0) (void)write(state_->wake, &one, sizeof one);
    if (thread_.joinable()) thread_.join();
}

Result<void> ChangeChannel::publish(std::string_view message) {
    return database_.read("publish_invalidation", [&](Connection& connection) -> Result<void> {
        TESSERA_TRY(connection.run(kNotify, Params().text(message)));
        return {};
    });
}

bool ChangeChannel::listening() const { return state_->listening.load(); }

void ChangeChannel::run(std::stop_token stop) {
    std::unique_ptr<Connection> connection = std::move(state_->first);
    // Whether messages may have been missed since the cache was last whole:
    // set when the constructor could not listen or a connection was lost.
    bool missed = connection == nullptr;
    while (!stop.stop_requested()) {
        if (!connection) {
            connection = listen_on(conninfo_);
            if (!connection) {
                pollfd wake{state_->wake, POLLIN, 0};
                poll(&wake, 1, kRetryMs);
                continue;
            }
            state_->listening = true;
            if (missed) resync_();
            missed = false;
        }
        pollfd fds[2] = {{connection->socket(), POLLIN, 0}, {state_->wake, POLLIN, 0}};
        if (poll(fds, 2, -1) < 0) continue;  // EINTR
        if (stop.stop_requested()) break;
        if (fds[0].revents == 0) continue;
        auto messages = connection->take_notifications();
        if (!messages.has_value()) {
            connection.reset();
            state_->listening = false;
            missed = true;
            continue;
        }
        for (const auto& message : *messages) deliver_(message);
    }
}

}  // namespace tessera::storage::postgres
