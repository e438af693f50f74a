#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace tessera::http {

// Collects lines from many threads and writes them to a file descriptor in
// batches, at the latest every `interval`. Each thread appends to a buffer of
// its own, so request threads neither wait on each other nor pay a write(2)
// per line (a third of the syscalls of a small request). Lines of one thread
// keep their order; lines of different threads may interleave by batch, never
// within a line. Destruction writes everything still buffered.
// Thread-safe.
class BatchedWriter {
public:
    BatchedWriter(int fd, std::chrono::milliseconds interval);
    ~BatchedWriter();
    BatchedWriter(const BatchedWriter&) = delete;
    BatchedWriter& operator=(const BatchedWriter&) = delete;

    // Buffers `line` (which should end in '\n').
    void append(std::string_view line);
    // Writes every buffer now.
    void flush();

private:
    struct Buffer {
        std::mutex mutex;
        std::string data;  // guarded by mutex
    };
    Buffer& local_buffer();
    void write_all(std::string_view data) const;
    void run();

    const int fd_;
    const std::chrono::milliseconds interval_;
    const std::uint64_t generation_;  // tells this writer's thread-local buffers apart
    std::mutex registry_mutex_;
    std::vector<std::shared_ptr<Buffer>> buffers_;  // guarded by registry_mutex_
    std::mutex flush_mutex_;                        // one flush at a time
    std::mutex stop_mutex_;
    std::condition_variable stop_changed_;
    bool stopping_ = false;  // guarded by stop_mutex_
    std::thread thread_;
};

}  // namespace tessera::http
