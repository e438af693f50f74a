#include "base/encoding.hpp"

#include <gtest/gtest.h>

namespace tessera {
namespace {

std::vector<std::uint8_t> bytes(std::string_view s) { return {s.begin(), s.end()}; }

TEST(Encoding, HexRoundTripsAndRejectsBadInput) {
    EXPECT_EQ(hex_encode(bytes("\x01\xab\xff")), "01abff");
    EXPECT_EQ(*hex_decode("01ABff"), bytes("\x01\xab\xff"));
    EXPECT_FALSE(hex_decode("abc"));
    EXPECT_FALSE(hex_decode("zz"));
}

TEST(Encoding, Base64UrlMatchesRfc4648Vectors) {
    // RFC 4648 §10 test vectors, without padding and with the URL alphabet.
    struct Case {
        std::string_view plain, encoded;
    };
    for (auto [plain, encoded] :
         {Case{"", ""}, Case{"f", "Zg"}, Case{"fo", "Zm8"}, Case{"foo", "Zm9v"},
          Case{"foob", "Zm9vYg"}, Case{"fooba", "Zm9vYmE"}, Case{"foobar", "Zm9vYmFy"}}) {
        EXPECT_EQ(base64url_encode(bytes(plain)), encoded);
        EXPECT_EQ(*base64url_decode(encoded), bytes(plain));
    }
    EXPECT_EQ(base64url_encode(bytes("\xfb\xff")), "-_8");
    EXPECT_FALSE(base64url_decode("a"));
    EXPECT_FALSE(base64url_decode("ab+c"));
}

TEST(Encoding, StandardBase64DecodesBasicCredentials) {
    EXPECT_EQ(*base64_decode("OnRva2Vu"), ":token");
    EXPECT_EQ(base64_encode("user:pass"), "dXNlcjpwYXNz");
    EXPECT_EQ(*base64_decode("dXNlcjpwYXNz"), "user:pass");
    EXPECT_FALSE(base64_decode("!!!"));
}

TEST(Encoding, ConstantTimeEqualsComparesLengthAndContent) {
    EXPECT_TRUE(constant_time_equals("abc", "abc"));
    EXPECT_FALSE(constant_time_equals("abc", "abd"));
    EXPECT_FALSE(constant_time_equals("abc", "abcd"));
    EXPECT_TRUE(constant_time_equals("", ""));
}

TEST(FormEncode, KeepsTheUrlStandardSetAndEscapesTheRest) {
    EXPECT_EQ(form_encode("aZ09*-._"), "aZ09*-._");
    EXPECT_EQ(form_encode("a b"), "a+b");
    EXPECT_EQ(form_encode("x=1&y=\"<>#?/~"), "x%3D1%26y%3D%22%3C%3E%23%3F%2F%7E");
    EXPECT_EQ(form_encode("\xc3\xa9\n"), "%C3%A9%0A");
    EXPECT_EQ(form_encode(""), "");
}

}  // namespace
}  // namespace tessera
