// The Cloudflare surface's calls (spec cloudflare-oauth-clients.md §1.2).
#include "tessera/iam.hpp"

#include "sdk/base_url.hpp"
#include "sdk/requests.hpp"

namespace tessera::sdk {
namespace {

using detail::Call;
using detail::Surface;

Call cloudflare(std::string method, std::string path, std::string body = "") {
    bool idempotent = method == "GET" || method == "DELETE";
    return Call{Surface::cloudflare, std::move(method), "/client/v4" + path, std::move(body), {},
                idempotent};
}

template <typename T>
Result<T> result_of(const detail::Channel& channel, const Call& call, std::string_view what) {
    auto result = detail::envelope_result(channel, call);
    if (!result) return std::move(result).error();
    return detail::decode<T>(*result, what);
}

std::string clients_path(const std::string& account_id) {
    return "/accounts/" + detail::percent_encode(account_id) + "/oauth_clients";
}

std::string client_path(const std::string& account_id, const std::string& client_id) {
    return clients_path(account_id) + "/" + detail::percent_encode(client_id);
}

// The `id` of a delete's result ({"id": ...}; the SDK types allow null).
Result<std::string> id_of(const detail::Channel& channel, const Call& call) {
    auto result = detail::envelope_result(channel, call);
    if (!result) return std::move(result).error();
    if (result->is_null()) return std::string();
    std::string problem;
    detail::ObjectReader reader(*result, "result", problem);
    auto id = reader.text("id");
    if (!problem.empty()) return detail::unexpected_answer(problem);
    return id;
}

}  // namespace

Result<std::vector<AccountOAuthClient>> AccountOAuthClients::list() const {
    auto result = detail::envelope_result(*channel_, cloudflare("GET", clients_path(account_id_)));
    if (!result) return std::move(result).error();
    if (result->is_null()) return std::vector<AccountOAuthClient>();  // §5: missing = empty
    return detail::decode_array<AccountOAuthClient>(*result, "result");
}

Result<AccountOAuthClient> AccountOAuthClients::get(const std::string& client_id) const {
    return result_of<AccountOAuthClient>(
        *channel_, cloudflare("GET", client_path(account_id_, client_id)), "result");
}

Result<AccountOAuthClient> AccountOAuthClients::create(const AccountOAuthClientCreate& body) const {
    return result_of<AccountOAuthClient>(
        *channel_, cloudflare("POST", clients_path(account_id_), detail::body_of(body)), "result");
}

Result<AccountOAuthClient> AccountOAuthClients::update(
    const std::string& client_id, const AccountOAuthClientUpdate& changes) const {
    return result_of<AccountOAuthClient>(
        *channel_,
        cloudflare("PATCH", client_path(account_id_, client_id), detail::body_of(changes)),
        "result");
}

Result<std::string> AccountOAuthClients::remove(const std::string& client_id) const {
    return id_of(*channel_, cloudflare("DELETE", client_path(account_id_, client_id)));
}

Result<Secret> AccountOAuthClients::rotate_secret(const std::string& client_id) const {
    auto result = detail::envelope_result(
        *channel_, cloudflare("POST", client_path(account_id_, client_id) + "/rotate_secret"));
    if (!result) return std::move(result).error();
    std::string problem;
    detail::ObjectReader reader(*result, "result", problem);
    auto secret = reader.secret("client_secret");
    if (!problem.empty()) return detail::unexpected_answer(problem);
    return secret;
}

Result<std::string> AccountOAuthClients::delete_rotated_secret(const std::string& client_id) const {
    return id_of(*channel_,
                 cloudflare("DELETE", client_path(account_id_, client_id) + "/rotate_secret"));
}

Result<std::vector<OAuthScope>> OAuthScopes::list() const {
    auto result = detail::envelope_result(*channel_, cloudflare("GET", "/oauth/scopes"));
    if (!result) return std::move(result).error();
    if (result->is_null()) return std::vector<OAuthScope>();
    return detail::decode_array<OAuthScope>(*result, "result");
}

}  // namespace tessera::sdk
