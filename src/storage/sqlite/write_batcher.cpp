#include "storage/sqlite/write_batcher.hpp"

#include <exception>

namespace tessera::storage::sqlite {
namespace {

void report(const WriteBatcher::Done& done, Result<void> result) noexcept {
    try {
        done(std::move(result));
    } catch (...) {
        // A callback that throws loses only its own answer; the batcher goes on.
    }
}

}  // namespace

WriteBatcher::WriteBatcher(Database& database, std::size_t max_batch)
    : database_(database), max_batch_(max_batch < 1 ? 1 : max_batch) {
    thread_ = std::thread([this] { run(); });
}

WriteBatcher::~WriteBatcher() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
}

void WriteBatcher::submit(Write write, Done done) {
    {
        std::lock_guard lock(mutex_);
        queue_.push_back({std::move(write), std::move(done)});
    }
    wake_.notify_one();
}

void WriteBatcher::run() {
    std::deque<Item> batch;
    while (true) {
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) return;  // stopping, and nothing left to write
            while (!queue_.empty() && batch.size() < max_batch_) {
                batch.push_back(std::move(queue_.front()));
                queue_.pop_front();
            }
        }
        commit(batch);
        batch.clear();
    }
}

void WriteBatcher::commit(std::deque<Item>& batch) {
    auto all = database_.transaction([&](Connection& connection) -> Result<void> {
        for (auto& item : batch) TESSERA_TRY(item.write(connection));
        return {};
    });
    if (all.has_value() || batch.size() == 1) {
        for (auto& item : batch) report(item.done, all);
        return;
    }
    // Something in the batch failed and nothing was written: each on its own.
    for (auto& item : batch) report(item.done, database_.transaction(item.write));
}

}  // namespace tessera::storage::sqlite
