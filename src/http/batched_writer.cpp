#include "http/batched_writer.hpp"

#include <unistd.h>

#include <atomic>
#include <cerrno>

namespace tessera::http {
namespace {

std::atomic<std::uint64_t> next_generation{1};

// The buffers this thread holds, by writer generation. Usually one entry;
// tests that run several servers in one process make a few.
struct LocalSlot {
    std::uint64_t generation;
    std::weak_ptr<void> buffer;
};
thread_local std::vector<LocalSlot> local_slots;

}  // namespace

BatchedWriter::BatchedWriter(int fd, std::chrono::milliseconds interval)
    : fd_(fd), interval_(interval), generation_(next_generation++), thread_([this] { run(); }) {}

BatchedWriter::~BatchedWriter() {
    {
        std::lock_guard lock(stop_mutex_);
        stopping_ = true;
    }
    stop_changed_.notify_all();
    thread_.join();
    flush();
}

BatchedWriter::Buffer& BatchedWriter::local_buffer() {
    for (auto& slot : local_slots) {
        if (slot.generation != generation_) continue;
        if (auto buffer = slot.buffer.lock()) return *static_cast<Buffer*>(buffer.get());
    }
    // Forget slots of writers that are gone, then register a buffer here.
    std::erase_if(local_slots, [](const LocalSlot& s) { return s.buffer.expired(); });
    auto buffer = std::make_shared<Buffer>();
    {
        std::lock_guard lock(registry_mutex_);
        buffers_.push_back(buffer);
    }
    local_slots.push_back({generation_, buffer});
    return *buffer;
}

void BatchedWriter::append(std::string_view line) {
    Buffer& buffer = local_buffer();
    std::lock_guard lock(buffer.mutex);  // only ever contended by a flush
    buffer.data.append(line);
}

void BatchedWriter::flush() {
    std::lock_guard flushing(flush_mutex_);
    std::vector<std::shared_ptr<Buffer>> buffers;
    {
        std::lock_guard lock(registry_mutex_);
        buffers = buffers_;
    }
    std::string batch;
    for (auto& buffer : buffers) {
        std::string taken;
        {
            std::lock_guard lock(buffer->mutex);
            taken.swap(buffer->data);
        }
        batch += taken;
    }
    if (!batch.empty()) write_all(batch);
}

void BatchedWriter::write_all(std::string_view data) const {
    while (!data.empty()) {
        ssize_t n = ::write(fd_, data.data(), data.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;  // nowhere to report a broken log descriptor
        data.remove_prefix(static_cast<std::size_t>(n));
    }
}

void BatchedWriter::run() {
    std::unique_lock lock(stop_mutex_);
    while (!stopping_) {
        stop_changed_.wait_for(lock, interval_, [this] { return stopping_; });
        lock.unlock();
        flush();
        lock.lock();
    }
}

}  // namespace tessera::http
