#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "app/wiring.hpp"
#include "http/server.hpp"

namespace tessera::testing {

// The real application on a real SQLite file in a fresh temp folder, served
// by the real HTTP server on 127.0.0.1 and an ephemeral port, in a
// background thread. Stops and removes the folder on destruction.
class TestServer {
public:
    explicit TestServer(app::Config config = {});
    // As above, with users (emails) created before the application opens with
    // `config`, e.g. the registration owner it checks at startup.
    TestServer(app::Config config, const std::vector<std::string>& users_first);
    ~TestServer();

    int port() const { return port_; }
    app::Application& app() { return *app_; }
    const std::filesystem::path& folder() const { return folder_; }

    // Creates a user and a direct authorization; returns the raw token.
    std::string create_user_token(const std::string& email,
                                  std::vector<std::string> scope = {"global"});

private:
    std::filesystem::path folder_;
    std::unique_ptr<app::Application> app_;
    std::unique_ptr<http::Server> server_;
    std::thread thread_;
    int port_ = 0;
};

}  // namespace tessera::testing
