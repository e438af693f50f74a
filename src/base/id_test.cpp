#include "base/id.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "base/random.hpp"

namespace tessera {
namespace {

TEST(Id, ParsesDashedAndCompactFormsInAnyCase) {
    auto dashed = Id::parse("01234567-89AB-cdef-0123-456789abcdef");
    auto compact = Id::parse("0123456789abcdef0123456789ABCDEF");
    ASSERT_TRUE(dashed && compact);
    EXPECT_EQ(*dashed, *compact);
    EXPECT_EQ(dashed->uuid(), "01234567-89ab-cdef-0123-456789abcdef");
    EXPECT_EQ(dashed->hex(), "0123456789abcdef0123456789abcdef");
}

TEST(Id, RejectsMalformedText) {
    for (auto bad : {"", "~", "0123456789abcdef0123456789abcde",
                     "01234567-89ab-cdef-0123456789abcdef0", "0123456789abcdef0123456789abcdeg",
                     "01234567089ab-cdef-0123-456789abcdef", "../etc/passwd"}) {
        EXPECT_FALSE(Id::parse(bad)) << bad;
    }
}

TEST(Id, GeneratesVersion4UuidsThatSortLikeTheirText) {
    SeededRandom random(7);
    Id a = Id::generate(random), b = Id::generate(random);
    EXPECT_NE(a, b);
    EXPECT_EQ(a.uuid()[14], '4');
    EXPECT_EQ(a < b, a.uuid() < b.uuid());
    EXPECT_EQ(a < b, a.hex() < b.hex());
}

TEST(Id, TimeOrderedIdsAreVersion7AndSortInCreationOrder) {
    SeededRandom random(5);
    Id previous = Id::generate_time_ordered(random);
    EXPECT_EQ(previous.bytes()[6] >> 4, 7);
    EXPECT_EQ(previous.bytes()[8] >> 6, 2);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::system_clock::now().time_since_epoch())
                  .count();
    std::int64_t stamp = 0;
    for (int i = 0; i < 6; ++i) stamp = (stamp << 8) | previous.bytes()[i];
    EXPECT_LE(ms - stamp, 1000);
    EXPECT_GE(ms, stamp);
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    Id later = Id::generate_time_ordered(random);
    EXPECT_LT(previous, later);
    EXPECT_LT(previous.uuid(), later.uuid());
}

}  // namespace
}  // namespace tessera
