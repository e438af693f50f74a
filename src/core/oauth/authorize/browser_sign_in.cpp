#include "core/oauth/authorize/browser_sign_in.hpp"

#include <array>

#include "base/encoding.hpp"
#include "crypto/token_format.hpp"

namespace tessera::core {

Result<std::pair<Secret, SignedIn>> BrowserSignIn::sign_in(std::string_view email,
                                                           std::string_view password,
                                                           const Id& address) {
    TESSERA_TRY_ASSIGN(User user, passwords_.authenticate(email, password, address));
    Timestamp now = clock_.now();
    Secret cookie = crypto::mint_token(crypto::TokenKind::browser_session, random_);
    BrowserSession session{Id::generate(random_),
                           digester_.digest(cookie.reveal()),
                           user.id,
                           now,
                           now + policy_.session_ttl,
                           now};
    TESSERA_TRY(grants_.create_browser_session(session));
    return std::pair{std::move(cookie), SignedIn{std::move(user), now}};
}

Result<std::optional<SignedIn>> BrowserSignIn::current(std::string_view cookie) const {
    if (!crypto::has_valid_format(cookie) ||
        !cookie.starts_with(crypto::prefix_of(crypto::TokenKind::browser_session)))
        return std::optional<SignedIn>();
    auto session = grants_.find_browser_session(digester_.digest(cookie));
    if (!session) {
        if (session.error().code == Code::not_found) return std::optional<SignedIn>();
        return session.error();
    }
    if (clock_.now() >= session->expires_at) return std::optional<SignedIn>();
    auto user = users_.find_user(session->user_id);
    if (!user) {
        if (user.error().code == Code::not_found) return std::optional<SignedIn>();
        return user.error();
    }
    return std::optional<SignedIn>(SignedIn{std::move(*user), session->auth_time});
}

Result<void> BrowserSignIn::sign_out(std::string_view cookie) {
    if (!crypto::has_valid_format(cookie)) return {};
    return grants_.delete_browser_session(digester_.digest(cookie));
}

std::string BrowserSignIn::new_csrf_cookie() {
    std::array<std::uint8_t, 32> bytes{};
    random_.fill(bytes);
    return base64url_encode(bytes);
}

std::string BrowserSignIn::csrf_token(std::string_view csrf_cookie,
                                      std::string_view session_cookie) const {
    // Neither value holds a ':' (base64url and token alphabets).
    std::string mac =
        digester_.digest("csrf:" + std::string(csrf_cookie) + ":" + std::string(session_cookie));
    return base64url_encode(
        std::span(reinterpret_cast<const std::uint8_t*>(mac.data()), mac.size()));
}

bool BrowserSignIn::csrf_matches(std::string_view csrf_cookie, std::string_view session_cookie,
                                 std::string_view token) const {
    if (csrf_cookie.empty()) return false;
    return constant_time_equals(csrf_token(csrf_cookie, session_cookie), token);
}

}  // namespace tessera::core
