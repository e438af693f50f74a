#include "core/auth/token_authenticator.hpp"

#include "core/tokens/presented_token.hpp"

namespace tessera::core {
namespace {

Error invalid_credentials() {
    return make_error(Code::unauthenticated, "Invalid credentials provided.");
}

}  // namespace

Result<Caller> TokenAuthenticator::authenticate(std::string_view token) const {
    // The checksum (or a JWT's shape) rejects typos and forgeries before any lookup.
    auto presented = read_presented_token(token);
    if (!presented) return invalid_credentials();
    auto found = store_.find_access_token(digester_.digest(token), presented->id);
    if (!found) {
        if (found.error().code == Code::not_found) return invalid_credentials();
        return std::move(found).error();
    }
    if (found->expires_at && *found->expires_at <= clock_.now()) return invalid_credentials();
    // A client_credentials token acts for no user: it cannot manage anything.
    if (!found->user_id || !found->authorization_id) return invalid_credentials();
    return Caller{*found->user_id, *found->authorization_id, std::move(found->scope),
                  found->session_id};
}

}  // namespace tessera::core
