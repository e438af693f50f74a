#pragma once

#include <string>

#include "core/keys/key_ring.hpp"
#include "core/oauth/userinfo.hpp"
#include "http/router.hpp"

namespace tessera::api::oauth {

// The OpenID Connect endpoints beside the OAuth ones: the JWKS (RFC 7517 §5,
// OpenID Connect Discovery §3 `jwks_uri`) and UserInfo (Core §5.3) with
// RFC 6750 bearer errors. The discovery document is OAuthApi::metadata().
// Thread-safe.
class OidcApi {
public:
    OidcApi(const core::KeyRing& keys, const core::UserInfoEndpoint& userinfo)
        : keys_(keys), userinfo_(userinfo) {}

    void add_routes(http::Router& router);

    // GET /.well-known/jwks.json: every published key (next, current,
    // retired), public parts only; cacheable for a minute, so a key
    // published as `next` reaches relying parties before it signs.
    http::Response jwks(const http::Request& request) const;

    // GET or POST /userinfo: the token in `Authorization: Bearer`, or for
    // POST in a form-encoded `access_token` (RFC 6750 §2.1, §2.2), not both.
    http::Response userinfo(const http::Request& request) const;

private:
    const core::KeyRing& keys_;
    const core::UserInfoEndpoint& userinfo_;
};

}  // namespace tessera::api::oauth
