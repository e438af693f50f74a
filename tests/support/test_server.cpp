#include "support/test_server.hpp"

#include <random>
#include <stdexcept>

#include "base/clock.hpp"

namespace tessera::testing {

TestServer::TestServer(app::Config config) : TestServer(std::move(config), {}) {}

TestServer::TestServer(app::Config config, const std::vector<std::string>& users_first,
                       const Clock* clock) {
    std::random_device rd;
    folder_ = std::filesystem::temp_directory_path() /
              ("tessera-test-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(folder_);
    database_ = std::make_unique<TestDatabase>(folder_);
    config.database = database_->url();
    if (!users_first.empty()) {
        app::Config seeding = config;
        seeding.registration = "off";
        auto seeder = app::Application::open(seeding, clock);
        if (!seeder) throw std::runtime_error("open: " + seeder.error().description);
        for (const auto& email : users_first) {
            auto user = (*seeder)->users().create({email, "correct horse battery", ""});
            if (!user) throw std::runtime_error("create user: " + user.error().description);
        }
    }
    auto opened = app::Application::open(config, clock);
    if (!opened) throw std::runtime_error("open: " + opened.error().description);
    app_ = std::move(*opened);
    http::ServerOptions options;
    options.port = 0;
    options.io_threads = 2;
    options.worker_threads = 4;
    options.body_limit = static_cast<std::size_t>(config.body_limit);
    options.access_log = false;
    options.run_inline = [this](const http::Request& r) { return app_->runs_inline(r); };
    server_ = std::make_unique<http::Server>(
        options, [this](http::Request& r) { return app_->handle(r); },
        [this](const http::Request& r, int status, std::string_view message) {
            return app_->render_transport_error(r, status, message);
        });
    if (auto error = server_->start(); !error.empty()) throw std::runtime_error(error);
    port_ = server_->port();
    thread_ = std::thread([this] { server_->run(false); });
}

TestServer::~TestServer() {
    server_->stop();
    thread_.join();
    server_.reset();
    app_.reset();
    database_.reset();
    std::error_code ec;
    std::filesystem::remove_all(folder_, ec);
}

std::string TestServer::create_user_token(const std::string& email,
                                          std::vector<std::string> scope) {
    auto user = app_->users().find_by_email(email);
    if (!user) user = app_->users().create({email, "correct horse battery", ""});
    if (!user) throw std::runtime_error("create user: " + user.error().description);
    auto minted = app_->authorizations().create_direct({user->id, scope, "test", {}, false});
    if (!minted) throw std::runtime_error("authorize: " + minted.error().description);
    return minted->raw_access_token.reveal();
}

}  // namespace tessera::testing
