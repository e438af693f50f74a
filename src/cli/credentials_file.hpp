#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "tessera/secret.hpp"

namespace tessera::cli {

// What `tessera login` keeps: where, who, the token and the authorization
// it belongs to (so `tessera logout` can revoke it).
struct StoredLogin {
    std::string api_url;
    std::string email;
    sdk::Secret token;
    std::string authorization_id;
};

// $XDG_CONFIG_HOME/tessera/credentials, or ~/.config/tessera/credentials.
// Empty when neither XDG_CONFIG_HOME nor HOME is set.
std::filesystem::path credentials_path();

// The stored login, nullopt when there is none (no file, or no token in
// it). Warns on stderr when the file can be read by others.
std::optional<StoredLogin> load_login(const std::filesystem::path& path);

// Writes the login: the folder is created 0700, the file 0600, replaced
// atomically. An error message, or "" on success.
std::string save_login(const std::filesystem::path& path, const StoredLogin& login);

// Removes the file; "" on success or when it did not exist.
std::string erase_login(const std::filesystem::path& path);

}  // namespace tessera::cli
