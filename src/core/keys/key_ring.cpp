#include "core/keys/key_ring.hpp"

#include <array>

#include "base/encoding.hpp"

namespace tessera::core {

std::string sealing_context(const std::string& kid) { return "tessera/signing-key/" + kid; }

Result<SigningKey> KeyRing::new_key(crypto::JwsAlgorithm algorithm) const {
    TESSERA_TRY_ASSIGN(crypto::SigningKey generated, crypto::SigningKey::generate(algorithm));
    std::array<std::uint8_t, 16> kid{};
    random_.fill(kid);
    SigningKey key;
    key.id = base64url_encode(kid);
    key.algorithm = std::string(crypto::to_string(algorithm));
    key.public_jwk = generated.public_jwk(key.id);
    key.sealed_private_key =
        sealer_.seal(generated.private_der().reveal(), sealing_context(key.id), random_);
    key.created_at = clock_.now();
    return key;
}

Result<void> KeyRing::ensure_key() {
    TESSERA_TRY_ASSIGN(auto existing, store_.list_published_keys(clock_.now()));
    if (!existing.empty()) return {};
    TESSERA_TRY_ASSIGN(SigningKey key, new_key(crypto::JwsAlgorithm::ES256));
    TESSERA_TRY(store_.create_first_key(key));
    return {};
}

Result<KeyRotation> KeyRing::rotate(crypto::JwsAlgorithm algorithm) {
    TESSERA_TRY_ASSIGN(SigningKey key, new_key(algorithm));
    Timestamp now = clock_.now();
    return store_.rotate_keys(key, now, now + policy_.signed_token_ttl);
}

Result<ActiveKey> KeyRing::activate(Result<SigningKey> stored, std::string_view line) const {
    if (!stored) {
        if (stored.error().code == Code::not_found)
            return make_error(Code::unavailable, "no signing key is available",
                              "key ring: no current signing key" + std::string(line));
        return std::move(stored).error();
    }
    TESSERA_TRY_ASSIGN(auto key, load(*stored));
    return ActiveKey{stored->id, std::move(key)};
}

Result<ActiveKey> KeyRing::current() const { return activate(store_.find_current_key(), ""); }

Result<ActiveKey> KeyRing::current(crypto::JwsAlgorithm algorithm) const {
    std::string name(crypto::to_string(algorithm));
    return activate(store_.find_current_key_of(name), " of " + name);
}

Result<ActiveKey> KeyRing::current_for(std::string_view algorithm) const {
    if (algorithm.empty()) return current();
    auto parsed = crypto::parse_jws_algorithm(algorithm);
    if (!parsed)
        return make_error(Code::internal, "the client's signing algorithm is unknown",
                          "key ring: a client asks for an unknown algorithm");
    return current(*parsed);
}

Result<std::shared_ptr<const crypto::SigningKey>> KeyRing::load(const SigningKey& stored) const {
    {
        std::lock_guard lock(mutex_);
        auto it = loaded_.find(stored.id);
        if (it != loaded_.end()) return it->second;
    }
    auto algorithm = crypto::parse_jws_algorithm(stored.algorithm);
    auto der = sealer_.open(stored.sealed_private_key, sealing_context(stored.id));
    if (!algorithm || !der)
        return make_error(Code::internal, "the signing key cannot be used",
                          "key ring: a key does not open (another digest key?)");
    TESSERA_TRY_ASSIGN(crypto::SigningKey key, crypto::SigningKey::load(*algorithm, *der));
    auto shared = std::make_shared<const crypto::SigningKey>(std::move(key));
    std::lock_guard lock(mutex_);
    loaded_.emplace(stored.id, shared);
    return shared;
}

Result<std::shared_ptr<const crypto::SigningKey>> KeyRing::published_key(
    std::string_view kid) const {
    TESSERA_TRY_ASSIGN(auto keys, published());
    for (const auto& key : keys)
        if (key.id == kid) return load(key);
    return make_error(Code::not_found, "no published key has this kid");
}

Result<std::vector<SigningKey>> KeyRing::published() const {
    return store_.list_published_keys(clock_.now());
}

}  // namespace tessera::core
