#pragma once

#include <string>
#include <vector>

#include "base/id.hpp"

namespace tessera::core {

// Who is calling a management API, as proven by a credential.
struct Caller {
    Id user_id;
    Id authorization_id;
    std::vector<std::string> scope;
};

}  // namespace tessera::core
