#pragma once

// What the Cloudflare v4 wire tests share (Cloudflare spec §1–§7): the real
// server with one account and its owner, requests in the SDKs' shape, the
// envelope's exact bytes, and a browser that runs the code flow so secrets
// can be tried at the token endpoint.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/model/user.hpp"
#include "support/http_client.hpp"
#include "support/test_server.hpp"

namespace tessera::testing {

namespace json = boost::json;

inline constexpr const char* kJsonType = "Content-Type: application/json\r\n";
inline const std::string kOwnerEmail = "owner@example.com";
inline const std::string kPassword = "correct horse battery";

// A create body that passes every rule of §4: the spec's example client.
json::object valid_body();
// valid_body() with each of `changes` set (replacing the field).
json::object valid_body(std::initializer_list<std::pair<std::string_view, json::value>> changes);

std::string bearer(const std::string& token);

// One entry of `errors`; an empty pointer renders no `source`.
struct Problem {
    int code;
    std::string message;
    std::string pointer{};
};

// {"success":false,"errors":[...],"messages":[],"result":null} (§1.5, §7).
std::string failure_body(const std::vector<Problem>& problems);
// {"success":true,"errors":[],"messages":[],"result":<result>}.
std::string success_body(const std::string& result);
// 404 code 7003 for an unknown, foreign or malformed id (§7).
std::string not_routable_body(const std::string& path);
// 401/403 code 10000.
std::string authentication_error_body();

// `text` with every key of `values` replaced by its value.
std::string fill(std::string text, const std::map<std::string, std::string>& values);

// The 8-4-4-4-12 form of a 32 hex id.
std::string dashed(const std::string& hex);

class CloudflareWire : public ::testing::Test {
protected:
    explicit CloudflareWire(app::Config config = {});

    // Sends `method path` with `credentials` (header lines) and, when given,
    // a JSON body.
    WireResponse send(const std::string& credentials, const std::string& method,
                      const std::string& path, const std::string& body = "");
    WireResponse as(const std::string& token, const std::string& method, const std::string& path,
                    const std::string& body = "") {
        return send(bearer(token), method, path, body);
    }
    // As the owner of account_.
    WireResponse call(const std::string& method, const std::string& path,
                      const std::string& body = "") {
        return as(token_, method, path, body);
    }

    static std::string clients_path(const std::string& account) {
        return "/client/v4/accounts/" + account + "/oauth_clients";
    }
    static std::string client_path(const std::string& account, const std::string& id) {
        return clients_path(account) + "/" + id;
    }
    std::string clients_path() const { return clients_path(account_); }
    std::string client_path(const std::string& id) const { return client_path(account_, id); }

    // Creates a client in account_ as its owner (asserting 200); its `result`.
    json::object create_client(const json::object& body = valid_body());
    // The `result` of GET on the client, as the owner.
    json::object fetch(const std::string& id);

    // A user (password kPassword) with a fresh token of `scope`.
    std::string user_token(const std::string& email, std::vector<std::string> scope = {"global"}) {
        return server_.create_user_token(email, std::move(scope));
    }
    // A new account named `name` whose super administrator is `owner_email`
    // (who must exist); its id in hex.
    std::string new_account(const std::string& name, const std::string& owner_email);
    void add_member(const std::string& account, const std::string& email, core::Role role);
    // A new global API key for `email`.
    std::string api_key(const std::string& email);

    // Runs the code flow for `client_id` in a browser signed in as `email`:
    // the last response (a redirect carrying the code when all went well).
    WireResponse authorize(const std::string& client_id, const std::string& email = kOwnerEmail);
    // The code of authorize(), or "" when none was issued.
    std::string code_for(const std::string& client_id, const std::string& email = kOwnerEmail);
    // POST /oauth/token with client_secret_post credentials.
    WireResponse redeem(const std::string& client_id, const std::string& secret,
                        const std::string& code);

    TestServer server_;
    Client http_;
    std::string token_;    // the owner's global token
    std::string account_;  // the owner's account "Acme", hex
    std::map<std::string, std::map<std::string, std::string>> cookies_;  // per email
};

}  // namespace tessera::testing
