#pragma once

#include <optional>
#include <string>

#include "base/result.hpp"
#include "core/keys/key_ring.hpp"
#include "core/oauth/id_token.hpp"
#include "core/store/client_store.hpp"

namespace tessera::core {

// The parameters of a logout request (OpenID Connect RP-Initiated Logout
// 1.0 §2); nullopt when absent.
struct EndSessionParams {
    std::optional<std::string> id_token_hint;
    std::optional<std::string> client_id;
    std::optional<std::string> post_logout_redirect_uri;
    std::optional<std::string> state;
};

// A logout request that passed every check.
struct EndSessionRequest {
    std::optional<IdTokenHint> hint;  // when an id_token_hint was sent
    // Where to send the browser afterwards: the registered
    // post_logout_redirect_uri with `state` appended; nullopt: nowhere.
    std::optional<std::string> redirect_uri;
};

// The end_session_endpoint's checks (RP-Initiated Logout §2, §3): an
// id_token_hint must be an ID token we signed for our issuer (expired ones
// are accepted); client_id, when sent beside it, must be its aud; a
// post_logout_redirect_uri needs the client (from the hint or client_id) and
// must equal one of its registered post_logout_redirect_uris exactly.
// Ending the browser sign-in is the surface's (it holds the cookie).
// Thread-safe.
class EndSession {
public:
    EndSession(std::string issuer, const KeyRing& keys, ClientStore& clients)
        : issuer_(std::move(issuer)), keys_(keys), clients_(clients) {}

    // `invalid_request` for any failed check, never a redirect; the key
    // ring's and store's errors otherwise.
    Result<EndSessionRequest> check(const EndSessionParams& params) const;

    // Whether `request` may end the sign-in of `signed_in_user`: a logout
    // link can be followed from any site, so only with a hint whose sub is
    // that user. `invalid_request` otherwise.
    static Result<void> check_may_sign_out(const EndSessionRequest& request,
                                           const Id& signed_in_user);

    const std::string& issuer() const { return issuer_; }

private:
    std::string issuer_;
    const KeyRing& keys_;
    ClientStore& clients_;
};

}  // namespace tessera::core
