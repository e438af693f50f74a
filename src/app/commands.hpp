#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tessera::app {

// Each `tessera` command as a function returning the process exit code:
// 0 success, 1 failure (message on stderr). Output meant for scripts goes to
// stdout as JSON.

int run_serve(const std::optional<std::string>& config_file,
              const std::map<std::string, std::string>& flags);
int run_migrate(const std::optional<std::string>& config_file,
                const std::map<std::string, std::string>& flags);

struct NewUserFlags {
    std::string email;
    std::string password;
    std::string name;
};
int run_users_create(const std::optional<std::string>& config_file,
                     const std::map<std::string, std::string>& flags, const NewUserFlags& user);

struct NewAuthorizationFlags {
    std::string email;
    std::vector<std::string> scopes;
    std::string description;
    std::optional<std::int64_t> expires_in;
    bool is_api_key = false;
};
int run_authorizations_create(const std::optional<std::string>& config_file,
                              const std::map<std::string, std::string>& flags,
                              const NewAuthorizationFlags& authorization);

struct NewClientFlags {
    std::string owner_email;
    std::string name;
    std::vector<std::string> grant_types;
    std::vector<std::string> redirect_uris;
    std::vector<std::string> scopes;
    std::string auth_method;
    std::string refresh_policy = "rotate";
};
int run_clients_create(const std::optional<std::string>& config_file,
                       const std::map<std::string, std::string>& flags,
                       const NewClientFlags& client);

}  // namespace tessera::app
