#pragma once

// What the SDK tests share: the real application behind the real HTTP
// server on loopback (support/test_server.hpp), a user with a global token,
// and Apis pointed at it. SDK names are qualified (`sdk::`): tessera::Result
// and tessera::Secret of the server's headers are other types.

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "support/test_server.hpp"
#include "tessera/tessera.hpp"

namespace tessera::testing {

inline const std::string kOwner = "owner@example.com";
inline const std::string kPassword = "correct horse battery";

// Short waits so retry paths do not slow the suite.
sdk::Options quick_options();

// A port on 127.0.0.1 where nothing listens (bound, then closed).
int unused_port();

class SdkTest : public ::testing::Test {
protected:
    // `users_first` are created before the server opens (a registration
    // owner must exist then).
    explicit SdkTest(app::Config config = {}, const std::vector<std::string>& users_first = {});

    std::string base_url() const { return "http://127.0.0.1:" + std::to_string(server_.port()); }
    // An Api with `token` (default: the owner's global token).
    sdk::Api api(const std::string& token = "") const;
    sdk::Api api_with(sdk::Credentials credentials) const;
    // A new user (password kPassword) with a token of `scope`.
    std::string user_token(const std::string& email, std::vector<std::string> scope = {"global"}) {
        return server_.create_user_token(email, std::move(scope));
    }
    // Registers `count` clients for the owner straight through the core
    // service (fast), named "bulk-0000"…
    void create_clients_directly(int count);
    // A new account (hex id) whose super administrator is `owner_email`.
    std::string new_account(const std::string& name, const std::string& owner_email = kOwner);

    TestServer server_;
    std::string token_;
};

// Asserts that `result` failed with `status` (and, when given, `id`), and
// that the error carries a request id; returns the error.
template <typename T>
sdk::ApiError expect_api_error(const sdk::Result<T>& result, int status,
                               const std::string& id = "") {
    EXPECT_FALSE(result.has_value());
    if (result.has_value()) return {};
    const auto& error = result.error();
    EXPECT_EQ(error.kind, sdk::ErrorKind::api) << error.to_string();
    EXPECT_EQ(error.status, status) << error.to_string();
    if (!id.empty()) {
        EXPECT_EQ(error.id, id) << error.to_string();
    }
    EXPECT_EQ(error.request_id.size(), 36u) << error.to_string();
    return error;
}

}  // namespace tessera::testing
