#pragma once

#include <optional>
#include <string>

#include <boost/json/object.hpp>

#include "core/authorizations/authorization_service.hpp"
#include "core/model/client.hpp"
#include "core/model/grant.hpp"
#include "core/model/user.hpp"
#include "core/oauth/authorize/authorization_endpoint.hpp"

namespace tessera::api::heroku {

// What the §3.1 object shows besides the authorization itself. Every pointer
// may be null (the field is then null); none is owned.
struct AuthorizationParts {
    const core::AccessToken* access_token = nullptr;  // the newest
    // Its raw value, only when it was just minted (create, regenerate; D2);
    // otherwise the token's redacted form is shown.
    const Secret* raw_access_token = nullptr;
    const core::Client* client = nullptr;  // null for a direct authorization
    const core::Session* session = nullptr;
    // Shown redacted; it lives as long as `session`.
    const core::RefreshToken* refresh_token = nullptr;
    // A grant just issued (§3.2 with `client`): its raw code, shown only then.
    const core::AuthorizationEndpoint::DirectGrant* grant = nullptr;
};

// Heroku spec §3.1, keys in alphabetical order.
boost::json::object authorization_object(const core::Authorization& authorization,
                                         const AuthorizationParts& parts, const core::User& user,
                                         Timestamp now);

// The same, serialised, for an authorization with a freshly minted token.
std::string render_minted_authorization(const core::MintedAuthorization& minted,
                                        const core::User& user, Timestamp now);

// §3.2 with `client`: the authorization with its new grant, before any token.
std::string render_granted_authorization(const core::AuthorizationEndpoint::DirectGrant& grant,
                                         const core::User& user, Timestamp now);

// Seconds from `now` until `expires_at` (never negative), or null for none.
boost::json::value expires_in(const std::optional<Timestamp>& expires_at, Timestamp now);

}  // namespace tessera::api::heroku
