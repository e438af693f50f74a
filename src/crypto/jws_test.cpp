#include "crypto/jws.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <memory>
#include <span>
#include <string>

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

#include "base/encoding.hpp"

namespace tessera::crypto {
namespace {

std::string b64_decode(std::string_view text) {
    auto bytes = base64url_decode(text);
    EXPECT_TRUE(bytes.has_value()) << text;
    return bytes ? std::string(bytes->begin(), bytes->end()) : std::string();
}

const unsigned char* u(const std::string& s) {
    return reinterpret_cast<const unsigned char*>(s.data());
}

// An OpenSSL public key built only from the JWK, the way a relying party
// would: proves the JWK's coordinates and the signature encoding.
EVP_PKEY* public_key_from_jwk(const boost::json::object& jwk) {
    OSSL_PARAM_BLD* build = OSSL_PARAM_BLD_new();
    std::string type;
    std::string point;
    BIGNUM* n = nullptr;
    BIGNUM* e = nullptr;
    std::string x;
    if (jwk.at("kty") == "EC") {
        type = "EC";
        point = "\x04" + b64_decode(jwk.at("x").as_string()) + b64_decode(jwk.at("y").as_string());
        OSSL_PARAM_BLD_push_utf8_string(build, OSSL_PKEY_PARAM_GROUP_NAME, "P-256", 0);
        OSSL_PARAM_BLD_push_octet_string(build, OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                         point.size());
    } else if (jwk.at("kty") == "RSA") {
        type = "RSA";
        std::string nb = b64_decode(jwk.at("n").as_string());
        std::string eb = b64_decode(jwk.at("e").as_string());
        n = BN_bin2bn(u(nb), static_cast<int>(nb.size()), nullptr);
        e = BN_bin2bn(u(eb), static_cast<int>(eb.size()), nullptr);
        OSSL_PARAM_BLD_push_BN(build, OSSL_PKEY_PARAM_RSA_N, n);
        OSSL_PARAM_BLD_push_BN(build, OSSL_PKEY_PARAM_RSA_E, e);
    } else {
        type = "ED25519";
        x = b64_decode(jwk.at("x").as_string());
        OSSL_PARAM_BLD_push_octet_string(build, OSSL_PKEY_PARAM_PUB_KEY, x.data(), x.size());
    }
    OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(build);
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, type.c_str(), nullptr);
    EVP_PKEY* pkey = nullptr;
    EVP_PKEY_fromdata_init(ctx);
    EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params);
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(build);
    BN_free(n);
    BN_free(e);
    return pkey;
}

// Verifies a compact JWS with OpenSSL alone, from the JWK.
bool verify_with_jwk(const std::string& jws, const boost::json::object& jwk) {
    auto parts = split_compact(jws);
    if (!parts) return false;
    std::string input = std::string(parts->header) + "." + std::string(parts->payload);
    std::string signature = b64_decode(parts->signature);
    const EVP_MD* md = EVP_sha256();
    if (jwk.at("kty") == "EC") {
        if (signature.size() != 64) return false;
        ECDSA_SIG* sig = ECDSA_SIG_new();
        ECDSA_SIG_set0(sig, BN_bin2bn(u(signature), 32, nullptr),
                       BN_bin2bn(u(signature) + 32, 32, nullptr));
        unsigned char* der = nullptr;
        int len = i2d_ECDSA_SIG(sig, &der);
        signature.assign(reinterpret_cast<char*>(der), static_cast<std::size_t>(len));
        OPENSSL_free(der);
        ECDSA_SIG_free(sig);
    } else if (jwk.at("kty") == "OKP") {
        md = nullptr;
    }
    EVP_PKEY* pkey = public_key_from_jwk(jwk);
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    bool ok = pkey && EVP_DigestVerifyInit(ctx, nullptr, md, nullptr, pkey) == 1 &&
              EVP_DigestVerify(ctx, u(signature), signature.size(), u(input), input.size()) == 1;
    EVP_MD_CTX_free(ctx);
    EVP_PKEY_free(pkey);
    return ok;
}

class Jws : public ::testing::TestWithParam<JwsAlgorithm> {};

