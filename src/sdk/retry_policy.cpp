#include "sdk/retry_policy.hpp"

#include <charconv>
#include <ctime>

namespace tessera::sdk::detail {
namespace {

std::chrono::milliseconds backoff(int attempt, const Options& options, double jitter) {
    // base * 2^attempt, then between 50% and 100% of that.
    auto wait = options.retry_backoff * (1LL << std::min(attempt, 16));
    return std::chrono::milliseconds(
        static_cast<std::int64_t>(static_cast<double>(wait.count()) * (0.5 + jitter / 2)));
}

// The server's own hint, when it gave one and it is not too long; `too_long`
// is set when it exceeds the cap.
std::optional<std::chrono::milliseconds> server_hint(const HttpResponse& response,
                                                     const Options& options, bool& too_long) {
    too_long = false;
    std::optional<std::chrono::milliseconds> hint;
    auto ms = response.header("retry-after-ms");
    std::int64_t value = 0;
    if (!ms.empty() && std::from_chars(ms.data(), ms.data() + ms.size(), value).ec == std::errc() &&
        value >= 0)
        hint = std::chrono::milliseconds(value);
    if (!hint) {
        if (auto seconds =
                parse_retry_after(response.header("retry-after"), std::chrono::system_clock::now()))
            hint = std::chrono::duration_cast<std::chrono::milliseconds>(*seconds);
    }
    if (hint && *hint > options.max_retry_wait) {
        too_long = true;
        return std::nullopt;
    }
    return hint;
}

}  // namespace

std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                      std::chrono::system_clock::time_point now) {
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
    if (value.empty()) return std::nullopt;
    std::int64_t seconds = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (ec == std::errc() && end == value.data() + value.size())
        return seconds < 0 ? std::nullopt : std::optional(std::chrono::seconds(seconds));
    // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT".
    std::tm tm{};
    std::string copy(value);
    const char* parsed = strptime(copy.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
    if (!parsed || *parsed != '\0') return std::nullopt;
    auto at = std::chrono::system_clock::from_time_t(timegm(&tm));
    auto left = std::chrono::duration_cast<std::chrono::seconds>(at - now);
    return left.count() < 0 ? std::chrono::seconds(0) : left;
}

std::optional<std::chrono::milliseconds> retry_delay(const AttemptOutcome& outcome, bool idempotent,
                                                     int attempt, const Options& options,
                                                     double jitter) {
    if (attempt >= options.max_retries) return std::nullopt;
    switch (outcome.stage) {
        case AttemptOutcome::Stage::not_sent:
            if (outcome.is_permanent) return std::nullopt;
            return backoff(attempt, options, jitter);
        case AttemptOutcome::Stage::not_answered:
            if (!idempotent) return std::nullopt;
            return backoff(attempt, options, jitter);
        case AttemptOutcome::Stage::answered:
            break;
    }
    const HttpResponse& response = *outcome.response;
    if (response.header("x-should-retry") == "false") return std::nullopt;
    int status = response.status;
    bool transient = status == 408 || status == 502 || status == 503 || status == 504;
    if (status != 429 && !(transient && idempotent)) return std::nullopt;
    bool too_long = false;
    auto hint = server_hint(response, options, too_long);
    if (too_long) return std::nullopt;
    return hint ? *hint : backoff(attempt, options, jitter);
}

}  // namespace tessera::sdk::detail
