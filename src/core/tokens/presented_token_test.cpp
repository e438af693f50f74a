#include "core/tokens/presented_token.hpp"

#include <gtest/gtest.h>

#include "base/encoding.hpp"
#include "base/random.hpp"
#include "crypto/token_format.hpp"

namespace tessera::core {
namespace {

std::string b64(std::string_view text) {
    return base64url_encode(
        std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

// A compact JWS with `payload` and a placeholder header and signature.
std::string jws(std::string_view payload) {
    return b64(R"({"alg":"ES256","typ":"at+jwt","kid":"k"})") + "." + b64(payload) + ".c2ln";
}

constexpr const char* kJti = "0a6ef5d4-1111-4000-8000-000000000001";

TEST(PresentedToken, OpaqueTokensAreReadAsBefore) {
    SeededRandom random(5);
    Id id = Id::generate_time_ordered(random);
    Secret with_id = crypto::mint_token_with_id(crypto::TokenKind::access_token, id, random);
    auto read = read_presented_token(with_id.reveal());
    ASSERT_TRUE(read.has_value());
    EXPECT_FALSE(read->is_jwt);
    EXPECT_EQ(read->id, id);

    Secret without = crypto::mint_token(crypto::TokenKind::refresh_token, random);
    read = read_presented_token(without.reveal());
    ASSERT_TRUE(read.has_value());
    EXPECT_FALSE(read->is_jwt);
    EXPECT_FALSE(read->id.has_value());

    std::string typo = with_id.reveal();
    typo[10] = typo[10] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(read_presented_token(typo).has_value());
}

TEST(PresentedToken, AJwtIsFoundByItsJtiWithoutBeingTrusted) {
    for (std::string payload :
         {std::string(R"({"jti":")") + kJti + R"("})",
          std::string(R"({"sub":"x","jti":"0a6ef5d4111140008000000000000001"})")}) {
        auto read = read_presented_token(jws(payload));
        ASSERT_TRUE(read.has_value()) << payload;
        EXPECT_TRUE(read->is_jwt);
        EXPECT_EQ(read->id, Id::parse(kJti));
    }
}

TEST(PresentedToken, AnythingElseIsNotOurs) {
    std::string good = jws(std::string(R"({"jti":")") + kJti + R"("})");
    auto parts = good.substr(0, good.rfind('.'));
    for (const std::string& bad : {
             std::string(), std::string("tat_nope"), std::string("a.b.c"),
             parts,                        // two parts
             good + ".x",                  // four parts
             good.substr(good.find('.')),  // no header
             parts + ".",                  // no signature
             jws(R"({"sub":"x"})"),        // no jti
             jws(R"({"jti":7})"),          // jti not a string
             jws(R"({"jti":"t-1"})"),      // jti not an id
             jws(R"(["jti"])"),            // not an object
             jws("not json"),
             b64("{}") + ".e30*.c2ln",  // not base64url
             jws(std::string(R"({"jti":")") + kJti + R"(","pad":")" +
                 std::string(kMaxJwtLength, 'x') + "\"}"),  // too long
         }) {
        EXPECT_FALSE(read_presented_token(bad).has_value()) << bad.substr(0, 80);
    }
}

}  // namespace
}  // namespace tessera::core
