#include "core/accounts/user_service.hpp"

#include <algorithm>

#include "crypto/password.hpp"

namespace tessera::core {

Result<std::string> normalize_email(std::string_view email) {
    auto bad = [] {
        return make_error(Code::invalid_params, "email is not a valid address", {}, "email");
    };
    if (email.empty() || email.size() > 254) return bad();
    auto at = email.find('@');
    if (at == 0 || at == std::string_view::npos || email.find('@', at + 1) != email.npos)
        return bad();
    auto domain = email.substr(at + 1);
    if (domain.size() < 3 || domain.find('.') == domain.npos || domain.front() == '.' ||
        domain.back() == '.')
        return bad();
    std::string out;
    for (char c : email) {
        if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return bad();
        out += (c >= 'A' && c <= 'Z') ? char(c + 32) : c;
    }
    return out;
}

Result<User> UserService::create(const NewUser& input) {
    TESSERA_TRY_ASSIGN(std::string email, normalize_email(input.email));
    if (input.password.size() < 8 || input.password.size() > 1024)
        return make_error(Code::invalid_params, "password must be 8 to 1024 characters", {},
                          "password");
    if (input.name.size() > 255)
        return make_error(Code::invalid_params, "name must be at most 255 characters", {}, "name");
    TESSERA_TRY_ASSIGN(std::string hash, crypto::hash_password(input.password));

    Timestamp now = clock_.now();
    Account account{Id::generate(random_), input.name.empty() ? email : input.name, now};
    User user{Id::generate(random_), email, input.name, std::move(hash), account.id, now, now};
    auto created = store_.create_user(user, account);
    if (!created) {
        if (created.error().code == Code::conflict)
            return make_error(Code::conflict, "a user with this email already exists", {}, "email");
        return std::move(created).error();
    }
    return user;
}

}  // namespace tessera::core
