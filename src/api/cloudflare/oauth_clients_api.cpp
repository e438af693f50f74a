#include "api/cloudflare/oauth_clients_api.hpp"

#include <boost/json/array.hpp>

#include "api/cloudflare/client_json.hpp"
#include "api/cloudflare/envelope.hpp"
#include "api/cloudflare/errors.hpp"

namespace tessera::api::cloudflare {
namespace {

namespace json = boost::json;

constexpr std::size_t kBodyLimit = 64 * 1024;  // Cloudflare spec §4.9

// The path's account and client ids, after the credentials were checked.
struct Target {
    Id account_id;
    Id client_id;
};

std::optional<Target> parse_target(const http::Request& request, bool with_client) {
    auto account = Id::parse(request.param("account_id"));
    if (!account) return std::nullopt;
    Target target{*account, Id{}};
    if (!with_client) return target;
    auto client = Id::parse(request.param("oauth_client_id"));
    if (!client) return std::nullopt;
    target.client_id = *client;
    return target;
}

// Authenticates, checks the body size and the path ids, then runs `body`.
template <typename Body>
http::Response handle(const Credentials& credentials, const http::Request& request,
                      bool with_client, Body&& body) {
    auto caller = credentials.authenticate(request);
    if (auto* refused = std::get_if<http::Response>(&caller)) return std::move(*refused);
    if (request.body.size() > kBodyLimit)
        return failure(413, {{1006, "the request body must be at most 64 KiB"}});
    auto target = parse_target(request, with_client);
    if (!target) return not_routable(request);
    return body(std::get<core::Caller>(caller), *target);
}

json::object id_result(const Id& id) { return json::object{{"id", id.hex()}}; }

}  // namespace

bool owns_path(std::string_view path) {
    // §1.1: the base path itself belongs to the surface too, not only what is below it.
    return path == "/client/v4" || path.starts_with("/client/v4/");
}

void OAuthClientsApi::add_routes(http::Router& router) {
    constexpr std::string_view kList = "/client/v4/accounts/{account_id}/oauth_clients";
    constexpr std::string_view kOne =
        "/client/v4/accounts/{account_id}/oauth_clients/{oauth_client_id}";
    constexpr std::string_view kRotate =
        "/client/v4/accounts/{account_id}/oauth_clients/{oauth_client_id}/rotate_secret";
    router.add("GET", kList, http::member_handler(this, &OAuthClientsApi::list));
    router.add("POST", kList, http::member_handler(this, &OAuthClientsApi::create));
    router.add("GET", kOne, http::member_handler(this, &OAuthClientsApi::get));
    router.add("PATCH", kOne, http::member_handler(this, &OAuthClientsApi::update));
    router.add("DELETE", kOne, http::member_handler(this, &OAuthClientsApi::remove));
    router.add("POST", kRotate, http::member_handler(this, &OAuthClientsApi::rotate_secret));
    router.add("DELETE", kRotate,
               http::member_handler(this, &OAuthClientsApi::delete_rotated_secret));
    router.add("GET", "/client/v4/oauth/scopes",
               http::member_handler(this, &OAuthClientsApi::list_scopes));
}

http::Response OAuthClientsApi::list(const http::Request& request) {
    return handle(credentials_, request, false, [&](const core::Caller& caller, Target target) {
        auto clients = clients_.list(caller, target.account_id);
        if (!clients) return error_response(request, clients.error());
        json::array result;
        for (const auto& client : *clients) result.push_back(render_client(client));
        auto n = static_cast<std::int64_t>(result.size());
        // §5: everything in one page; result_info for familiarity only.
        json::object info{{"page", 1}, {"per_page", n}, {"count", n}, {"total_count", n}};
        return success(std::move(result), 200, std::move(info));
    });
}

http::Response OAuthClientsApi::get(const http::Request& request) {
    return handle(credentials_, request, true, [&](const core::Caller& caller, Target target) {
        auto client = clients_.get(caller, target.account_id, target.client_id);
        if (!client) return error_response(request, client.error());
        return success(render_client(*client));
    });
}

http::Response OAuthClientsApi::create(const http::Request& request) {
    return handle(credentials_, request, false, [&](const core::Caller& caller, Target target) {
        auto patch = parse_client_patch(request.body);
        if (!patch) return error_response(request, patch.error());
        auto created = clients_.create(caller, target.account_id, *patch);
        if (!created) return error_response(request, created.error());
        return success(render_client(created->client, created->secret));
    });
}

http::Response OAuthClientsApi::update(const http::Request& request) {
    return handle(credentials_, request, true, [&](const core::Caller& caller, Target target) {
        auto patch = parse_client_patch(request.body);
        if (!patch) return error_response(request, patch.error());
        auto updated = clients_.update(caller, target.account_id, target.client_id, *patch);
        if (!updated) return error_response(request, updated.error());
        return success(render_client(*updated));
    });
}

http::Response OAuthClientsApi::remove(const http::Request& request) {
    return handle(credentials_, request, true, [&](const core::Caller& caller, Target target) {
        auto removed = clients_.remove(caller, target.account_id, target.client_id);
        if (!removed) return error_response(request, removed.error());
        return success(id_result(removed->id));
    });
}

http::Response OAuthClientsApi::rotate_secret(const http::Request& request) {
    return handle(credentials_, request, true, [&](const core::Caller& caller, Target target) {
        auto secret = clients_.rotate_secret(caller, target.account_id, target.client_id);
        if (!secret) return error_response(request, secret.error());
        return success(json::object{{"client_secret", secret->reveal()}});
    });
}

http::Response OAuthClientsApi::delete_rotated_secret(const http::Request& request) {
    return handle(credentials_, request, true, [&](const core::Caller& caller, Target target) {
        auto client = clients_.delete_rotated_secret(caller, target.account_id, target.client_id);
        if (!client) return error_response(request, client.error());
        return success(id_result(client->id));
    });
}

http::Response OAuthClientsApi::list_scopes(const http::Request& request) {
    auto caller = credentials_.authenticate(request);
    if (auto* refused = std::get_if<http::Response>(&caller)) return std::move(*refused);
    // §6: the catalog's Cloudflare-style entries (ids with a dot).
    json::array result;
    for (const auto& scope : catalog_.scopes()) {
        if (scope.id.find('.') == std::string::npos) continue;
        json::object entry{{"id", scope.id}, {"name", scope.name}};
        if (!scope.category.empty()) entry["category"] = scope.category;
        if (!scope.permissions.empty()) {
            json::array permissions;
            for (const auto& p : scope.permissions) permissions.emplace_back(p);
            entry["scopes"] = std::move(permissions);
        }
        result.push_back(std::move(entry));
    }
    return success(std::move(result));
}

}  // namespace tessera::api::cloudflare
