#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/id.hpp"

namespace tessera::core {

// Who is calling a management API, as proven by a credential.
struct Caller {
    Id user_id;
    Id authorization_id;
    std::vector<std::string> scope;
    // The session the presented token belongs to (Heroku spec §5 `~`);
    // nullopt for a direct authorization's token or a password sign-in.
    std::optional<Id> session_id;
};

}  // namespace tessera::core
