#include "app/config.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace tessera::app {
namespace {

class ConfigTest : public ::testing::Test {
protected:
    void SetUp() override {
        for (const char* key : kConfigKeys) {
            std::string env = "TESSERA_";
            for (const char* p = key; *p; ++p) env += static_cast<char>(std::toupper(*p));
            unsetenv(env.c_str());
        }
        unsetenv("TESSERA_CONFIG");
        file_ = std::filesystem::temp_directory_path() /
                ("tessera-config-" + std::to_string(::getpid()) + ".toml");
    }
    void TearDown() override { std::filesystem::remove(file_); }
    void write(const std::string& text) { std::ofstream(file_) << text; }

    std::filesystem::path file_;
};

TEST_F(ConfigTest, DefaultsServeSqliteOnLoopback) {
    auto c = load_config(std::nullopt, {});
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->listen, "127.0.0.1:8080");
    EXPECT_EQ(c->database, "sqlite://./data/tessera.db");
    EXPECT_TRUE(c->access_log);
}

TEST_F(ConfigTest, FlagsBeatEnvironmentWhichBeatsTheFile) {
    write(
        "listen = \"127.0.0.1:9000\"\nissuer = \"https://file.example\"\n"
        "database = \"sqlite://file.db\"\nio_threads = 3\naccess_log = false\n"
        "database_pool_size = 12\n");
    setenv("TESSERA_ISSUER", "https://env.example", 1);
    setenv("TESSERA_DATABASE", "sqlite://env.db", 1);
    auto c = load_config(file_.string(), {{"database", "sqlite://flag.db"}});
    ASSERT_TRUE(c.has_value()) << c.error().description;
    EXPECT_EQ(c->listen, "127.0.0.1:9000");
    EXPECT_EQ(c->issuer, "https://env.example");
    EXPECT_EQ(c->database, "sqlite://flag.db");
    EXPECT_EQ(c->io_threads, 3);
    EXPECT_EQ(c->database_pool_size, 12);
    EXPECT_FALSE(c->access_log);
}

TEST_F(ConfigTest, RejectsUnknownKeysAndBadValuesNamingTheKey) {
    write("lisen = \"x\"\n");
    auto unknown = load_config(file_.string(), {});
    ASSERT_FALSE(unknown.has_value());
    EXPECT_EQ(unknown.error().subject, "lisen");
    struct Case {
        const char* key;
        const char* value;
    };
    for (auto c : {Case{"listen", "nohost"}, Case{"listen", "h:99999"}, Case{"io_threads", "x"},
                   Case{"access_log", "yes"}, Case{"issuer", "ftp://x"}, Case{"body_limit", "10"},
                   Case{"tls_cert", "c.pem"}, Case{"database_pool_size", "-1"},
                   Case{"database_pool_size", "many"}}) {
        auto r = load_config(std::nullopt, {{c.key, c.value}});
        ASSERT_FALSE(r.has_value()) << c.key << '=' << c.value;
        EXPECT_EQ(r.error().code, Code::invalid_params);
    }
    auto missing = load_config("/nonexistent/tessera.toml", {});
    ASSERT_FALSE(missing.has_value());
    EXPECT_NE(missing.error().description.find("/nonexistent/tessera.toml"), std::string::npos);
}

TEST_F(ConfigTest, LifetimesAreSecondsWithSensibleBounds) {
    auto d = load_config(std::nullopt, {});
    EXPECT_EQ(d->access_token_ttl, 3600);
    EXPECT_EQ(d->user_access_token_ttl, 28800);
    EXPECT_EQ(d->refresh_token_ttl, 0);
    EXPECT_EQ(d->refresh_grace, 10);
    EXPECT_EQ(d->code_ttl, 60);
    EXPECT_EQ(d->session_ttl, 28800);
    write("code_ttl = 30\nrefresh_grace = 0\n");
    setenv("TESSERA_SESSION_TTL", "600", 1);
    auto c = load_config(file_.string(), {{"refresh_token_ttl", "86400"}});
    ASSERT_TRUE(c.has_value()) << c.error().description;
    EXPECT_EQ(c->code_ttl, 30);
    EXPECT_EQ(c->refresh_grace, 0);
    EXPECT_EQ(c->session_ttl, 600);
    EXPECT_EQ(c->refresh_token_ttl, 86400);
    for (auto [key, value] : {std::pair{"code_ttl", "0"}, std::pair{"access_token_ttl", "-5"},
                              std::pair{"refresh_grace", "-1"}, std::pair{"session_ttl", "x"},
                              std::pair{"user_access_token_ttl", "999999999999"}}) {
        auto r = load_config(std::nullopt, {{key, value}});
        ASSERT_FALSE(r.has_value()) << key << '=' << value;
        EXPECT_EQ(r.error().subject, key);
    }
}

