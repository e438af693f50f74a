// The application wired to PostgreSQL (app/wiring.cpp): `--database` with a
// postgres:// URL or libpq key=value words opens, migrates and serves.
#include <libpq-fe.h>

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "app/wiring.hpp"
#include "storage/postgres/postgres_test_fixture.hpp"

namespace tessera::store_conformance {
namespace {

// `url` in libpq's key='value' form, as libpq itself parses it.
std::string keyword_form(const std::string& url) {
    char* error = nullptr;
    PQconninfoOption* options = PQconninfoParse(url.c_str(), &error);
    if (options == nullptr) {
        PQfreemem(error);
        return {};
    }
    std::string words;
    for (const PQconninfoOption* option = options; option->keyword != nullptr; ++option) {
        if (option->val == nullptr) continue;
        std::string value;
        for (const char* c = option->val; *c != '\0'; ++c) {
            if (*c == '\'' || *c == '\\') value += '\\';
            value += *c;
        }
        if (!words.empty()) words += ' ';
        words += std::string(option->keyword) + "='" + value + "'";
    }
    PQconninfoFree(options);
    return words;
}

http::Request get(std::string path, std::string token = {}) {
    http::Request request;
    request.method = "GET";
    request.path = request.target = std::move(path);
    request.headers.set("Accept", "application/vnd.heroku+json; version=3");
    if (!token.empty()) request.headers.set("Authorization", "Bearer " + token);
    return request;
}

class PostgresApplication : public ::testing::Test {
protected:
    void SetUp() override {
        auto schema = storage::postgres::TestSchema::create();
        ASSERT_TRUE(schema.has_value())
            << schema.error().description << " " << schema.error().log_detail;
        schema_ = std::move(schema).value();
    }

    std::unique_ptr<app::Application> open(const std::string& database) {
        app::Config config;
        config.database = database;
        auto opened = app::Application::open(config);
        EXPECT_TRUE(opened.has_value())
            << opened.error().description << " " << opened.error().log_detail;
        return opened.has_value() ? std::move(opened).value() : nullptr;
    }

    std::unique_ptr<storage::postgres::TestSchema> schema_;
};

TEST_F(PostgresApplication, OpensMigratesAndServesOnAUrlOrOnKeywords) {
    const std::string url = schema_->conninfo();
    const std::string words = keyword_form(url);
    ASSERT_FALSE(words.empty());
    ASSERT_EQ(words.find("://"), std::string::npos);

    auto first = open(url);
    ASSERT_TRUE(first);
    EXPECT_GT(first->migrations_applied(), 0);
    auto user = first->users().create({"ada@example.com", "correct horse battery", "Ada"});
    ASSERT_TRUE(user.has_value()) << user.error().log_detail;
    auto minted = first->authorizations().create_direct({user->id, {"global"}, "cli", {}, false});
    ASSERT_TRUE(minted.has_value()) << minted.error().log_detail;
    std::string token = minted->raw_access_token.reveal();

    // A second node on the same database: nothing left to migrate, and it
    // sees what the first wrote (the token it minted works here).
    auto second = open(words);
    ASSERT_TRUE(second);
    EXPECT_EQ(second->migrations_applied(), 0);
    for (auto* node : {first.get(), second.get()}) {
        auto ready = get("/health/ready");
        EXPECT_EQ(node->handle(ready).status, 200);
        auto listed = get("/oauth/authorizations", token);
        auto response = node->handle(listed);
        EXPECT_EQ(response.status, 200) << response.body;
        EXPECT_NE(response.body.find(minted->authorization.id.uuid()), std::string::npos);
        // Every request may wait on the network: none runs on an I/O thread.
        EXPECT_FALSE(node->runs_inline(listed));
    }
}

TEST_F(PostgresApplication, AnUnreachableServerFailsToOpen) {
    app::Config config;
    config.database = "postgresql://tessera@127.0.0.1:1/tessera?connect_timeout=2";
    auto opened = app::Application::open(config);
    ASSERT_FALSE(opened.has_value());
    EXPECT_EQ(opened.error().code, Code::unavailable);
}

TEST_F(PostgresApplication, SqliteIsStillTheDefaultForPaths) {
    auto sqlite = open("sqlite://:memory:");
    ASSERT_TRUE(sqlite);
    auto ready = get("/health/ready");
    EXPECT_EQ(sqlite->handle(ready).status, 200);
    EXPECT_TRUE(sqlite->runs_inline(ready));
}

}  // namespace
}  // namespace tessera::store_conformance
