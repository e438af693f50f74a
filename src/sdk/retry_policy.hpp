#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "sdk/http_types.hpp"
#include "tessera/options.hpp"
#include "tessera/result.hpp"

namespace tessera::sdk::detail {

// How one attempt ended, as far as the retry decision cares.
struct AttemptOutcome {
    enum class Stage {
        answered,      // a whole response arrived (see `response`)
        not_sent,      // the connection could not be opened: nothing reached the server
        not_answered,  // sent (maybe partly) but no whole response came back
    };
    Stage stage = Stage::answered;
    const HttpResponse* response = nullptr;  // with `answered`
    const ApiError* error = nullptr;         // otherwise
    // A failure that will not heal by retrying: a certificate that does not
    // verify, a host name that does not resolve.
    bool is_permanent = false;
};

// The wait before attempt number `attempt + 1` (attempt counts from 0), or
// nullopt when the outcome is final. Pure: the caller sleeps. `jitter` in
// [0, 1) spreads backoffs of many clients.
//  - never past options.max_retries, never when the server says
//    `x-should-retry: false`;
//  - not_sent: retried unless the failure is permanent;
//  - not_answered: retried for idempotent requests only;
//  - 429: retried for every request (the server did nothing), after
//    Retry-After when it sent one (not when it exceeds max_retry_wait);
//  - 408, 502, 503, 504: retried for idempotent requests only.
std::optional<std::chrono::milliseconds> retry_delay(const AttemptOutcome& outcome, bool idempotent,
                                                     int attempt, const Options& options,
                                                     double jitter);

// A Retry-After value: delta-seconds, or an HTTP-date relative to `now`
// (negative results are 0). nullopt when unparseable.
std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                      std::chrono::system_clock::time_point now);

}  // namespace tessera::sdk::detail
