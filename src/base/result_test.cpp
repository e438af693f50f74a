#include "base/result.hpp"

#include <gtest/gtest.h>

namespace tessera {
namespace {

Result<int> parse_positive(int v) {
    if (v <= 0) return make_error(Code::invalid_params, "must be positive", {}, "v");
    return v;
}

Result<int> doubled(int v) {
    TESSERA_TRY_ASSIGN(int x, parse_positive(v));
    return x * 2;
}

Result<void> check(int v) {
    TESSERA_TRY(parse_positive(v));
    return {};
}

TEST(Result, PropagatesValuesAndErrors) {
    EXPECT_EQ(*doubled(4), 8);
    auto failed = doubled(-1);
    ASSERT_FALSE(failed.has_value());
    EXPECT_EQ(failed.error().code, Code::invalid_params);
    EXPECT_EQ(failed.error().subject, "v");
    EXPECT_TRUE(check(1).has_value());
    EXPECT_EQ(check(0).error().description, "must be positive");
}

}  // namespace
}  // namespace tessera
