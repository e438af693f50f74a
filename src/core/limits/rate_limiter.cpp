#include "core/limits/rate_limiter.hpp"

#include <algorithm>

namespace tessera::core {

Result<int> RateLimiter::take(const Id& key) {
    Timestamp now = clock_.now();
    auto& shard = shards_[std::hash<Id>{}(key) % kShards];
    std::lock_guard lock(shard.mutex);
    auto [it, inserted] = shard.buckets.try_emplace(key, Bucket{capacity_, now});
    Bucket& b = it->second;
    if (!inserted && now > b.updated) {
        b.tokens = std::min(capacity_, b.tokens + double(now - b.updated) * per_minute_ / 60.0);
        b.updated = now;
    }
    if (b.tokens < 1.0)
        return make_error(Code::rate_limited,
                          "Your account reached the API rate limit. "
                          "Please wait a few minutes before making new requests");
    b.tokens -= 1.0;
    return static_cast<int>(b.tokens);
}

}  // namespace tessera::core
