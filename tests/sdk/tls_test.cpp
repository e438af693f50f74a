// The SDK over HTTPS against the real server with a self-signed certificate
// made by `openssl` at test time: verification fails without the CA, for a
// host the certificate does not name, and succeeds with the CA.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <random>
#include <thread>

#include "app/wiring.hpp"
#include "http/server.hpp"
#include "sdk/sdk_fixture.hpp"
#include "support/test_database.hpp"

namespace tessera::testing {
namespace {

namespace fs = std::filesystem;

// The real application served over TLS on 127.0.0.1, with a certificate for
// DNS name "localhost" only.
class TlsServer {
public:
    TlsServer() {
        std::random_device rd;
        folder_ = fs::temp_directory_path() / ("tessera-tls-" + std::to_string(rd()));
        fs::create_directories(folder_);
        cert_ = (folder_ / "cert.pem").string();
        auto key = (folder_ / "key.pem").string();
        std::string command =
            "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 "
            "-subj /CN=localhost -addext subjectAltName=DNS:localhost -keyout '" +
            key + "' -out '" + cert_ + "' 2>/dev/null";
        if (std::system(command.c_str()) != 0) throw std::runtime_error("openssl req failed");
        app::Config config;
        database_ = std::make_unique<TestDatabase>(folder_);
        config.database = database_->url();
        auto opened = app::Application::open(config);
        if (!opened) throw std::runtime_error(opened.error().description);
        app_ = std::move(*opened);
        auto user = app_->users().create({kOwner, kPassword, ""});
        auto minted =
            app_->authorizations().create_direct({user->id, {"global"}, "tls", {}, false});
        token_ = minted->raw_access_token.reveal();
        http::ServerOptions options;
        options.port = 0;
        options.io_threads = 1;
        options.worker_threads = 2;
        options.access_log = false;
        options.tls_cert_file = cert_;
        options.tls_key_file = key;
        server_ = std::make_unique<http::Server>(
            options, [this](http::Request& r) { return app_->handle(r); },
            [this](const http::Request& r, int status, std::string_view message) {
                return app_->render_transport_error(r, status, message);
            });
        if (auto error = server_->start(); !error.empty()) throw std::runtime_error(error);
        thread_ = std::thread([this] { server_->run(false); });
    }
    ~TlsServer() {
        server_->stop();
        thread_.join();
        server_.reset();
        app_.reset();
        database_.reset();
        std::error_code ec;
        fs::remove_all(folder_, ec);
    }

    std::string url(const std::string& host) const {
        return "https://" + host + ":" + std::to_string(server_->port());
    }
    const std::string& ca_file() const { return cert_; }
    sdk::Api api(const std::string& host, sdk::Options options) const {
        return sdk::Api(url(host), sdk::Credentials::token(sdk::Secret(token_)), options);
    }

private:
    fs::path folder_;
    std::string cert_;
    std::string token_;
    std::unique_ptr<TestDatabase> database_;  // outlives app_
    std::unique_ptr<app::Application> app_;
    std::unique_ptr<http::Server> server_;
    std::thread thread_;
};

class SdkTls : public ::testing::Test {
protected:
    static void SetUpTestSuite() { server_ = new TlsServer(); }
    static void TearDownTestSuite() {
        delete server_;
        server_ = nullptr;
    }
    static sdk::Options trusting() {
        auto options = quick_options();
        options.ca_file = server_->ca_file();
        return options;
    }
    static TlsServer* server_;
};

TlsServer* SdkTls::server_ = nullptr;

TEST_F(SdkTls, VerificationFailsWithoutTheCa) {
    auto start = std::chrono::steady_clock::now();
    auto result = server_->api("localhost", quick_options()).account().info();
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().kind, sdk::ErrorKind::tls) << result.error().to_string();
    EXPECT_NE(result.error().message.find("certificate verify failed"), std::string::npos)
        << result.error().message;
    EXPECT_NE(result.error().message.find("self-signed"), std::string::npos)
        << result.error().message;
    // Not retried: it cannot get better.
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

TEST_F(SdkTls, VerificationSucceedsWithTheCa) {
    auto api = server_->api("localhost", trusting());
    for (int i = 0; i < 3; ++i) {
        auto me = api.account().info();
        ASSERT_TRUE(me) << me.error().to_string();
        EXPECT_EQ(me->email, kOwner);
    }
    auto created = api.oauth().clients().create({"Over TLS", "https://example.com/cb"});
    ASSERT_TRUE(created) << created.error().to_string();
}

TEST_F(SdkTls, AHostTheCertificateDoesNotNameIsRefused) {
    auto result = server_->api("127.0.0.1", trusting()).account().info();
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().kind, sdk::ErrorKind::tls) << result.error().to_string();
    EXPECT_NE(result.error().message.find("certificate verify failed"), std::string::npos)
        << result.error().message;
}

TEST_F(SdkTls, VerificationCanBeTurnedOff) {
    auto options = quick_options();
    options.verify_tls = false;
    auto me = server_->api("127.0.0.1", options).account().info();
    ASSERT_TRUE(me) << me.error().to_string();
}

TEST_F(SdkTls, AnUnreadableCaFileIsAUsageError) {
    auto options = quick_options();
    options.ca_file = "/nonexistent/ca.pem";
    auto result = server_->api("localhost", options).account().info();
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().kind, sdk::ErrorKind::usage) << result.error().to_string();
}

}  // namespace
}  // namespace tessera::testing
