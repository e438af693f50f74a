#include "core/keys/key_ring.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "base/encoding.hpp"
#include "base/fake_clock.hpp"
#include "storage/sqlite/memory_store.hpp"

namespace tessera::core {
namespace {

// A JSON string's text (for comparing with std::string).
std::string text(const boost::json::value& v) {
    return v.is_string() ? std::string(v.as_string()) : std::string("<not a string>");
}

class KeyRingTest : public ::testing::Test {
protected:
    std::vector<std::pair<std::string, KeyState>> published() {
        auto keys = ring_.published();
        EXPECT_TRUE(keys.has_value());
        std::vector<std::pair<std::string, KeyState>> out;
        for (const auto& k : *keys) out.emplace_back(k.id, k.state);
        return out;
    }
    std::string current_kid() {
        auto current = ring_.current();
        EXPECT_TRUE(current.has_value()) << current.error().log_detail;
        return current ? current->kid : "";
    }

    FakeClock clock_;
    SeededRandom random_{7};
    storage::sqlite::MemoryStore memory_;
    storage::sqlite::SqliteStore& store_ = memory_.store();
    crypto::SecretBox sealer_{Secret(std::string(32, 'b'))};
    KeyRing ring_{store_, sealer_, clock_, random_, KeyPolicy{600}};
};

using Published = std::vector<std::pair<std::string, KeyState>>;

TEST_F(KeyRingTest, FirstStartCreatesOneEs256CurrentKeyOnce) {
    EXPECT_EQ(ring_.current().error().code, Code::unavailable);
    ASSERT_TRUE(ring_.ensure_key().has_value());
    ASSERT_TRUE(ring_.ensure_key().has_value());
    auto keys = *ring_.published();
    ASSERT_EQ(keys.size(), 1u);
    EXPECT_EQ(keys[0].state, KeyState::current);
    EXPECT_EQ(keys[0].algorithm, "ES256");
    EXPECT_EQ(keys[0].id.size(), 22u);  // 128 random bits, base64url
    auto jwk = boost::json::parse(keys[0].public_jwk).as_object();
    EXPECT_EQ(text(jwk.at("kid")), keys[0].id);
    EXPECT_EQ(text(jwk.at("kty")), "EC");
    EXPECT_FALSE(jwk.contains("d"));
    EXPECT_EQ(current_kid(), keys[0].id);
}

TEST_F(KeyRingTest, PrivateKeysAreSealedAndBoundToTheirKid) {
    ASSERT_TRUE(ring_.ensure_key().has_value());
    auto stored = *store_.find_current_key();
    auto der = sealer_.open(stored.sealed_private_key, sealing_context(stored.id));
    ASSERT_TRUE(der.has_value());
    // The stored bytes are not the DER key.
    EXPECT_EQ(stored.sealed_private_key.find(der->reveal()), std::string::npos);
    EXPECT_FALSE(sealer_.open(stored.sealed_private_key, sealing_context("other")).has_value());
    // Under another deployment key the current key cannot be used.
    crypto::SecretBox other{Secret(std::string(32, 'c'))};
    KeyRing stranger{store_, other, clock_, random_};
    EXPECT_EQ(stranger.current().error().code, Code::internal);
}

TEST_F(KeyRingTest, RotationPublishesBeforeSigningAndRetiresAfterTheTokenLifetime) {
    ASSERT_TRUE(ring_.ensure_key().has_value());
    std::string k1 = current_kid();

    clock_.advance(100);
    auto r1 = ring_.rotate(crypto::JwsAlgorithm::ES256);
    ASSERT_TRUE(r1.has_value());
    std::string k2 = r1->published;
    EXPECT_EQ(current_kid(), k1);  // published, not signing
    EXPECT_EQ(published(), (Published{{k1, KeyState::current}, {k2, KeyState::next}}));

    clock_.advance(100);
    auto r2 = ring_.rotate(crypto::JwsAlgorithm::ES256);
    ASSERT_TRUE(r2.has_value());
    std::string k3 = r2->published;
    EXPECT_EQ(r2->promoted, k2);
    EXPECT_EQ(r2->retired, k1);
    auto signing = ring_.current();
    EXPECT_EQ(signing->kid, k2);
    EXPECT_EQ(signing->key->algorithm(), crypto::JwsAlgorithm::ES256);
    EXPECT_EQ(published(),
              (Published{{k2, KeyState::current}, {k3, KeyState::next}, {k1, KeyState::retired}}));

    // k1 stays published for the policy's token lifetime (600 s), then goes.
    clock_.advance(599);
    EXPECT_EQ(published().size(), 3u);
    EXPECT_EQ(*ring_.purge_expired(10), 0);
    clock_.advance(1);
    EXPECT_EQ(published(), (Published{{k2, KeyState::current}, {k3, KeyState::next}}));
    EXPECT_EQ(*ring_.purge_expired(10), 1);
}

TEST_F(KeyRingTest, EachAlgorithmIsALineOfItsOwn) {
    ASSERT_TRUE(ring_.ensure_key().has_value());
    std::string es = current_kid();
    EXPECT_EQ(ring_.current(crypto::JwsAlgorithm::RS256).error().code, Code::unavailable);

    // A line's first key signs at once: nobody could ask for RS256 before.
    clock_.advance(10);
    auto rs1 = ring_.rotate(crypto::JwsAlgorithm::RS256);
    ASSERT_TRUE(rs1.has_value());
    EXPECT_FALSE(rs1->promoted);
    EXPECT_FALSE(rs1->retired);
    auto rs = ring_.current(crypto::JwsAlgorithm::RS256);
    ASSERT_TRUE(rs.has_value());
    EXPECT_EQ(rs->kid, rs1->published);
    EXPECT_EQ(rs->key->algorithm(), crypto::JwsAlgorithm::RS256);
    EXPECT_EQ(current_kid(), es);  // the default line is still ES256's
    EXPECT_EQ(ring_.current_for("")->kid, es);
    EXPECT_EQ(ring_.current_for("RS256")->kid, rs1->published);
    EXPECT_EQ(ring_.current_for("HS256").error().code, Code::internal);

    // Rotating RS256 twice moves only the RS256 line.
    clock_.advance(10);
    auto rs2 = ring_.rotate(crypto::JwsAlgorithm::RS256);
    clock_.advance(10);
    auto rs3 = ring_.rotate(crypto::JwsAlgorithm::RS256);
    ASSERT_TRUE(rs2.has_value() && rs3.has_value());
    EXPECT_EQ(rs3->promoted, rs2->published);
    EXPECT_EQ(rs3->retired, rs1->published);
    EXPECT_EQ(ring_.current(crypto::JwsAlgorithm::RS256)->kid, rs2->published);
    EXPECT_EQ(current_kid(), es);
    EXPECT_EQ(published(), (Published{{rs2->published, KeyState::current},
                                      {es, KeyState::current},
                                      {rs3->published, KeyState::next},
                                      {rs1->published, KeyState::retired}}));
}

TEST_F(KeyRingTest, WithoutAnEs256KeyTheDefaultIsTheOldestLine) {
    // A deployment whose only line is EdDSA (it rotated ES256 away before
    // lines existed, or started that way).
    ASSERT_TRUE(ring_.rotate(crypto::JwsAlgorithm::EdDSA).has_value());
    clock_.advance(10);
    ASSERT_TRUE(ring_.rotate(crypto::JwsAlgorithm::RS256).has_value());
    EXPECT_EQ(ring_.current()->key->algorithm(), crypto::JwsAlgorithm::EdDSA);
    clock_.advance(10);
    ASSERT_TRUE(ring_.rotate(crypto::JwsAlgorithm::ES256).has_value());
    EXPECT_EQ(ring_.current()->key->algorithm(), crypto::JwsAlgorithm::ES256);
}

}  // namespace
}  // namespace tessera::core
