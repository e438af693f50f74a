#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

#include "base/result.hpp"
#include "storage/sqlite/database.hpp"

namespace tessera::storage::sqlite {

// Group commit (DESIGN.md "Choices that decide speed"): writes submitted
// from any thread are run by one thread of its own, as many as are waiting
// (up to `max_batch`) in one transaction, so the cost of a commit (locks, WAL
// frames, the write lock's hand-over) is shared by all of them. The caller
// does not wait: `done` reports each write's result once it is committed (or
// failed), on the batcher's thread.
//
// If a batch fails, its writes are retried one transaction each, so one bad
// write (a duplicate key, say) fails alone. The destructor runs every write
// already submitted before it returns. Thread-safe.
class WriteBatcher {
public:
    using Write = std::function<Result<void>(Connection&)>;
    using Done = std::function<void(Result<void>)>;

    explicit WriteBatcher(Database& database, std::size_t max_batch = 1024);
    ~WriteBatcher();
    WriteBatcher(const WriteBatcher&) = delete;
    WriteBatcher& operator=(const WriteBatcher&) = delete;

    // Queues `write`; `done` is called exactly once with its result.
    void submit(Write write, Done done);

private:
    struct Item {
        Write write;
        Done done;
    };
    void run();
    void commit(std::deque<Item>& batch);

    Database& database_;
    const std::size_t max_batch_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Item> queue_;  // guarded by mutex_
    bool stopping_ = false;   // guarded by mutex_
    std::thread thread_;
};

}  // namespace tessera::storage::sqlite
