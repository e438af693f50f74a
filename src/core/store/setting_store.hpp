#pragma once

#include <string>

#include "base/result.hpp"

namespace tessera::core {

// Deployment-wide settings kept in the database (e.g. the generated digest
// key when none is configured). Thread-safe.
class SettingStore {
public:
    virtual ~SettingStore() = default;

    // Stores `value` under `name` unless a value is already there, and returns
    // the value that is stored afterwards (so concurrent first starts agree).
    virtual Result<std::string> get_or_put_setting(const std::string& name,
                                                   const std::string& value) = 0;
};

}  // namespace tessera::core
