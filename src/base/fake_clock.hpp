#pragma once

#include <atomic>

#include "base/clock.hpp"

namespace tessera {

// A clock for tests: time moves only by advance().
class FakeClock final : public Clock {
public:
    explicit FakeClock(Timestamp start = 1767268800 /* 2026-01-01T12:00:00Z */) : now_(start) {}
    Timestamp now() const override { return now_.load(); }
    void advance(Timestamp seconds) { now_ += seconds; }

private:
    std::atomic<Timestamp> now_;
};

}  // namespace tessera
