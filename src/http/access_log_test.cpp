#include "http/access_log.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tessera::http {
namespace {

std::string json(std::string_view text) {
    std::string out;
    append_json_string(out, text);
    return out;
}

TEST(AccessLog, EscapesJsonStringsTable) {
    struct Case {
        std::string in;
        std::string out;
    };
    for (const auto& c : std::vector<Case>{
             {"plain", R"("plain")"},
             {"a\"b\\c", R"("a\"b\\c")"},
             {"\n\r\t\b\f", R"("\n\r\t\b\f")"},
             {std::string("\x01\x1f\x7f", 3), R"("\u0001\u001f\u007f")"},
             {std::string("nul\0x", 5), R"("nul\u0000x")"},
             {"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x91",
              "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x91\""},
             {"bad \xff byte", R"("bad \ufffd byte")"},
             {"overlong \xc0\xaf", R"("overlong \ufffd\ufffd")"},
             {"surrogate \xed\xa0\x80", R"("surrogate \ufffd\ufffd\ufffd")"},
             {"cut \xe2\x82", R"("cut \ufffd\ufffd")"},
             {"too big \xf4\x90\x80\x80", R"("too big \ufffd\ufffd\ufffd\ufffd")"},
         }) {
        EXPECT_EQ(json(c.in), c.out) << c.in;
    }
}

TEST(AccessLog, FormatsRfc3339WithMilliseconds) {
    using namespace std::chrono;
    system_clock::time_point t{milliseconds(1'714'566'896'789)};
    EXPECT_EQ(format_rfc3339_ms(t), "2024-05-01T12:34:56.789Z");
    EXPECT_EQ(format_rfc3339_ms(system_clock::time_point{}), "1970-01-01T00:00:00.000Z");
}

AccessLogEntry sample() {
    AccessLogEntry e;
    e.time = std::chrono::system_clock::time_point{std::chrono::milliseconds(1'714'566'896'789)};
    e.request_id = "01234567-89ab-4def-8123-456789abcdef";
    e.method = "GET";
    e.path = "/oauth/clients";
    e.status = 200;
    e.bytes = 42;
    e.duration_ms = 1.25;
    e.remote = "127.0.0.1";
    e.user_agent = "heroku-client/1.11";
    return e;
}

TEST(AccessLog, FormatsOneLineWithTheDocumentedFieldsOnly) {
    EXPECT_EQ(format_access_log_line(sample()),
              R"({"time":"2024-05-01T12:34:56.789Z","request_id":"01234567-89ab-4def-8123-)"
              R"(456789abcdef","method":"GET","path":"/oauth/clients","status":200,"bytes":42,)"
              R"("duration_ms":1.250,"remote":"127.0.0.1","user_agent":"heroku-client/1.11"})");
}

TEST(AccessLog, TruncatesClientTextTo200Bytes) {
    auto e = sample();
    e.client_request_id = std::string(300, 'r');
    e.user_agent = std::string(300, 'u');
    auto line = format_access_log_line(e);
    EXPECT_NE(line.find("\"client_request_id\":\"" + std::string(200, 'r') + "\""),
              std::string::npos);
    EXPECT_NE(line.find("\"user_agent\":\"" + std::string(200, 'u') + "\""), std::string::npos);
    EXPECT_EQ(line.find(std::string(201, 'r')), std::string::npos);
}

TEST(AccessLog, SinkGetsWholeLinesWithNewline) {
    std::vector<std::string> lines;
    AccessLog log([&](std::string_view line) { lines.emplace_back(line); });
    log.write(sample());
    log.write(sample());
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0], format_access_log_line(sample()) + "\n");
}

}  // namespace
}  // namespace tessera::http
