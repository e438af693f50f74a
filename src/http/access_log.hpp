#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace tessera::http {

class BatchedWriter;

// What one access log line says about one request. Only these fields are ever
// logged: never the query string (it may carry codes or secrets), never another
// header, never a body.
struct AccessLogEntry {
    std::chrono::system_clock::time_point time;  // when the response was done
    std::string request_id;
    std::string client_request_id;  // the incoming Request-Id header; omitted when empty
    std::string method;
    std::string path;  // without the query
    int status = 0;
    std::size_t bytes = 0;  // response body size
    double duration_ms = 0;
    std::string remote;
    std::string user_agent;
};

// Free-form client text (Request-Id, User-Agent) is cut to this many bytes.
inline constexpr std::size_t kAccessLogFieldLimit = 200;

// One JSON object, no trailing newline. Every string is escaped; bytes that are
// not valid UTF-8 become U+FFFD so the line stays valid JSON whatever a client sends.
std::string format_access_log_line(const AccessLogEntry& entry);

// "2024-05-01T12:34:56.789Z".
std::string format_rfc3339_ms(std::chrono::system_clock::time_point time);

// Appends `text` to `out` as a JSON string literal (with the quotes).
void append_json_string(std::string& out, std::string_view text);

// Writes one line per entry to `sink`, or, when it is empty, to stdout in
// batches at least every 50 ms (BatchedWriter; everything is written when the
// log is destroyed). Thread-safe: a sink is called under a mutex with one whole
// line (newline included) at a time, so concurrent requests never interleave.
class AccessLog {
public:
    using Sink = std::function<void(std::string_view line)>;
    explicit AccessLog(Sink sink);
    ~AccessLog();

    void write(const AccessLogEntry& entry);

private:
    std::mutex mutex_;
    Sink sink_;  // guarded by mutex_ (GUARDED_BY)
    std::unique_ptr<BatchedWriter> stdout_;
};

}  // namespace tessera::http
