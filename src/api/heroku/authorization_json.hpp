#pragma once

#include <optional>
#include <string>

#include <boost/json/object.hpp>

#include "core/authorizations/authorization_service.hpp"
#include "core/model/client.hpp"
#include "core/model/user.hpp"

namespace tessera::api::heroku {

// Heroku spec §3.1, keys in alphabetical order. `token` is the newest access
// token (null when none). Its raw value appears only when `raw` is given (it
// was just minted: create, regenerate; D2); otherwise the redacted form.
// `client` is the authorization's client, or nullptr for a direct one.
boost::json::object authorization_object(const core::Authorization& authorization,
                                         const core::AccessToken* token, const Secret* raw,
                                         const core::Client* client, const core::User& user,
                                         Timestamp now);

// The same, serialised, for an authorization with a freshly minted token.
std::string render_minted_authorization(const core::MintedAuthorization& minted,
                                        const core::User& user, Timestamp now);

}  // namespace tessera::api::heroku
