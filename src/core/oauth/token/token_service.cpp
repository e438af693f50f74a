#include "core/oauth/token/token_service.hpp"

#include <algorithm>

namespace tessera::core {

Result<IssuedToken> TokenService::exchange(const Client& client, const TokenRequest& request) {
    if (request.grant_type == "client_credentials") return client_credentials(client, request);
    return make_error(
        Code::unsupported_grant_type,
        "this server does not support the grant type '" + request.grant_type.substr(0, 64) + "'");
}

std::vector<std::string> TokenService::supported_grant_types() { return {"client_credentials"}; }

Result<std::vector<std::string>> parse_scope_parameter(const std::string& scope) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (pos <= scope.size()) {
        auto space = scope.find(' ', pos);
        std::string item =
            scope.substr(pos, space == std::string::npos ? std::string::npos : space - pos);
        if (item.empty())
            return make_error(Code::invalid_scope,
                              "scope must be scope names separated by one space");
        if (std::find(out.begin(), out.end(), item) == out.end()) out.push_back(std::move(item));
        if (space == std::string::npos) break;
        pos = space + 1;
    }
    return out;
}

Result<void> check_scope(const Client& client, const ScopeCatalog& catalog,
                         const std::vector<std::string>& requested) {
    for (const auto& scope : requested) {
        bool registered = client.scopes.empty()
                              ? catalog.contains(scope)
                              : std::find(client.scopes.begin(), client.scopes.end(), scope) !=
                                    client.scopes.end();
        if (!registered || !catalog.contains(scope))
            return make_error(Code::invalid_scope,
                              "the client may not request the scope '" + scope.substr(0, 64) + "'");
    }
    return {};
}

}  // namespace tessera::core
