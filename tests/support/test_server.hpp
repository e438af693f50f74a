#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "app/wiring.hpp"
#include "http/server.hpp"
#include "support/test_database.hpp"

namespace tessera::testing {

// The real application on a fresh database (support/test_database.hpp: an
// SQLite file in a fresh temp folder, or with TESSERA_TEST_DATABASE=postgres
// a new PostgreSQL database), served by the real HTTP server on 127.0.0.1 and
// an ephemeral port, in a background thread. Stops, then drops the database
// and removes the folder on destruction.
class TestServer {
public:
    explicit TestServer(app::Config config = {});
    // As above, with users (emails) created before the application opens with
    // `config`, e.g. the registration owner it checks at startup.
    // `clock`, when given, replaces the system clock (it must outlive this).
    TestServer(app::Config config, const std::vector<std::string>& users_first,
               const Clock* clock = nullptr);
    ~TestServer();

    int port() const { return port_; }
    app::Application& app() { return *app_; }
    // A fresh temp folder of this server's own.
    const std::filesystem::path& folder() const { return folder_; }
    const TestDatabase& database() const { return *database_; }

    // Creates a user and a direct authorization; returns the raw token.
    std::string create_user_token(const std::string& email,
                                  std::vector<std::string> scope = {"global"});

private:
    std::filesystem::path folder_;
    std::unique_ptr<TestDatabase> database_;  // outlives app_
    std::unique_ptr<app::Application> app_;
    std::unique_ptr<http::Server> server_;
    std::thread thread_;
    int port_ = 0;
};

}  // namespace tessera::testing
