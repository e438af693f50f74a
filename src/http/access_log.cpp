#include "http/access_log.hpp"

#include "http/batched_writer.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <ctime>

#include "base/clock.hpp"

namespace tessera::http {
namespace {

// Length of the valid UTF-8 sequence at the start of `s`, or 0 if it is not one
// (overlong forms, surrogates and code points past U+10FFFF are invalid).
std::size_t utf8_sequence_length(std::string_view s) {
    auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
    auto continuation = [&](std::size_t i, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
        return i < s.size() && byte(i) >= lo && byte(i) <= hi;
    };
    unsigned char b = byte(0);
    if (b < 0x80) return 1;
    if (b >= 0xC2 && b <= 0xDF) return continuation(1) ? 2 : 0;
    if (b >= 0xE0 && b <= 0xEF) {
        unsigned char lo = b == 0xE0 ? 0xA0 : 0x80, hi = b == 0xED ? 0x9F : 0xBF;
        return continuation(1, lo, hi) && continuation(2) ? 3 : 0;
    }
    if (b >= 0xF0 && b <= 0xF4) {
        unsigned char lo = b == 0xF0 ? 0x90 : 0x80, hi = b == 0xF4 ? 0x8F : 0xBF;
        return continuation(1, lo, hi) && continuation(2) && continuation(3) ? 4 : 0;
    }
    return 0;
}

void append_field(std::string& out, std::string_view name, std::string_view value) {
    out += ',';
    append_json_string(out, name);
    out += ':';
    append_json_string(out, value);
}

void append_number(std::string& out, std::string_view name, std::string_view number) {
    out += ',';
    append_json_string(out, name);
    out += ':';
    out += number;
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    out += '"';
    while (!text.empty()) {
        std::size_t n = utf8_sequence_length(text);
        if (n == 0) {
            out += "\\ufffd";
            text.remove_prefix(1);
            continue;
        }
        char c = text[0];
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\b':
                out += "\\b";
                break;
            case '\f':
                out += "\\f";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
                    out += "\\u00";
                    out += kHex[(c >> 4) & 0xF];
                    out += kHex[c & 0xF];
                } else {
                    out.append(text.substr(0, n));
                }
        }
        text.remove_prefix(n);
    }
    out += '"';
}

std::string format_rfc3339_ms(std::chrono::system_clock::time_point time) {
    using namespace std::chrono;
    auto ms = duration_cast<milliseconds>(time.time_since_epoch()).count();
    auto seconds = ms / 1000, millis = ms % 1000;
    if (millis < 0) --seconds, millis += 1000;
    // "...:SSZ" -> "...:SS.mmmZ"; format_rfc3339 avoids gmtime_r's global lock.
    std::string out = format_rfc3339(seconds);
    out.pop_back();
    out += '.';
    out += char('0' + millis / 100);
    out += char('0' + millis / 10 % 10);
    out += char('0' + millis % 10);
    out += 'Z';
    return out;
}

std::string format_access_log_line(const AccessLogEntry& e) {
    auto clip = [](std::string_view s) { return s.substr(0, kAccessLogFieldLimit); };
    char duration[32];
    std::snprintf(duration, sizeof duration, "%.3f", e.duration_ms);
    std::string out = "{\"time\":\"" + format_rfc3339_ms(e.time) + '"';
    append_field(out, "request_id", e.request_id);
    if (!e.client_request_id.empty())
        append_field(out, "client_request_id", clip(e.client_request_id));
    append_field(out, "method", e.method);
    append_field(out, "path", e.path);
    append_number(out, "status", std::to_string(e.status));
    append_number(out, "bytes", std::to_string(e.bytes));
    append_number(out, "duration_ms", duration);
    append_field(out, "remote", e.remote);
    append_field(out, "user_agent", clip(e.user_agent));
    out += '}';
    return out;
}

AccessLog::AccessLog(Sink sink) : sink_(std::move(sink)) {
    if (!sink_)
        stdout_ = std::make_unique<BatchedWriter>(STDOUT_FILENO, std::chrono::milliseconds(50));
}

AccessLog::~AccessLog() = default;

void AccessLog::write(const AccessLogEntry& entry) {
    std::string line = format_access_log_line(entry);
    line += '\n';
    if (stdout_) return stdout_->append(line);
    std::lock_guard lock(mutex_);
    sink_(line);
}

}  // namespace tessera::http
