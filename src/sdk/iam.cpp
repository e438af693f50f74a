// The Cloudflare surface's calls (spec cloudflare-oauth-clients.md §1.2).
#include "tessera/iam.hpp"

#include "sdk/base_url.hpp"
#include "sdk/requests.hpp"

namespace tessera::sdk {
namespace detail {

// The results of delete ({"id": ...}) and rotate_secret ({"client_secret": ...}).
struct DeletedId {
    std::string id;
};
struct RotatedSecret {
    Secret client_secret;
};

static void read_value(ObjectReader& in, DeletedId& out) { out.id = in.text("id"); }
static void read_value(ObjectReader& in, RotatedSecret& out) {
    out.client_secret = in.secret("client_secret");
}

}  // namespace detail

namespace {

using detail::Call;
using detail::Surface;

Call cloudflare(std::string method, std::string path, std::string body = "") {
    bool idempotent = method == "GET" || method == "DELETE";
    return Call{Surface::cloudflare, std::move(method), "/client/v4" + path, std::move(body), {},
                idempotent};
}

template <typename T>
Result<T> result_of(const detail::Channel& channel, const Call& call) {
    auto answer = detail::envelope_result(channel, call);
    if (!answer) return std::move(answer).error();
    return detail::decode_answer<T>(answer->json, answer->request_id, "result");
}

// A list's `result` (a missing one is empty, spec §5).
template <typename T>
Result<std::vector<T>> results_of(const detail::Channel& channel, const Call& call) {
    auto answer = detail::envelope_result(channel, call);
    if (!answer) return std::move(answer).error();
    if (answer->json.is_null()) return std::vector<T>();
    return detail::decode_answer_array<T>(answer->json, answer->request_id, "result");
}

std::string clients_path(const std::string& account_id) {
    return "/accounts/" + detail::percent_encode(account_id) + "/oauth_clients";
}

std::string client_path(const std::string& account_id, const std::string& client_id) {
    return clients_path(account_id) + "/" + detail::percent_encode(client_id);
}

// The `id` of a delete's result ({"id": ...}; the SDK types allow null).
Result<std::string> id_of(const detail::Channel& channel, const Call& call) {
    auto answer = detail::envelope_result(channel, call);
    if (!answer) return std::move(answer).error();
    if (answer->json.is_null()) return std::string();
    auto deleted =
        detail::decode_answer<detail::DeletedId>(answer->json, answer->request_id, "result");
    if (!deleted) return std::move(deleted).error();
    return std::move(deleted->id);
}

}  // namespace

Result<std::vector<AccountOAuthClient>> AccountOAuthClients::list() const {
    return results_of<AccountOAuthClient>(*channel_, cloudflare("GET", clients_path(account_id_)));
}

Result<AccountOAuthClient> AccountOAuthClients::get(const std::string& client_id) const {
    return result_of<AccountOAuthClient>(*channel_,
                                         cloudflare("GET", client_path(account_id_, client_id)));
}

Result<AccountOAuthClient> AccountOAuthClients::create(const AccountOAuthClientCreate& body) const {
    return result_of<AccountOAuthClient>(
        *channel_, cloudflare("POST", clients_path(account_id_), detail::body_of(body)));
}

Result<AccountOAuthClient> AccountOAuthClients::update(
    const std::string& client_id, const AccountOAuthClientUpdate& changes) const {
    return result_of<AccountOAuthClient>(
        *channel_,
        cloudflare("PATCH", client_path(account_id_, client_id), detail::body_of(changes)));
}

Result<std::string> AccountOAuthClients::remove(const std::string& client_id) const {
    return id_of(*channel_, cloudflare("DELETE", client_path(account_id_, client_id)));
}

Result<Secret> AccountOAuthClients::rotate_secret(const std::string& client_id) const {
    auto rotated = result_of<detail::RotatedSecret>(
        *channel_, cloudflare("POST", client_path(account_id_, client_id) + "/rotate_secret"));
    if (!rotated) return std::move(rotated).error();
    return std::move(rotated->client_secret);
}

Result<std::string> AccountOAuthClients::delete_rotated_secret(const std::string& client_id) const {
    return id_of(*channel_,
                 cloudflare("DELETE", client_path(account_id_, client_id) + "/rotate_secret"));
}

Result<std::vector<OAuthScope>> OAuthScopes::list() const {
    return results_of<OAuthScope>(*channel_, cloudflare("GET", "/oauth/scopes"));
}

}  // namespace tessera::sdk
