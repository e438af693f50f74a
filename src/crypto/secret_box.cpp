#include "crypto/secret_box.hpp"

#include <openssl/evp.h>

#include <array>
#include <cassert>
#include <memory>

namespace tessera::crypto {
namespace {

constexpr unsigned char kVersion = 1;
constexpr std::size_t kNonce = 12;
constexpr std::size_t kTag = 16;

using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

const unsigned char* bytes(std::string_view s) {
    return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

SecretBox::SecretBox(Secret key) : key_(std::move(key)) { assert(key_.reveal().size() == 32); }

std::string SecretBox::seal(std::string_view plaintext, std::string_view associated_data,
                            Random& random) const {
    std::array<std::uint8_t, kNonce> nonce{};
    random.fill(nonce);
    std::string out(1 + kNonce + plaintext.size() + kTag, '\0');
    out[0] = static_cast<char>(kVersion);
    std::copy(nonce.begin(), nonce.end(), out.begin() + 1);
    auto* cipher = reinterpret_cast<unsigned char*>(out.data()) + 1 + kNonce;
    CipherContext ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
    int len = 0;
    bool ok =
        ctx &&
        EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, bytes(key_.reveal()),
                           nonce.data()) == 1 &&
        EVP_EncryptUpdate(ctx.get(), nullptr, &len, bytes(associated_data),
                          static_cast<int>(associated_data.size())) == 1 &&
        EVP_EncryptUpdate(ctx.get(), cipher, &len, bytes(plaintext),
                          static_cast<int>(plaintext.size())) == 1 &&
        EVP_EncryptFinal_ex(ctx.get(), cipher + len, &len) == 1 &&
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTag, cipher + plaintext.size()) == 1;
    if (!ok) std::abort();  // only out of memory: never store a half-sealed secret
    return out;
}

std::optional<Secret> SecretBox::open(std::string_view sealed,
                                      std::string_view associated_data) const {
    if (sealed.size() < 1 + kNonce + kTag || static_cast<unsigned char>(sealed[0]) != kVersion)
        return std::nullopt;
    auto nonce = bytes(sealed.substr(1, kNonce));
    auto cipher = sealed.substr(1 + kNonce, sealed.size() - 1 - kNonce - kTag);
    std::string tag(sealed.substr(sealed.size() - kTag));
    std::string plain(cipher.size(), '\0');
    CipherContext ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
    int len = 0;
    bool ok = ctx &&
              EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, bytes(key_.reveal()),
                                 nonce) == 1 &&
              EVP_DecryptUpdate(ctx.get(), nullptr, &len, bytes(associated_data),
                                static_cast<int>(associated_data.size())) == 1 &&
              EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()), &len,
                                bytes(cipher), static_cast<int>(cipher.size())) == 1 &&
              EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTag, tag.data()) == 1 &&
              EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()) + len,
                                  &len) == 1;
    if (!ok) return std::nullopt;
    return Secret(std::move(plain));
}

}  // namespace tessera::crypto
