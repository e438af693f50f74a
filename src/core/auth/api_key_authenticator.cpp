#include "core/auth/api_key_authenticator.hpp"

#include "base/encoding.hpp"
#include "crypto/token_format.hpp"

namespace tessera::core {
namespace {

Error invalid_credentials() {
    return make_error(Code::unauthenticated, "Invalid credentials provided.");
}

}  // namespace

Result<Secret> ApiKeyAuthenticator::issue(const Id& user_id) {
    Secret key = crypto::mint_token(crypto::TokenKind::api_key, random_);
    TESSERA_TRY(store_.set_api_key_digest(user_id, digester_.digest(key.reveal()), clock_.now()));
    return key;
}

Result<Caller> ApiKeyAuthenticator::authenticate(std::string_view email,
                                                 std::string_view key) const {
    if (!key.starts_with(crypto::prefix_of(crypto::TokenKind::api_key)) ||
        !crypto::has_valid_format(key))
        return invalid_credentials();
    auto user = store_.find_user_by_email(email);
    if (!user) {
        if (user.error().code == Code::not_found) return invalid_credentials();
        return std::move(user).error();
    }
    if (!user->api_key_digest ||
        !constant_time_equals(digester_.digest(key), *user->api_key_digest))
        return invalid_credentials();
    return Caller{user->id, Id{}, {"global"}, std::nullopt};
}

}  // namespace tessera::core
