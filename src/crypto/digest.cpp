#include "crypto/digest.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/params.h>
#include <openssl/sha.h>

#include <atomic>
#include <cassert>

namespace tessera::crypto {

std::array<std::uint8_t, 32> sha256(std::string_view data) {
    // Fetched once: SHA256() looks the algorithm up on every call in OpenSSL 3,
    // and every token's checksum is a SHA-256.
    static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    std::array<std::uint8_t, 32> out{};
    unsigned int len = 0;
    if (!md || EVP_Digest(data.data(), data.size(), out.data(), &len, md, nullptr) != 1 ||
        len != out.size())
        SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data());
    return out;
}

namespace {

std::atomic<std::uint64_t> next_instance{1};

// HMAC-SHA256, fetched once for the process.
EVP_MAC* hmac_algorithm() {
    static EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    return mac;
}

// This thread's HMAC context and the Digester whose key it holds.
struct ThreadContext {
    std::uint64_t instance = 0;
    EVP_MAC_CTX* context = nullptr;
    ThreadContext() = default;
    ThreadContext(const ThreadContext&) = delete;
    ThreadContext& operator=(const ThreadContext&) = delete;
    ~ThreadContext() { EVP_MAC_CTX_free(context); }
};

}  // namespace

Digester::Digester(Secret key) : key_(std::move(key)), instance_(next_instance++) {
    assert(key_.reveal().size() >= 32);
}

std::string Digester::digest(std::string_view secret) const {
    thread_local ThreadContext cached;
    unsigned char out[EVP_MAX_MD_SIZE];
    std::size_t len = 0;
    bool ready = false;
    if (cached.instance == instance_ && cached.context) {
        // The key set before is kept when none is given (EVP_MAC_init(3)).
        ready = EVP_MAC_init(cached.context, nullptr, 0, nullptr) == 1;
    } else if (EVP_MAC* mac = hmac_algorithm()) {
        EVP_MAC_CTX_free(cached.context);
        cached.instance = 0;
        cached.context = EVP_MAC_CTX_new(mac);
        char sha256[] = "SHA256";
        OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string("digest", sha256, 0),
                               OSSL_PARAM_construct_end()};
        const auto& key = key_.reveal();
        ready = cached.context &&
                EVP_MAC_init(cached.context, reinterpret_cast<const unsigned char*>(key.data()),
                             key.size(), params) == 1;
        if (ready) cached.instance = instance_;
    }
    if (ready &&
        EVP_MAC_update(cached.context, reinterpret_cast<const unsigned char*>(secret.data()),
                       secret.size()) == 1 &&
        EVP_MAC_final(cached.context, out, &len, sizeof out) == 1)
        return std::string(reinterpret_cast<const char*>(out), len);
    // The context failed (OpenSSL out of memory): the one-shot path.
    cached.instance = 0;
    unsigned int one_shot_len = 0;
    const auto& key = key_.reveal();
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(secret.data()), secret.size(), out, &one_shot_len);
    return std::string(reinterpret_cast<const char*>(out), one_shot_len);
}

}  // namespace tessera::crypto
