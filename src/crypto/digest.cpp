#include "crypto/digest.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <cassert>

namespace tessera::crypto {

std::array<std::uint8_t, 32> sha256(std::string_view data) {
    std::array<std::uint8_t, 32> out{};
    SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data());
    return out;
}

Digester::Digester(Secret key) : key_(std::move(key)) { assert(key_.reveal().size() >= 32); }

std::string Digester::digest(std::string_view secret) const {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    const auto& key = key_.reveal();
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(secret.data()), secret.size(), out, &len);
    return std::string(reinterpret_cast<const char*>(out), len);
}

}  // namespace tessera::crypto