TEST_F(ConfigTest, RegistrationIsOffUnlessChosenAndThenNeedsAnOwner) {
    auto d = load_config(std::nullopt, {});
    EXPECT_EQ(d->registration, "off");
    EXPECT_EQ(d->registration_owner, "");
    write("registration = \"token\"\nregistration_owner = \"file@example.com\"\n");
    setenv("TESSERA_REGISTRATION_OWNER", "env@example.com", 1);
    auto c = load_config(file_.string(), {{"registration", "open"}});
    ASSERT_TRUE(c.has_value()) << c.error().description;
    EXPECT_EQ(c->registration, "open");
    EXPECT_EQ(c->registration_owner, "env@example.com");
    unsetenv("TESSERA_REGISTRATION_OWNER");
    auto bad_mode = load_config(std::nullopt, {{"registration", "yes"}});
    ASSERT_FALSE(bad_mode.has_value());
    EXPECT_EQ(bad_mode.error().subject, "registration");
    auto ownerless = load_config(std::nullopt, {{"registration", "token"}});
    ASSERT_FALSE(ownerless.has_value());
    EXPECT_EQ(ownerless.error().subject, "registration_owner");
}

TEST_F(ConfigTest, DnsResolverIsTheSystemsUnlessAnIpAndPortIsGiven) {
    auto d = load_config(std::nullopt, {});
    ASSERT_TRUE(d.has_value());
    EXPECT_FALSE(d->dns_resolver.has_value());
    EXPECT_EQ(d->uri_verification_interval, 300);

    write("dns_resolver = \"10.0.0.53:53\"\nuri_verification_interval = 60\n");
    auto file = load_config(file_.string(), {});
    ASSERT_TRUE(file.has_value()) << file.error().description;
    EXPECT_EQ(file->dns_resolver, "10.0.0.53:53");
    EXPECT_EQ(file->uri_verification_interval, 60);
    setenv("TESSERA_DNS_RESOLVER", "[::1]:5353", 1);
    setenv("TESSERA_URI_VERIFICATION_INTERVAL", "120", 1);
    auto env = load_config(file_.string(), {});
    ASSERT_TRUE(env.has_value()) << env.error().description;
    EXPECT_EQ(env->dns_resolver, "[::1]:5353");
    EXPECT_EQ(env->uri_verification_interval, 120);
    auto flag = load_config(file_.string(), {{"dns_resolver", "127.0.0.1:5300"}});
    ASSERT_TRUE(flag.has_value()) << flag.error().description;
    EXPECT_EQ(flag->dns_resolver, "127.0.0.1:5300");
    auto cleared = load_config(file_.string(), {{"dns_resolver", ""}});
    ASSERT_TRUE(cleared.has_value()) << cleared.error().description;
    EXPECT_FALSE(cleared->dns_resolver.has_value());
    unsetenv("TESSERA_DNS_RESOLVER");
    unsetenv("TESSERA_URI_VERIFICATION_INTERVAL");

    for (auto [key, value] :
         {std::pair{"dns_resolver", "dns.example:53"}, std::pair{"dns_resolver", "10.0.0.53"},
          std::pair{"dns_resolver", "::1:53"}, std::pair{"dns_resolver", "10.0.0.53:0"},
          std::pair{"uri_verification_interval", "0"},
          std::pair{"uri_verification_interval", "86401"},
          std::pair{"uri_verification_interval", "5m"}}) {
        auto r = load_config(std::nullopt, {{key, value}});
        ASSERT_FALSE(r.has_value()) << key << '=' << value;
        EXPECT_EQ(r.error().code, Code::invalid_params);
        EXPECT_EQ(r.error().subject, key);
    }
}

TEST(ParseListen, AcceptsHostPortAndBracketedIpv6) {
    auto a = parse_listen("0.0.0.0:443");
    ASSERT_TRUE(a.has_value());
    EXPECT_EQ(a->host, "0.0.0.0");
    EXPECT_EQ(a->port, 443);
    auto b = parse_listen("[::1]:0");
    ASSERT_TRUE(b.has_value());
    EXPECT_EQ(b->host, "::1");
    EXPECT_EQ(b->port, 0);
}

}  // namespace
}  // namespace tessera::app
