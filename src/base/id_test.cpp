#include "base/id.hpp"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace tessera
