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
    std::vector<std::string> response_types;  // empty: the default for the grant types
    std::string id_token_alg;                 // empty: the server's default
    std::string access_token_format = "opaque";  // or jwt (RFC 9068)
};
int run_clients_create(const std::optional<std::string>& config_file,
                       const std::map<std::string, std::string>& flags,
                       const NewClientFlags& client);

// `tessera admin keys rotate`: publishes a new signing key of `algorithm`
// (ES256, RS256 or EdDSA) as next and promotes the previous next key to
// current, retiring the current one (core::KeyRing::rotate). Prints what
// moved and the published keys as JSON; no private key is ever printed.
int run_keys_rotate(const std::optional<std::string>& config_file,
                    const std::map<std::string, std::string>& flags, const std::string& algorithm);

// `tessera admin registration-tokens create`: mints an initial access token
// for POST /oauth/register (RFC 7591 §3) and prints it once as JSON with its
// id, expiry and use limit; only its digest is stored.
struct NewRegistrationTokenFlags {
    std::optional<std::int64_t> expires_in;  // seconds; default: never expires
    int max_uses = 1;                        // registrations it allows; 0: unlimited
};
int run_registration_tokens_create(const std::optional<std::string>& config_file,
                                   const std::map<std::string, std::string>& flags,
                                   const NewRegistrationTokenFlags& token);

// `admin accounts create NAME --owner EMAIL`: prints the account as JSON.
int run_accounts_create(const std::optional<std::string>& config_file,
                        const std::map<std::string, std::string>& flags, const std::string& name,
                        const std::string& owner_email);
// `admin accounts add-member ACCOUNT EMAIL --role ROLE`: adds or re-roles.
int run_accounts_add_member(const std::optional<std::string>& config_file,
                            const std::map<std::string, std::string>& flags,
                            const std::string& account, const std::string& email,
                            const std::string& role);
// `admin users api-key EMAIL`: a new global API key, shown once.
int run_users_api_key(const std::optional<std::string>& config_file,
                      const std::map<std::string, std::string>& flags, const std::string& email);

}  // namespace tessera::app
