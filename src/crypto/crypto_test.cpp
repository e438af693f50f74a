#include <gtest/gtest.h>
#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "base/encoding.hpp"
#include "crypto/digest.hpp"
#include "crypto/password.hpp"
#include "crypto/secret_box.hpp"
#include "crypto/token_format.hpp"

namespace tessera::crypto {
namespace {

TEST(Digest, Sha256MatchesKnownVector) {
    auto h = sha256("abc");
    EXPECT_EQ(hex_encode(h), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Digest, KeyedDigestDependsOnKeyAndInput) {
    Digester a(Secret(std::string(32, 'k'))), b(Secret(std::string(32, 'j')));
    EXPECT_EQ(a.digest("token").size(), 32u);
    EXPECT_EQ(a.digest("token"), a.digest("token"));
    EXPECT_NE(a.digest("token"), b.digest("token"));
    EXPECT_NE(a.digest("token"), a.digest("token2"));
}

TEST(Digest, KeyedDigestIsHmacSha256) {
    // RFC 4231 test case 6 (a key longer than the block).
    Digester rfc(Secret(std::string(131, '\xaa')));
    EXPECT_EQ(hex_encode(std::span(reinterpret_cast<const std::uint8_t*>(
                                       rfc.digest("Test Using Larger Than Block-Size Key - Hash "
                                                  "Key First")
                                           .data()),
                                   32)),
              "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(Digest, DigestersInterleavedAcrossThreadsKeepTheirKeys) {
    // Each thread caches a context for the digester it used last.
    Digester a(Secret(std::string(32, 'a'))), b(Secret(std::string(32, 'b')));
    const std::string expect_a = a.digest("x"), expect_b = b.digest("x");
    std::vector<std::thread> threads;
    std::atomic<int> mismatches{0};
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 200; ++i) {
                if (a.digest("x") != expect_a) ++mismatches;
                if (i % 3 == 0 && b.digest("x") != expect_b) ++mismatches;
            }
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(mismatches.load(), 0);
    // A new digester at a freed one's address does not inherit its context.
    auto first = std::make_unique<Digester>(Secret(std::string(32, 'c')));
    std::string with_c = first->digest("y");
    first.reset();
    auto second = std::make_unique<Digester>(Secret(std::string(32, 'd')));
    EXPECT_NE(second->digest("y"), with_c);
    EXPECT_EQ(second->digest("y"), Digester(Secret(std::string(32, 'd'))).digest("y"));
}

TEST(TokenFormat, MintedTokensCarryPrefixAndValidChecksum) {
    SystemRandom random;
    auto t = mint_token(TokenKind::heroku_access_token, random);
    EXPECT_TRUE(t.reveal().starts_with("HRKU-"));
    EXPECT_EQ(t.reveal().size(), 5u + 43 + 6);
    EXPECT_TRUE(has_valid_format(t.reveal()));
    auto s = mint_token(TokenKind::client_secret, random);
    EXPECT_TRUE(s.reveal().starts_with("tcs_"));
    EXPECT_TRUE(has_valid_format(s.reveal()));
    EXPECT_FALSE(t == s);
    for (auto [kind, prefix] : {std::pair{TokenKind::registration_access_token, "tra_"},
                                std::pair{TokenKind::initial_access_token, "tia_"},
                                std::pair{TokenKind::api_key, "tak_"}}) {
        auto minted = mint_token(kind, random).reveal();
        EXPECT_TRUE(minted.starts_with(prefix));
        EXPECT_TRUE(has_valid_format(minted));
        std::string tampered = minted;
        tampered[5] = tampered[5] == 'A' ? 'B' : 'A';
        EXPECT_FALSE(has_valid_format(tampered));
    }
}

TEST(TokenFormat, RejectsTamperedOrForeignTokens) {
    SystemRandom random;
    std::string t = mint_token(TokenKind::access_token, random).reveal();
    std::string flipped = t;
    flipped[10] = flipped[10] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(has_valid_format(flipped));
    EXPECT_FALSE(has_valid_format(t.substr(0, t.size() - 1)));
    EXPECT_FALSE(has_valid_format("xyz_" + t.substr(4)));
    EXPECT_FALSE(has_valid_format(""));
    EXPECT_FALSE(has_valid_format("undefined"));
}

TEST(TokenFormat, TokensWithAnIdCarryItAndAreStillChecked) {
    SeededRandom random(7);
    Id id = Id::generate_time_ordered(random);
    std::string token = mint_token_with_id(TokenKind::access_token, id, random).reveal();
    EXPECT_TRUE(token.starts_with("tat_"));
    EXPECT_EQ(token.size(), 4u + 64 + 6);
    EXPECT_TRUE(has_valid_format(token));
    EXPECT_EQ(embedded_id(token), id);
    std::string other = mint_token_with_id(TokenKind::access_token, id, random).reveal();
    EXPECT_NE(token, other);  // the same id, other random bits
    std::string tampered = token;
    tampered[10] = tampered[10] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(has_valid_format(tampered));
    std::string plain = mint_token(TokenKind::access_token, random).reveal();
    EXPECT_TRUE(has_valid_format(plain));
    EXPECT_EQ(embedded_id(plain), std::nullopt);
    EXPECT_FALSE(has_valid_format(token.substr(0, token.size() - 1)));
    EXPECT_FALSE(has_valid_format("tat_"));
}

TEST(TokenFormat, RedactsWithTenStars) {
    EXPECT_EQ(redact("HRKU-abcdefghijklmnopqrstuvwxyz"), "HRKU-abcd**********wxyz");
}

TEST(Password, Argon2idVerifiesOnlyTheRightPassword) {
    auto hash = hash_password("correct horse");
    ASSERT_TRUE(hash.has_value());
    EXPECT_TRUE(hash->starts_with("$argon2id$"));
    EXPECT_TRUE(verify_password("correct horse", *hash));
    EXPECT_FALSE(verify_password("correct horsE", *hash));
    EXPECT_FALSE(verify_password("correct horse", "not a hash"));
}

TEST(SecretBox, SealsAndOpensBoundToKeyAndAssociatedData) {
    SystemRandom random;
    SecretBox box(Secret(std::string(32, 'a'))), other(Secret(std::string(32, 'b')));
    std::string sealed = box.seal("tcs_the-secret", "client-1", random);
    EXPECT_EQ(sealed.size(), 1u + 12 + 14 + 16);
    EXPECT_EQ(sealed.find("tcs_the-secret"), std::string::npos);
    EXPECT_NE(box.seal("tcs_the-secret", "client-1", random), sealed);  // fresh nonce
    ASSERT_TRUE(box.open(sealed, "client-1").has_value());
    EXPECT_EQ(box.open(sealed, "client-1")->reveal(), "tcs_the-secret");
    EXPECT_FALSE(box.open(sealed, "client-2"));  // moved to another record
    EXPECT_FALSE(other.open(sealed, "client-1"));
    std::string tampered = sealed;
    tampered[20] ^= 1;
    EXPECT_FALSE(box.open(tampered, "client-1"));
    EXPECT_FALSE(box.open(sealed.substr(0, 20), "client-1"));
    EXPECT_FALSE(box.open("", "client-1"));
}

}  // namespace
}  // namespace tessera::crypto
