#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <mutex>
#include <unordered_map>

#include "base/clock.hpp"
#include "base/id.hpp"
#include "base/result.hpp"

namespace tessera::core {

// A token bucket per key (an account), Heroku spec §1.7: `capacity` calls,
// refilled at `per_minute`. In memory, per node. Thread-safe.
class RateLimiter {
public:
    RateLimiter(const Clock& clock, double capacity, double per_minute)
        : clock_(clock), capacity_(capacity), per_minute_(per_minute) {}

    // Takes one call from `key`'s bucket and returns what is left, or
    // `rate_limited` when the bucket is empty (nothing is taken then).
    Result<int> take(const Id& key);

    // How long an empty bucket takes to hold one call again, in whole
    // seconds (rounded up): a Retry-After value.
    std::int64_t seconds_per_call() const {
        return static_cast<std::int64_t>(std::ceil(60.0 / per_minute_));
    }

private:
    struct Bucket {
        double tokens;
        Timestamp updated;
    };
    // Sharded so concurrent callers rarely share a lock.
    struct Shard {
        std::mutex mutex;
        std::unordered_map<Id, Bucket> buckets;  // guarded by mutex
    };
    static constexpr std::size_t kShards = 16;
    const Clock& clock_;
    const double capacity_;
    const double per_minute_;
    std::array<Shard, kShards> shards_;
};

}  // namespace tessera::core
