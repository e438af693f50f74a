#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "base/secret.hpp"

namespace tessera::crypto {

// JWS signature algorithms we sign with (RFC 7518 §3.1, RFC 8037 §3.1).
enum class JwsAlgorithm { ES256, RS256, EdDSA };

// "ES256", "RS256", "EdDSA".
std::string_view to_string(JwsAlgorithm algorithm);
std::optional<JwsAlgorithm> parse_jws_algorithm(std::string_view name);

// A private signing key loaded into OpenSSL, ready to sign. Immutable after
// construction, so one instance may sign on many threads at once (each call
// uses its own EVP_MD_CTX). Move-only; owns its EVP_PKEY.
class SigningKey {
public:
    // A fresh key: P-256 for ES256, 2048-bit RSA for RS256, Ed25519 for EdDSA.
    // `internal` only if OpenSSL cannot generate one.
    static Result<SigningKey> generate(JwsAlgorithm algorithm);
    // A key from its private_der() form. `internal` when the bytes are not a
    // private key of `algorithm`'s type.
    static Result<SigningKey> load(JwsAlgorithm algorithm, const Secret& private_der);

    SigningKey(SigningKey&&) noexcept;
    SigningKey& operator=(SigningKey&&) noexcept;
    ~SigningKey();

    JwsAlgorithm algorithm() const { return algorithm_; }
    // The private key as DER (PKCS#8 or the type's traditional form), for
    // sealing before it is stored. Never log it.
    Secret private_der() const;
    // The public key as a JWK (RFC 7517 §4, RFC 7518 §6, RFC 8037 §2) with
    // `kid`, "use":"sig" and "alg": one JSON object, no whitespace.
    std::string public_jwk(std::string_view kid) const;

    // The raw JWS signature over `signing_input` (RFC 7515 §5.1): for ES256
    // the 64-byte R||S of RFC 7518 §3.4, not OpenSSL's DER.
    std::string sign(std::string_view signing_input) const;
    // Checks a raw JWS signature (as sign() makes) with the public half. For
    // tests and for reading our own tokens back.
    bool verify(std::string_view signing_input, std::string_view signature) const;

private:
    struct Handle;
    SigningKey(JwsAlgorithm algorithm, std::unique_ptr<Handle> handle);
    JwsAlgorithm algorithm_;
    std::unique_ptr<Handle> handle_;
};

// The compact serialization (RFC 7515 §7.1) of `payload_json` signed by `key`,
// with the protected header {"alg":...,"typ":`typ`,"kid":`kid`}. `kid` and
// `typ` must need no JSON escaping (we mint kids as base64url).
std::string sign_compact(const SigningKey& key, std::string_view kid, std::string_view typ,
                         std::string_view payload_json);

// The three parts of a compact JWS, still base64url; nullopt unless there
// are exactly three dot-separated parts.
struct CompactParts {
    std::string_view header, payload, signature;
};
std::optional<CompactParts> split_compact(std::string_view jws);

// OpenID Connect Core §3.1.3.6 (at_hash, c_hash): base64url of the left half
// of the hash of the ASCII `token`, with the hash of the JWS algorithm:
// SHA-256 for ES256 and RS256, SHA-512 for EdDSA over Ed25519 (Core errata 2).
std::string left_half_hash(JwsAlgorithm algorithm, std::string_view token);

}  // namespace tessera::crypto
