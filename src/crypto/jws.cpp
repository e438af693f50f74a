#include "crypto/jws.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "base/encoding.hpp"

namespace tessera::crypto {

struct SigningKey::Handle {
    EVP_PKEY* pkey = nullptr;
    ~Handle() { EVP_PKEY_free(pkey); }
};

namespace {

constexpr std::size_t kP256Coordinate = 32;

using MdContext = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;
using BigNum = std::unique_ptr<BIGNUM, decltype(&BN_free)>;
using EcdsaSig = std::unique_ptr<ECDSA_SIG, decltype(&ECDSA_SIG_free)>;

const unsigned char* bytes(std::string_view s) {
    return reinterpret_cast<const unsigned char*>(s.data());
}

std::string b64(std::string_view raw) {
    return base64url_encode(std::span(bytes(raw), raw.size()));
}

// The EVP_PKEY type each algorithm needs, so a loaded key of another type is refused.
int key_type(JwsAlgorithm algorithm) {
    switch (algorithm) {
        case JwsAlgorithm::ES256:
            return EVP_PKEY_EC;
        case JwsAlgorithm::RS256:
            return EVP_PKEY_RSA;
        case JwsAlgorithm::EdDSA:
            return EVP_PKEY_ED25519;
    }
    return EVP_PKEY_NONE;
}

// Ed25519 signs the message itself (no separate digest).
const EVP_MD* digest_of(JwsAlgorithm algorithm) {
    return algorithm == JwsAlgorithm::EdDSA ? nullptr : EVP_sha256();
}

std::string bn_param(const EVP_PKEY* pkey, const char* name, std::size_t pad_to) {
    BIGNUM* raw = nullptr;
    if (EVP_PKEY_get_bn_param(pkey, name, &raw) != 1) return {};
    BigNum bn(raw, &BN_free);
    std::size_t size = pad_to ? pad_to : static_cast<std::size_t>(BN_num_bytes(bn.get()));
    std::string out(size, '\0');
    int written = BN_bn2binpad(bn.get(), reinterpret_cast<unsigned char*>(out.data()),
                               static_cast<int>(size));
    return written < 0 ? std::string() : out;
}

// RFC 7518 §3.4: ECDSA signatures travel as R||S, each 32 bytes for P-256;
// OpenSSL speaks DER.
std::string der_to_jose(std::string_view der) {
    const unsigned char* p = bytes(der);
    EcdsaSig sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())), &ECDSA_SIG_free);
    if (!sig) return {};
    const BIGNUM* r = nullptr;
    const BIGNUM* s = nullptr;
    ECDSA_SIG_get0(sig.get(), &r, &s);
    std::string out(2 * kP256Coordinate, '\0');
    auto* o = reinterpret_cast<unsigned char*>(out.data());
    if (BN_bn2binpad(r, o, kP256Coordinate) < 0 ||
        BN_bn2binpad(s, o + kP256Coordinate, kP256Coordinate) < 0)
        return {};
    return out;
}

std::string jose_to_der(std::string_view jose) {
    if (jose.size() != 2 * kP256Coordinate) return {};
    EcdsaSig sig(ECDSA_SIG_new(), &ECDSA_SIG_free);
    BIGNUM* r = BN_bin2bn(bytes(jose), kP256Coordinate, nullptr);
    BIGNUM* s = BN_bin2bn(bytes(jose) + kP256Coordinate, kP256Coordinate, nullptr);
    if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
        BN_free(r);
        BN_free(s);
        return {};
    }
    unsigned char* der = nullptr;
    int len = i2d_ECDSA_SIG(sig.get(), &der);
    if (len <= 0) return {};
    std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(len));
    OPENSSL_free(der);
    return out;
}

}  // namespace

std::string_view to_string(JwsAlgorithm algorithm) {
    switch (algorithm) {
        case JwsAlgorithm::ES256:
            return "ES256";
        case JwsAlgorithm::RS256:
            return "RS256";
        case JwsAlgorithm::EdDSA:
            return "EdDSA";
    }
    return "";
}

std::optional<JwsAlgorithm> parse_jws_algorithm(std::string_view name) {
    for (auto algorithm : {JwsAlgorithm::ES256, JwsAlgorithm::RS256, JwsAlgorithm::EdDSA})
        if (to_string(algorithm) == name) return algorithm;
    return std::nullopt;
}

SigningKey::SigningKey(JwsAlgorithm algorithm, std::unique_ptr<Handle> handle)
    : algorithm_(algorithm), handle_(std::move(handle)) {}
SigningKey::SigningKey(SigningKey&&) noexcept = default;
SigningKey& SigningKey::operator=(SigningKey&&) noexcept = default;
SigningKey::~SigningKey() = default;

Result<SigningKey> SigningKey::generate(JwsAlgorithm algorithm) {
    auto handle = std::make_unique<Handle>();
    switch (algorithm) {
        case JwsAlgorithm::ES256:
            handle->pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
            break;
        case JwsAlgorithm::RS256:
            handle->pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{2048});
            break;
        case JwsAlgorithm::EdDSA:
            handle->pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
            break;
    }
    if (!handle->pkey)
        return make_error(Code::internal, "could not generate a signing key",
                          "OpenSSL key generation failed");
    return SigningKey(algorithm, std::move(handle));
}

