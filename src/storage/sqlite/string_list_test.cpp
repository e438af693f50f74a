#include "storage/sqlite/string_list.hpp"

#include <gtest/gtest.h>

namespace tessera::storage::sqlite {
namespace {

using List = std::vector<std::string>;

TEST(StringList, RoundTripsEveryListOfByteStrings) {
    const List cases[] = {
        {},
        {""},
        {"", ""},
        {"https://app.example/callback"},
        {"https://a.example/cb?x=1,2", "http://localhost:8080/"},
        {"\"quoted\"", "back\\slash", "new\nline\ttab\r", std::string("nul\0byte", 8)},
        {"\x01\x1f\x7f", "]", "[\"x\"]", ","},
        {"\xc3\xa4pp \xf0\x9f\x98\x80", "\xff\xfe not utf-8"},
    };
    for (const auto& list : cases) {
        auto decoded = decode_string_list(encode_string_list(list));
        ASSERT_TRUE(decoded) << encode_string_list(list);
        EXPECT_EQ(*decoded, list) << encode_string_list(list);
    }
}

TEST(StringList, EncodesAsACompactJsonArray) {
    const std::pair<List, std::string> cases[] = {
        {{}, "[]"},
        {{"a"}, R"(["a"])"},
        {{"a", "b\"c", "d\\e"}, R"(["a","b\"c","d\\e"])"},
        {{"line\nbreak\x01"}, R"(["line\u000abreak\u0001"])"},
    };
    for (const auto& [list, json] : cases) EXPECT_EQ(encode_string_list(list), json);
}

TEST(StringList, DecodesJsonWrittenByOthers) {
    const std::pair<std::string, List> cases[] = {
        {" [ \"a\" , \"b\" ] ", {"a", "b"}},
        {R"(["\/\b\f\n\r\t"])", {"/\b\f\n\r\t"}},
        {R"(["\u00e4\u20AC"])", {"\xc3\xa4\xe2\x82\xac"}},
        {R"(["\ud83d\ude00"])", {"\xf0\x9f\x98\x80"}},
        {"[\n]", {}},
    };
    for (const auto& [json, list] : cases) {
        auto decoded = decode_string_list(json);
        ASSERT_TRUE(decoded) << json;
        EXPECT_EQ(*decoded, list) << json;
    }
}

TEST(StringList, RejectsTextThatIsNotAnArrayOfStrings) {
    for (std::string bad :
         {"", "[", "]", "[\"a\"", "[\"a\",]", "[,]", "[1]", "{}", "\"a\"", "[\"a\"] x",
          "[\"a\" \"b\"]", R"(["\x"])", R"(["\u12"])", R"(["\ud800"])", R"(["\ude00"])",
          R"(["\ud800\u0041"])", "[\"tab\there\"]", "[\"unterminated]"}) {
        EXPECT_FALSE(decode_string_list(bad)) << bad;
    }
}

TEST(Scope, JoinsWithSpacesAndSplitsBack) {
    const std::pair<List, std::string> cases[] = {
        {{}, ""},
        {{"global"}, "global"},
        {{"read", "write", "identity"}, "read write identity"},
    };
    for (const auto& [scope, text] : cases) {
        EXPECT_EQ(join_scope(scope), text);
        EXPECT_EQ(split_scope(text), scope);
    }
    EXPECT_EQ(split_scope("  read   write "), (List{"read", "write"}));
}

}  // namespace
}  // namespace tessera::storage::sqlite
