#include "storage/postgres/wire.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace tessera::storage::postgres {
namespace {

using List = std::vector<std::string>;

TEST(PostgresWire, Int64IsBigEndianAndIntegersSignExtend) {
    std::string out;
    append_int64(out, -2);
    EXPECT_EQ(out, std::string("\xff\xff\xff\xff\xff\xff\xff\xfe", 8));
    const struct {
        std::string bytes;
        std::optional<std::int64_t> value;
    } cases[] = {
        {std::string("\x00\x00\x00\x00\x69\x55\x9e\x40", 8), 1767218752},
        {std::string("\xff\xff\xff\xff", 4), -1},
        {std::string("\x7f\xff", 2), 32767},
        {std::string("\x80\x00", 2), -32768},
        {std::string("\x01", 1), std::nullopt},
        {std::string(), std::nullopt},
        {std::string(16, '\0'), std::nullopt},
    };
    for (const auto& c : cases) EXPECT_EQ(decode_integer(c.bytes), c.value) << c.bytes.size();
}

TEST(PostgresWire, TextArraysRoundTripAnyBytes) {
    const List lists[] = {
        {},
        {""},
        {"a", "", "b c"},
        {"https://a.example/cb?x=\"1\"", "\xc3\xa4", std::string("nul\0inside", 10)},
    };
    for (const auto& list : lists) {
        auto decoded = decode_text_array(encode_text_array(list));
        ASSERT_TRUE(decoded.has_value());
        EXPECT_EQ(*decoded, list);
    }
}

TEST(PostgresWire, MalformedArraysAreRejected) {
    std::string good = encode_text_array({"ab"});
    std::string null_element = good;
    null_element.replace(20, 4, std::string("\xff\xff\xff\xff", 4));  // length -1
    std::string two_dimensions = good;
    two_dimensions[3] = 2;
    std::string int_elements = good;
    int_elements[11] = 23;  // int4
    const std::string bad[] = {
        "",
        good.substr(0, good.size() - 1),
        good + "x",
        null_element.substr(0, 24),
        two_dimensions,
        int_elements,
    };
    for (const auto& bytes : bad)
        EXPECT_FALSE(decode_text_array(bytes).has_value()) << bytes.size();
}

}  // namespace
}  // namespace tessera::storage::postgres
