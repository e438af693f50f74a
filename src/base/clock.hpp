#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace tessera {

// Seconds since the Unix epoch, UTC. Everything we store and render has
// whole-second precision (Heroku datetimes are whole seconds).
using Timestamp = std::int64_t;

// The source of time. Injected so tests move time with FakeClock::advance().
// Implementations are thread-safe.
class Clock {
public:
    virtual ~Clock() = default;
    virtual Timestamp now() const = 0;
};

class SystemClock final : public Clock {
public:
    Timestamp now() const override {
        return std::chrono::duration_cast<std::chrono::seconds>(
                   std::chrono::system_clock::now().time_since_epoch())
            .count();
    }
};

// A UTC calendar time. Computed arithmetically: gmtime_r takes glibc's
// global tz lock, which every request would contend on.
struct CivilTime {
    int year, month, day, hour, minute, second;  // month 1..12, day 1..31
};
CivilTime to_civil(Timestamp t);

// RFC 3339 UTC with whole seconds and `Z`, e.g. "2012-01-01T12:00:00Z".
std::string format_rfc3339(Timestamp t);

}  // namespace tessera
