#include "api/heroku/range.hpp"

#include <gtest/gtest.h>

namespace tessera::api::heroku {
namespace {

const std::vector<std::string_view> kFields = {"id", "name"};
constexpr const char* kUuid = "01234567-89ab-cdef-0123-456789abcdef";

ParsedRange ok(std::optional<std::string_view> header) {
    auto parsed = parse_range(header, kFields);
    EXPECT_TRUE(std::holds_alternative<ParsedRange>(parsed)) << header.value_or("<none>");
    return std::holds_alternative<ParsedRange>(parsed) ? std::get<ParsedRange>(parsed)
                                                       : ParsedRange{};
}

TEST(HerokuRange, DefaultsWithoutHeader) {
    auto r = ok(std::nullopt);
    EXPECT_EQ(r.field, "id");
    EXPECT_EQ(r.query.max, 200);
    EXPECT_FALSE(r.query.descending);
    EXPECT_FALSE(r.query.start);
}

TEST(HerokuRange, ParsesWhatRealClientsSend) {
    auto a = ok("id ]..; max=1000");  // heroku-client 1.11
    EXPECT_EQ(a.query.max, 1000);
    EXPECT_TRUE(a.query.start_exclusive);
    EXPECT_FALSE(a.query.start);
    auto b = ok("id ..; max=1000");  // heroku-client 3.x
    EXPECT_FALSE(b.query.start_exclusive);
    auto c = ok(std::string("id ]") + kUuid + "..; max=1000");  // a Next-Range, verbatim
    EXPECT_EQ(*c.query.start, kUuid);
    EXPECT_TRUE(c.query.start_exclusive);
    auto d = ok("name ..; max=10, order=desc");
    EXPECT_EQ(d.field, "name");
    EXPECT_EQ(d.query.field, core::SortField::name);
    EXPECT_TRUE(d.query.descending);
    auto e = ok("id ..; order=desc,max=10;");
    EXPECT_EQ(e.query.max, 10);
    EXPECT_TRUE(e.query.descending);
    auto f = ok("id [0123456789ABCDEF0123456789ABCDEF..01234567-89ab-cdef-0123-456789abcdff[");
    EXPECT_EQ(*f.query.start, kUuid);  // normalised
    EXPECT_FALSE(f.query.start_exclusive);
    EXPECT_TRUE(f.query.end_exclusive);
    EXPECT_EQ(ok("id ..; max=5000").query.max, 1000);  // clamped
    EXPECT_EQ(ok("id").query.max, 200);
}

TEST(HerokuRange, RejectsMalformedHeadersWith400AndUnknownFieldsWith416) {
    struct Case {
        const char* header;
        int status;
    };
    for (auto c :
         {Case{"", 400}, Case{"id ]x", 400}, Case{"id ..; max=0", 400}, Case{"id ..; max=ten", 400},
          Case{"id ..; order=up", 400}, Case{"id ..; foo=1", 400}, Case{"id ]not-a-uuid..", 400},
          Case{"created_at ..", 416}, Case{"bytes=0-100", 400}}) {
        auto parsed = parse_range(c.header, kFields);
        ASSERT_TRUE(std::holds_alternative<RangeError>(parsed)) << c.header;
        EXPECT_EQ(std::get<RangeError>(parsed).status, c.status) << c.header;
    }
}

TEST(HerokuRange, NextRangeOnlyWhenMoreFollow) {
    auto r = ok("id ]..; max=2, order=desc");
    http::Response more, last, empty;
    set_range_headers(more, r, kFields, "a", "b", true);
    EXPECT_EQ(more.status, 206);
    EXPECT_EQ(*more.headers.get("Content-Range"), "id a..b; max=2");
    EXPECT_EQ(*more.headers.get("Next-Range"), "id ]b..; max=2, order=desc");
    EXPECT_EQ(*more.headers.get("Accept-Ranges"), "id, name");
    set_range_headers(last, r, kFields, "c", "c", false);
    EXPECT_EQ(last.status, 200);
    EXPECT_FALSE(last.headers.get("Next-Range"));
    set_range_headers(empty, r, kFields, std::nullopt, std::nullopt, false);
    EXPECT_EQ(*empty.headers.get("Content-Range"), "id ..; max=2");
}

}  // namespace
}  // namespace tessera::api::heroku
