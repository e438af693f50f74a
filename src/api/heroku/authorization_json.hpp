#pragma once

#include <string>

#include "core/authorizations/authorization_service.hpp"
#include "core/model/user.hpp"

namespace tessera::api::heroku {

// Heroku spec §3.1, keys in alphabetical order, with the raw access token
// that was just minted (the only time it can be shown, D2).
std::string render_minted_authorization(const core::MintedAuthorization& minted,
                                        const core::User& user, Timestamp now);

}  // namespace tessera::api::heroku
