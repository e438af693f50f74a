#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include "base/result.hpp"
#include "storage/postgres/database.hpp"

namespace tessera::storage::postgres {

// Cache invalidations between the nodes on one PostgreSQL database, by
// LISTEN/NOTIFY on the channel `tessera_cache` (DESIGN.md "Choices that
// decide speed"). A node publishes what its writes invalidated; every node
// (itself included) hears it, usually within milliseconds, and drops those
// entries. Notifications are a shortcut, not the guarantee: a message can be
// lost with the listening connection, so the cache's entry lifetime (900 ms)
// still bounds how stale a node can be, and after the listening connection
// is lost and opened again `resync` runs, since messages may have been
// missed meanwhile.
//
// A thread of its own waits on a connection of its own. Thread-safe.
class ChangeChannel {
public:
    using Deliver = std::function<void(std::string_view message)>;
    using Resync = std::function<void()>;

    // Starts listening (connecting in the background, retrying every
    // second while the database is unreachable). `deliver` and `resync` run
    // on the channel's thread; they must be thread-safe and outlive the
    // channel. Publishing goes through `database`'s pool.
    ChangeChannel(Database& database, std::string conninfo, Deliver deliver, Resync resync);
    // Stops and joins the thread.
    ~ChangeChannel();
    ChangeChannel(const ChangeChannel&) = delete;
    ChangeChannel& operator=(const ChangeChannel&) = delete;

    // Sends `message` (at most 7999 bytes) to every node's deliver, through
    // a pooled connection. A failure (the database is down) needs no
    // handling beyond a log line: the entry lifetime bounds the staleness.
    Result<void> publish(std::string_view message);

    // Whether the channel is listening now (tests wait for it).
    bool listening() const;

private:
    struct State;
    void run(std::stop_token stop);

    Database& database_;
    const std::string conninfo_;
    const Deliver deliver_;
    const Resync resync_;
    std::unique_ptr<State> state_;
    std::jthread thread_;  // last: stops before the members it uses go
};

}  // namespace tessera::storage::postgres
