#include "cloudflare_fixture.hpp"

#include "base/encoding.hpp"
#include "base/id.hpp"
#include "support/browser.hpp"

namespace tessera::testing {
namespace {

// The hidden fields of a sign-in or consent page, form-encoded after `first`.
std::string page_form(const WireResponse& page, std::string first) {
    for (const auto& name : {"client_id", "response_type", "state", "redirect_uri",
                             "code_challenge", "code_challenge_method", "scope", "csrf_token"}) {
        auto value = hidden_field(page.body, name);
        if (!value.empty()) first += "&" + std::string(name) + "=" + form_encode(value);
    }
    return first;
}

}  // namespace

json::object valid_body() {
    return json::object{
        {"client_name", "My OAuth App"},
        {"redirect_uris", json::array{"https://example.com/callback"}},
        {"grant_types", json::array{"authorization_code", "refresh_token"}},
        {"response_types", json::array{"code"}},
        {"scopes", json::array{"account.read"}},
        {"token_endpoint_auth_method", "client_secret_post"},
    };
}

json::object valid_body(std::initializer_list<std::pair<std::string_view, json::value>> changes) {
    json::object body = valid_body();
    for (const auto& [key, value] : changes) body[key] = value;
    return body;
}

std::string bearer(const std::string& token) { return "Authorization: Bearer " + token + "\r\n"; }

std::string failure_body(const std::vector<Problem>& problems) {
    json::array errors;
    for (const auto& p : problems) {
        json::object e{{"code", p.code}, {"message", p.message}};
        if (!p.pointer.empty()) e["source"] = json::object{{"pointer", p.pointer}};
        errors.push_back(std::move(e));
    }
    json::object body;
    body["success"] = false;
    body["errors"] = std::move(errors);
    body["messages"] = json::array();
    body["result"] = nullptr;
    return json::serialize(body);
}

std::string success_body(const std::string& result) {
    return R"({"success":true,"errors":[],"messages":[],"result":)" + result + "}";
}

std::string not_routable_body(const std::string& path) {
    return failure_body(
        {{7003, "Could not route to " + path + ", perhaps your object identifier is invalid?"}});
}

std::string authentication_error_body() {
    return R"({"success":false,"errors":[{"code":10000,"message":"Authentication error"}],)"
           R"("messages":[],"result":null})";
}

std::string fill(std::string text, const std::map<std::string, std::string>& values) {
    for (const auto& [key, value] : values) {
        for (auto at = text.find(key); at != std::string::npos;
             at = text.find(key, at + value.size()))
            text.replace(at, key.size(), value);
    }
    return text;
}

std::string dashed(const std::string& hex) {
    return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
           hex.substr(16, 4) + "-" + hex.substr(20);
}

CloudflareWire::CloudflareWire(app::Config config)
    : server_(std::move(config)), http_(server_.port()) {
    token_ = user_token(kOwnerEmail);
    account_ = new_account("Acme", kOwnerEmail);
}

WireResponse CloudflareWire::send(const std::string& credentials, const std::string& method,
                                  const std::string& path, const std::string& body) {
    return http_.send(method, path, credentials + (body.empty() ? "" : kJsonType), body);
}

json::object CloudflareWire::create_client(const json::object& body) {
    auto r = call("POST", clients_path(), json::serialize(body));
    EXPECT_EQ(r.status, 200) << r.body;
    if (r.status != 200) return {};
    return json::parse(r.body).as_object()["result"].as_object();
}

json::object CloudflareWire::fetch(const std::string& id) {
    auto r = call("GET", client_path(id));
    EXPECT_EQ(r.status, 200) << r.body;
    if (r.status != 200) return {};
    return json::parse(r.body).as_object()["result"].as_object();
}

std::string CloudflareWire::new_account(const std::string& name, const std::string& owner_email) {
    auto account = server_.app().accounts().create(name, owner_email);
    if (!account) ADD_FAILURE() << account.error().description;
    return account ? account->id.hex() : "";
}

void CloudflareWire::add_member(const std::string& account, const std::string& email,
                                core::Role role) {
    auto added = server_.app().accounts().add_member(*Id::parse(account), email, role);
    if (!added) ADD_FAILURE() << added.error().description;
}

std::string CloudflareWire::api_key(const std::string& email) {
    auto user = server_.app().users().find_by_email(email);
    if (!user) {
        ADD_FAILURE() << user.error().description;
        return "";
    }
    auto key = server_.app().api_keys().issue(user->id);
    if (!key) ADD_FAILURE() << key.error().description;
    return key ? std::string(key->reveal()) : "";
}

WireResponse CloudflareWire::authorize(const std::string& client_id, const std::string& email) {
    auto& jar = cookies_[email];
    auto page = browse(http_, jar, "GET",
                       "/oauth/authorize?response_type=code&state=s1&client_id=" + client_id);
    if (page.status != 200) return page;  // a redirect: consent was given before, or an error
    if (page.body.find("value=\"approve\"") == std::string::npos) {
        page = browse(http_, jar, "POST", "/oauth/authorize",
                      page_form(page, "action=sign_in&email=" + form_encode(email) +
                                          "&password=" + form_encode(kPassword)));
        if (page.status != 200) return page;
    }
    return browse(http_, jar, "POST", "/oauth/authorize", page_form(page, "action=approve"));
}

std::string CloudflareWire::code_for(const std::string& client_id, const std::string& email) {
    return query_param(authorize(client_id, email).header("location"), "code");
}

WireResponse CloudflareWire::redeem(const std::string& client_id, const std::string& secret,
                                    const std::string& code) {
    return http_.send("POST", "/oauth/token", "Content-Type: application/x-www-form-urlencoded\r\n",
                      "grant_type=authorization_code&code=" + form_encode(code) +
                          "&client_id=" + client_id + "&client_secret=" + form_encode(secret));
}

}  // namespace tessera::testing