TEST_P(Jws, CompactSignatureVerifiesWithOpenSslFromTheJwk) {
    auto key = SigningKey::generate(GetParam());
    ASSERT_TRUE(key.has_value());
    std::string payload = R"({"iss":"https://op.example","sub":"ada"})";
    std::string jws = sign_compact(*key, "kid-1", "JWT", payload);
    auto parts = split_compact(jws);
    ASSERT_TRUE(parts.has_value());
    auto header = boost::json::parse(b64_decode(parts->header)).as_object();
    EXPECT_EQ(header.at("alg").as_string(), to_string(GetParam()));
    EXPECT_EQ(header.at("typ"), "JWT");
    EXPECT_EQ(header.at("kid"), "kid-1");
    EXPECT_EQ(b64_decode(parts->payload), payload);
    // ES256: R||S, 32 bytes each (RFC 7518 §3.4); Ed25519: 64 bytes; RSA: the modulus size.
    EXPECT_EQ(b64_decode(parts->signature).size(), GetParam() == JwsAlgorithm::RS256 ? 256u : 64u);

    auto jwk = boost::json::parse(key->public_jwk("kid-1")).as_object();
    EXPECT_EQ(jwk.at("kid"), "kid-1");
    EXPECT_EQ(jwk.at("use"), "sig");
    EXPECT_EQ(jwk.at("alg").as_string(), to_string(GetParam()));
    EXPECT_FALSE(jwk.contains("d"));  // never the private part
    EXPECT_TRUE(verify_with_jwk(jws, jwk));
    EXPECT_TRUE(key->verify(std::string(parts->header) + "." + std::string(parts->payload),
                            b64_decode(parts->signature)));

    // A changed payload or a key of another instance fails.
    std::string tampered = std::string(parts->header) + "." +
                           base64url_encode(std::span(u(std::string("{}")), 2)) + "." +
                           std::string(parts->signature);
    EXPECT_FALSE(verify_with_jwk(tampered, jwk));
    auto other = SigningKey::generate(GetParam());
    EXPECT_FALSE(verify_with_jwk(jws, boost::json::parse(other->public_jwk("k")).as_object()));
}

TEST_P(Jws, PrivateKeySurvivesDerRoundTrip) {
    auto key = SigningKey::generate(GetParam());
    ASSERT_TRUE(key.has_value());
    auto loaded = SigningKey::load(GetParam(), key->private_der());
    ASSERT_TRUE(loaded.has_value()) << loaded.error().log_detail;
    EXPECT_EQ(loaded->public_jwk("k"), key->public_jwk("k"));
    std::string jws = sign_compact(*loaded, "k", "JWT", "{}");
    EXPECT_TRUE(verify_with_jwk(jws, boost::json::parse(key->public_jwk("k")).as_object()));
}

INSTANTIATE_TEST_SUITE_P(Algorithms, Jws,
                         ::testing::Values(JwsAlgorithm::ES256, JwsAlgorithm::RS256,
                                           JwsAlgorithm::EdDSA),
                         [](const auto& info) { return std::string(to_string(info.param)); });

TEST(Jws, LoadRefusesAKeyOfAnotherAlgorithmOrGarbage) {
    auto ec = SigningKey::generate(JwsAlgorithm::ES256);
    EXPECT_FALSE(SigningKey::load(JwsAlgorithm::RS256, ec->private_der()).has_value());
    EXPECT_FALSE(SigningKey::load(JwsAlgorithm::EdDSA, ec->private_der()).has_value());
    EXPECT_FALSE(SigningKey::load(JwsAlgorithm::ES256, Secret("not a key")).has_value());
}

TEST(Jws, AlgorithmNamesRoundTrip) {
    EXPECT_EQ(parse_jws_algorithm("ES256"), JwsAlgorithm::ES256);
    EXPECT_EQ(parse_jws_algorithm("RS256"), JwsAlgorithm::RS256);
    EXPECT_EQ(parse_jws_algorithm("EdDSA"), JwsAlgorithm::EdDSA);
    for (auto bad : {"", "es256", "HS256", "none", "EdDSA "})
        EXPECT_FALSE(parse_jws_algorithm(bad).has_value()) << bad;
}

TEST(Jws, SplitCompactNeedsExactlyThreeParts) {
    EXPECT_TRUE(split_compact("a.b.c").has_value());
    EXPECT_TRUE(split_compact("..").has_value());
    for (auto bad : {"", "a.b", "a.b.c.d", "abc"})
        EXPECT_FALSE(split_compact(bad).has_value()) << bad;
}

TEST(Jws, LeftHalfHashMatchesOpenIdConnectExample) {
    // OpenID Connect Core Appendix A.3: this access token has this at_hash.
    EXPECT_EQ(left_half_hash(JwsAlgorithm::ES256, "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y"),
              "77QmUPtjPfzWtF2AnpK9RQ");
    EXPECT_EQ(left_half_hash(JwsAlgorithm::RS256, "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y"),
              "77QmUPtjPfzWtF2AnpK9RQ");
    // EdDSA (Ed25519): the left half of SHA-512.
    EXPECT_EQ(left_half_hash(JwsAlgorithm::EdDSA, "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y"),
              "q7nS86GgvvFaZkzALLWqJYaJIKw2wCDAVfCAsm5CrBM");
}

}  // namespace
}  // namespace tessera::crypto
