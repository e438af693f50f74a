#include "base/clock.hpp"

#include <gtest/gtest.h>

#include <ctime>

namespace tessera {
namespace {

TEST(Clock, CivilTimeMatchesTheCLibraryAcrossCenturiesAndLeapDays) {
    // Every 10007 s from 1901 to 2200 (covers leap days, the non-leap 2100
    // and both signs), against gmtime_r.
    for (Timestamp t = -2177452800; t < 7258118400; t += 10007 * 97) {
        std::time_t tt = static_cast<std::time_t>(t);
        std::tm tm{};
        gmtime_r(&tt, &tm);
        CivilTime c = to_civil(t);
        ASSERT_EQ(c.year, tm.tm_year + 1900) << t;
        ASSERT_EQ(c.month, tm.tm_mon + 1) << t;
        ASSERT_EQ(c.day, tm.tm_mday) << t;
        ASSERT_EQ(c.hour, tm.tm_hour) << t;
        ASSERT_EQ(c.minute, tm.tm_min) << t;
        ASSERT_EQ(c.second, tm.tm_sec) << t;
    }
}

TEST(Clock, FormatsRfc3339WithWholeSecondsAndZ) {
    EXPECT_EQ(format_rfc3339(0), "1970-01-01T00:00:00Z");
    EXPECT_EQ(format_rfc3339(1767268800), "2026-01-01T12:00:00Z");
    EXPECT_EQ(format_rfc3339(951782400), "2000-02-29T00:00:00Z");
    EXPECT_EQ(format_rfc3339(-1), "1969-12-31T23:59:59Z");
}

}  // namespace
}  // namespace tessera
