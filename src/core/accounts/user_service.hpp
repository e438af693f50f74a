#pragma once

#include <string>

#include "base/clock.hpp"
#include "base/random.hpp"
#include "base/result.hpp"
#include "core/store/user_store.hpp"

namespace tessera::core {

struct NewUser {
    std::string email;
    std::string password;
    std::string name;  // optional; empty allowed
};

// Users and their personal accounts. Thread-safe.
class UserService {
public:
    UserService(UserStore& store, const Clock& clock, Random& random)
        : store_(store), clock_(clock), random_(random) {}

    // Creates the user and its personal account. `invalid_params` (subject
    // "email", "password" or "name") for bad input, `conflict` when the email
    // is taken.
    Result<User> create(const NewUser& input);

    Result<User> find(const Id& id) { return store_.find_user(id); }
    Result<User> find_by_email(std::string_view email) { return store_.find_user_by_email(email); }

private:
    UserStore& store_;
    const Clock& clock_;
    Random& random_;
};

// Lowercases and checks an email address: one '@', a non-empty local part and
// a domain with a dot, no spaces or control characters, at most 254 bytes.
Result<std::string> normalize_email(std::string_view email);

}  // namespace tessera::core
