#include "crypto/password.hpp"

#include <sodium.h>

#include <cstdlib>

namespace tessera::crypto {
namespace {

void ensure_sodium() {
    static const bool ready = sodium_init() >= 0;
    if (!ready) std::abort();
}

}  // namespace

Result<std::string> hash_password(std::string_view password) {
    ensure_sodium();
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(
            out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
            crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0) {
        return make_error(Code::internal, "could not hash the password",
                          "crypto_pwhash_str_alg failed (out of memory?)");
    }
    return std::string(out);
}

bool verify_password(std::string_view password, const std::string& hash) {
    ensure_sodium();
    return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

}  // namespace tessera::crypto
