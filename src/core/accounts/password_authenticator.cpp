#include "core/accounts/password_authenticator.hpp"

#include "core/accounts/user_service.hpp"
#include "crypto/digest.hpp"
#include "crypto/password.hpp"

namespace tessera::core {
namespace {

Error invalid_credentials() {
    return make_error(Code::unauthenticated, "Invalid credentials provided.");
}

Error too_many_attempts() {
    return make_error(Code::rate_limited,
                      "Too many sign-in attempts. Wait a minute before trying again.");
}

// A valid Argon2id hash of a random password, verified against when the
// email is unknown so that both failures take the same time.
const std::string& decoy_hash() {
    static const std::string hash = [] {
        auto h = crypto::hash_password("tessera decoy password, never a real one");
        return h ? *h : std::string();
    }();
    return hash;
}

}  // namespace

Id network_address_key(std::string_view address) {
    auto digest = crypto::sha256("address:" + std::string(address));
    std::array<std::uint8_t, 16> bytes{};
    std::copy_n(digest.begin(), 16, bytes.begin());
    return Id(bytes);
}

Result<User> PasswordAuthenticator::authenticate(std::string_view email, std::string_view password,
                                                 const Id& address) {
    if (!per_address_.take(address)) return too_many_attempts();
    auto normalized = normalize_email(email);
    if (normalized) {
        // Per account, keyed by the email so unknown ones are limited too.
        auto digest = crypto::sha256("login:" + *normalized);
        std::array<std::uint8_t, 16> key{};
        std::copy_n(digest.begin(), 16, key.begin());
        if (!per_account_.take(Id(key))) return too_many_attempts();
    }
    auto user = normalized ? users_.find_user_by_email(*normalized)
                           : Result<User>(make_error(Code::not_found, "", {}, "user"));
    if (!user) {
        if (user.error().code != Code::not_found) return std::move(user).error();
        (void)crypto::verify_password(password, decoy_hash());
        return invalid_credentials();
    }
    if (user->password_hash.empty() || !crypto::verify_password(password, user->password_hash))
        return invalid_credentials();
    return user;
}

}  // namespace tessera::core