Result<SigningKey> SigningKey::load(JwsAlgorithm algorithm, const Secret& private_der) {
    auto handle = std::make_unique<Handle>();
    const unsigned char* p = bytes(private_der.reveal());
    handle->pkey = d2i_AutoPrivateKey(nullptr, &p, static_cast<long>(private_der.reveal().size()));
    if (!handle->pkey || EVP_PKEY_get_base_id(handle->pkey) != key_type(algorithm))
        return make_error(Code::internal, "a signing key is damaged",
                          "signing key: not a private key of the recorded algorithm");
    return SigningKey(algorithm, std::move(handle));
}

Secret SigningKey::private_der() const {
    unsigned char* der = nullptr;
    int len = i2d_PrivateKey(handle_->pkey, &der);
    if (len <= 0) std::abort();  // only out of memory
    std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(len));
    OPENSSL_clear_free(der, static_cast<std::size_t>(len));
    return Secret(std::move(out));
}

std::string SigningKey::public_jwk(std::string_view kid) const {
    std::string head = "{\"kid\":\"" + std::string(kid) + "\",\"use\":\"sig\",\"alg\":\"" +
                       std::string(to_string(algorithm_)) + "\",";
    const EVP_PKEY* pkey = handle_->pkey;
    switch (algorithm_) {
        case JwsAlgorithm::ES256:
            return head + "\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" +
                   b64(bn_param(pkey, OSSL_PKEY_PARAM_EC_PUB_X, kP256Coordinate)) + "\",\"y\":\"" +
                   b64(bn_param(pkey, OSSL_PKEY_PARAM_EC_PUB_Y, kP256Coordinate)) + "\"}";
        case JwsAlgorithm::RS256:
            return head + "\"kty\":\"RSA\",\"n\":\"" +
                   b64(bn_param(pkey, OSSL_PKEY_PARAM_RSA_N, 0)) + "\",\"e\":\"" +
                   b64(bn_param(pkey, OSSL_PKEY_PARAM_RSA_E, 0)) + "\"}";
        case JwsAlgorithm::EdDSA: {
            std::array<unsigned char, 32> raw{};
            std::size_t len = raw.size();
            if (EVP_PKEY_get_raw_public_key(pkey, raw.data(), &len) != 1) len = 0;
            return head + "\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" +
                   base64url_encode(std::span(raw.data(), len)) + "\"}";
        }
    }
    return {};
}

std::string SigningKey::sign(std::string_view signing_input) const {
    MdContext ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    std::size_t len = 0;
    if (!ctx ||
        EVP_DigestSignInit(ctx.get(), nullptr, digest_of(algorithm_), nullptr, handle_->pkey) !=
            1 ||
        EVP_DigestSign(ctx.get(), nullptr, &len, bytes(signing_input), signing_input.size()) != 1)
        std::abort();  // only out of memory: the key was checked when loaded
    std::string signature(len, '\0');
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &len,
                       bytes(signing_input), signing_input.size()) != 1)
        std::abort();
    signature.resize(len);
    return algorithm_ == JwsAlgorithm::ES256 ? der_to_jose(signature) : signature;
}

bool SigningKey::verify(std::string_view signing_input, std::string_view signature) const {
    std::string converted;
    if (algorithm_ == JwsAlgorithm::ES256) {
        converted = jose_to_der(signature);
        if (converted.empty()) return false;
        signature = converted;
    }
    MdContext ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    return ctx &&
           EVP_DigestVerifyInit(ctx.get(), nullptr, digest_of(algorithm_), nullptr,
                                handle_->pkey) == 1 &&
           EVP_DigestVerify(ctx.get(), bytes(signature), signature.size(), bytes(signing_input),
                            signing_input.size()) == 1;
}

std::string sign_compact(const SigningKey& key, std::string_view kid, std::string_view typ,
                         std::string_view payload_json) {
    std::string header = "{\"alg\":\"" + std::string(to_string(key.algorithm())) + "\",\"typ\":\"" +
                         std::string(typ) + "\",\"kid\":\"" + std::string(kid) + "\"}";
    std::string input = b64(header) + "." + b64(payload_json);
    std::string signature = key.sign(input);
    return input + "." + b64(signature);
}

std::optional<CompactParts> split_compact(std::string_view jws) {
    auto first = jws.find('.');
    if (first == std::string_view::npos) return std::nullopt;
    auto second = jws.find('.', first + 1);
    if (second == std::string_view::npos || jws.find('.', second + 1) != std::string_view::npos)
        return std::nullopt;
    return CompactParts{jws.substr(0, first), jws.substr(first + 1, second - first - 1),
                        jws.substr(second + 1)};
}

std::string left_half_hash(JwsAlgorithm algorithm, std::string_view token) {
    if (algorithm == JwsAlgorithm::EdDSA) {
        std::array<unsigned char, SHA512_DIGEST_LENGTH> digest{};
        SHA512(bytes(token), token.size(), digest.data());
        return base64url_encode(std::span(digest.data(), digest.size() / 2));
    }
    std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
    SHA256(bytes(token), token.size(), digest.data());
    return base64url_encode(std::span(digest.data(), digest.size() / 2));
}

}  // namespace tessera::crypto
