#include "api/heroku/clients_api.hpp"

#include <spdlog/spdlog.h>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "api/heroku/errors.hpp"
#include "api/heroku/range.hpp"

namespace tessera::api::heroku {
namespace {

const std::vector<std::string_view> kRangeFields = {"id", "name"};

// §2.1, keys in alphabetical order. `secret` only when one was just minted.
boost::json::object render(const core::Client& client, const Secret* secret) {
    boost::json::object o;
    o["created_at"] = format_rfc3339(client.created_at);
    o["id"] = client.id.uuid();
    o["ignores_delinquent"] = nullptr;
    o["name"] = client.name;
    o["redirect_uri"] = client.redirect_uris.empty() ? "" : client.redirect_uris.front();
    if (secret) o["secret"] = secret->reveal();
    o["updated_at"] = format_rfc3339(client.updated_at);
    return o;
}

http::Response client_response(int status, const core::Client& client, const Secret* secret) {
    auto response = json_response(status, boost::json::serialize(render(client, secret)));
    if (secret) response.headers.set("Cache-Control", "no-store");
    return response;
}

// A client id in the path: dashed uuid or 32 hex, any case (§1.6). A
// malformed id cannot name a client: not_found, like an unknown one.
Result<Id> path_client_id(const http::Request& request) {
    auto id = Id::parse(request.param("client_id"));
    if (!id) return make_error(Code::not_found, "Couldn't find that OAuth client.", {}, "client");
    return *id;
}

// The body of create and update (§2.2, §2.5). Unknown fields are ignored so
// newer clients keep working, and named in our log.
struct ClientFields {
    std::optional<std::string> name;
    std::optional<std::string> redirect_uri;
};

Result<ClientFields> parse_client_fields(const http::Request& request) {
    auto body = parse_object(request);
    if (!body) return std::move(body).error();
    ClientFields fields;
    TESSERA_TRY_ASSIGN(fields.name, string_field(*body, "name"));
    TESSERA_TRY_ASSIGN(fields.redirect_uri, string_field(*body, "redirect_uri"));
    for (const auto& [key, value] : *body) {
        if (key != "name" && key != "redirect_uri")
            spdlog::info("request {}: ignored unknown field '{}'", request.request_id,
                         std::string_view(key).substr(0, 64));
    }
    return fields;
}

}  // namespace

void ClientsApi::add_routes(http::Router& router) {
    router.add("POST", "/oauth/clients", http::member_handler(this, &ClientsApi::create));
    router.add("GET", "/oauth/clients", http::member_handler(this, &ClientsApi::list));
    router.add("GET", "/oauth/clients/{client_id}", http::member_handler(this, &ClientsApi::info));
    router.add("PATCH", "/oauth/clients/{client_id}",
               http::member_handler(this, &ClientsApi::update));
    router.add("DELETE", "/oauth/clients/{client_id}",
               http::member_handler(this, &ClientsApi::remove));
    router.add("POST", "/oauth/clients/{client_id}/actions/rotate-credentials",
               http::member_handler(this, &ClientsApi::rotate_credentials));
}

http::Response ClientsApi::create(const http::Request& request) {
    return authenticated(conventions_, request, [&](const core::Caller& caller) {
        auto fields = parse_client_fields(request);
        if (!fields) return render_error(request, fields.error());
        if (!fields->name)
            return render_error(request,
                                make_error(Code::invalid_params, "name is required", {}, "name"));
        if (!fields->redirect_uri)
            return render_error(
                request,
                make_error(Code::invalid_params, "redirect_uri is required", {}, "redirect_uri"));
        auto user = users_.find_user(caller.user_id);
        if (!user) return render_error(request, user.error());
        auto created = clients_.create(
            {caller.user_id, user->account_id, *fields->name, *fields->redirect_uri});
        if (!created) return render_error(request, created.error());
        return client_response(201, created->client, &created->secret);
    });
}

http::Response ClientsApi::list(const http::Request& request) {
    return authenticated(conventions_, request, [&](const core::Caller& caller) {
        auto parsed = parse_range(request.headers.get("Range"), kRangeFields);
        if (auto* bad = std::get_if<RangeError>(&parsed)) return range_error_response(*bad);
        auto& range = std::get<ParsedRange>(parsed);
        auto page = clients_.list(caller.user_id, range.query);
        if (!page) return render_error(request, page.error());
        boost::json::array items;
        for (const auto& c : page->items) {
            auto secret = clients_.retrievable_secret(c);  // D1: for the owner only
            items.push_back(render(c, secret ? &*secret : nullptr));
        }
        auto response = json_response(200, boost::json::serialize(items));
        auto key = [&](const core::Client& c) {
            return range.query.field == core::SortField::name ? c.name : c.id.uuid();
        };
        std::optional<std::string> first, last;
        if (!page->items.empty()) {
            first = key(page->items.front());
            last = key(page->items.back());
        }
        set_range_headers(response, range, kRangeFields, first, last, page->has_more);
        return response;
    });
}

http::Response ClientsApi::info(const http::Request& request) {
    // §2.4: served without credentials too, then with public fields only.
    if (!request.headers.get("Authorization")) {
        if (auto refused = conventions_.check_accept(request))
            return conventions_.finish(request, std::move(*refused), -1);
        auto limited = conventions_.limit_anonymous(request);
        if (auto* response = std::get_if<http::Response>(&limited))
            return conventions_.finish(request, std::move(*response), -1);
        int remaining = std::get<int>(limited);
        auto id = path_client_id(request);
        if (!id) return conventions_.finish(request, render_error(request, id.error()), remaining);
        auto client = clients_.public_info(*id);
        if (!client)
            return conventions_.finish(request, render_error(request, client.error()), remaining);
        return conventions_.finish(request, client_response(200, *client, nullptr), remaining);
    }
    return authenticated(conventions_, request, [&](const core::Caller& caller) {
        auto id = path_client_id(request);
        if (!id) return render_error(request, id.error());
        auto client = clients_.info(caller.user_id, *id);
        if (!client) return render_error(request, client.error());
        auto secret = clients_.retrievable_secret(*client);  // D1: owner only
        return client_response(200, *client, secret ? &*secret : nullptr);
    });
}

http::Response ClientsApi::update(const http::Request& request) {
    return authenticated(conventions_, request, [&](const core::Caller& caller) {
        auto fields = parse_client_fields(request);
        if (!fields) return render_error(request, fields.error());
        auto id = path_client_id(request);
        if (!id) return render_error(request, id.error());
        auto client = clients_.update(caller.user_id, *id, {fields->name, fields->redirect_uri});
        if (!client) return render_error(request, client.error());
        return client_response(200, *client, nullptr);
    });
}

http::Response ClientsApi::remove(const http::Request& request) {
    return authenticated(conventions_, request, [&](const core::Caller& caller) {
        auto id = path_client_id(request);
        if (!id) return render_error(request, id.error());
        auto client = clients_.remove(caller.user_id, *id);
        if (!client) return render_error(request, client.error());
        return client_response(200, *client, nullptr);
    });
}

http::Response ClientsApi::rotate_credentials(const http::Request& request) {
    return authenticated(conventions_, request, [&](const core::Caller& caller) {
        auto id = path_client_id(request);
        if (!id) return render_error(request, id.error());
        auto rotated = clients_.rotate_secret_now(caller.user_id, *id);
        if (!rotated) return render_error(request, rotated.error());
        return client_response(200, rotated->client, &rotated->secret);
    });
}

}  // namespace tessera::api::heroku
