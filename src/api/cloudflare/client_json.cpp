#include "api/cloudflare/client_json.hpp"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>

#include "core/clients/account_client_rules.hpp"

namespace tessera::api::cloudflare {
namespace {

namespace json = boost::json;
using Kind = Violation::Kind;

json::array strings(const std::vector<std::string>& list) {
    json::array out;
    for (const auto& s : list) out.emplace_back(s);
    return out;
}

void put_optional(json::object& o, std::string_view key, const std::optional<std::string>& value) {
    if (value) o[key] = *value;
}

// Reads one body into a patch, collecting every wrong type.
class PatchReader {
public:
    explicit PatchReader(const json::object& body) : body_(body) {}

    void text(std::string_view key, std::optional<std::string>& out) {
        const json::value* v = body_.if_contains(key);
        if (!v) return;
        if (!v->is_string()) return wrong(key, "must be a string");
        out = std::string(v->get_string());
    }

    void nullable_text(std::string_view key, std::optional<std::optional<std::string>>& out) {
        const json::value* v = body_.if_contains(key);
        if (!v) return;
        if (v->is_null()) {
            out.emplace(std::nullopt);
            return;
        }
        if (!v->is_string()) return wrong(key, "must be a string or null");
        out.emplace(std::string(v->get_string()));
    }

    // `nullable`: an explicit null is an empty list (optional arrays only).
    void list(std::string_view key, std::optional<std::vector<std::string>>& out,
              bool nullable = false) {
        const json::value* v = body_.if_contains(key);
        if (!v) return;
        if (v->is_null() && nullable) {
            out.emplace();
            return;
        }
        if (!v->is_array()) return wrong(key, "must be an array of strings");
        std::vector<std::string> items;
        const auto& array = v->get_array();
        for (std::size_t i = 0; i < array.size(); ++i) {
            if (!array[i].is_string()) {
                wrong(std::string(key) + "/" + std::to_string(i), "must be a string");
                continue;
            }
            items.emplace_back(array[i].get_string());
        }
        out = std::move(items);
    }

    std::vector<Violation> take() { return std::move(violations_); }

private:
    void wrong(std::string_view pointer, std::string_view why) {
        violations_.push_back({Kind::wrong_type, "/" + std::string(pointer),
                               std::string(pointer) + " " + std::string(why)});
    }

    const json::object& body_;
    std::vector<Violation> violations_;
};

}  // namespace

json::object render_client(const core::Client& client, const std::optional<Secret>& secret) {
    json::object o;
    o["client_id"] = client.id.hex();
    o["visibility"] = client.visibility;
    o["client_name"] = client.name;
    put_optional(o, "client_uri", client.client_uri);
    if (client.client_uri && client.uri_verification)
        o["client_uri_verification"] =
            json::object{{"status", core::to_string(client.uri_verification->status)},
                         {"text", client.uri_verification->record()}};
    put_optional(o, "logo_uri", client.logo_uri);
    put_optional(o, "policy_uri", client.policy_uri);
    put_optional(o, "tos_uri", client.tos_uri);
    o["redirect_uris"] = strings(client.redirect_uris);
    o["post_logout_redirect_uris"] = strings(client.post_logout_redirect_uris);
    o["allowed_cors_origins"] = strings(client.allowed_cors_origins);
    o["grant_types"] = strings(client.grant_types);
    o["response_types"] = strings(client.response_types);
    o["scopes"] = strings(client.scopes);
    o["optional_scopes"] = strings(client.optional_scopes);
    o["token_endpoint_auth_method"] = client.token_endpoint_auth_method;
    o["has_rotated_secret"] = client.has_rotated_secret();
    if (client.promoted_at) o["promoted_at"] = format_rfc3339(*client.promoted_at);
    o["created_at"] = format_rfc3339(client.created_at);
    o["updated_at"] = format_rfc3339(client.updated_at);
    if (secret && !secret->empty()) o["client_secret"] = std::string(secret->reveal());
    return o;
}

Result<core::ClientMetadataPatch> parse_client_patch(std::string_view body) {
    json::object object;
    if (!body.empty()) {
        boost::system::error_code ec;
        json::value parsed = json::parse(body, ec);
        if (ec || !parsed.is_object())
            return core::invalid_metadata(
                {{Kind::wrong_type, "", "the request body must be a JSON object"}});
        object = std::move(parsed.get_object());
    }
    core::ClientMetadataPatch patch;
    PatchReader read(object);
    read.text("client_name", patch.client_name);
    read.list("grant_types", patch.grant_types);
    read.list("redirect_uris", patch.redirect_uris);
    read.list("response_types", patch.response_types);
    read.list("scopes", patch.scopes);
    read.text("token_endpoint_auth_method", patch.token_endpoint_auth_method);
    read.list("allowed_cors_origins", patch.allowed_cors_origins, true);
    read.list("optional_scopes", patch.optional_scopes, true);
    read.list("post_logout_redirect_uris", patch.post_logout_redirect_uris, true);
    read.nullable_text("client_uri", patch.client_uri);
    read.nullable_text("logo_uri", patch.logo_uri);
    read.nullable_text("policy_uri", patch.policy_uri);
    read.nullable_text("tos_uri", patch.tos_uri);
    read.text("visibility", patch.visibility);
    if (auto violations = read.take(); !violations.empty())
        return core::invalid_metadata(std::move(violations));
    return patch;
}

}  // namespace tessera::api::cloudflare
