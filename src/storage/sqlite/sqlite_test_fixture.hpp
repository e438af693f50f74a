#pragma once

// Test fixtures shared by the sqlite_store_test files: each TEST_P runs on a
// ":memory:" database and on a real file in a fresh temporary directory.

#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <utility>

#include <gtest/gtest.h>

#include "base/fake_clock.hpp"
#include "base/random.hpp"
#include "storage/sqlite/database.hpp"
#include "storage/sqlite/migrate.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace tessera {

// Failure messages show ids as uuids.
inline void PrintTo(const Id& id, std::ostream* out) { *out << id.uuid(); }

}  // namespace tessera

namespace tessera::storage::sqlite {

enum class Backend { memory, file };

inline void PrintTo(Backend backend, std::ostream* out) {
    *out << (backend == Backend::memory ? "memory" : "file");
}

inline std::string backend_name(const ::testing::TestParamInfo<Backend>& info) {
    return info.param == Backend::memory ? "Memory" : "File";
}

inline const auto kBothBackends = ::testing::Values(Backend::memory, Backend::file);

// A fresh, unmigrated Database per test.
class DatabaseTest : public ::testing::TestWithParam<Backend> {
protected:
    void SetUp() override {
        if (GetParam() == Backend::file) {
            std::string pattern =
                (std::filesystem::temp_directory_path() / "tessera-sqlite-XXXXXX").string();
            ASSERT_NE(mkdtemp(pattern.data()), nullptr);
            directory_ = pattern;
            path_ = (*directory_ / "tessera.db").string();
        } else {
            path_ = ":memory:";
        }
        auto opened = Database::open(path_);
        ASSERT_TRUE(opened.has_value()) << opened.error().log_detail;
        database_ = std::move(opened).value();
    }

    void TearDown() override {
        database_.reset();
        if (directory_) std::filesystem::remove_all(*directory_);
    }

    // Runs one statement and returns the first column of its first row as an
    // integer (for counting rows the store API cannot see).
    std::int64_t query_int(std::string_view sql) {
        auto result = database_->with_connection([&](Connection& c) -> Result<std::int64_t> {
            TESSERA_TRY_ASSIGN(Statement statement, c.prepare(sql));
            TESSERA_TRY_ASSIGN(bool has_row, statement.step());
            if (!has_row) return make_error(Code::internal, "no row");
            return statement.column_int(0);
        });
        EXPECT_TRUE(result.has_value()) << result.error().log_detail;
        return result.has_value() ? *result : -1;
    }

    std::optional<std::filesystem::path> directory_;
    std::string path_;
    std::unique_ptr<Database> database_;
};

// A migrated Database with a SqliteStore over it, and factories for rows.
class StoreTest : public DatabaseTest {
protected:
    void SetUp() override {
        DatabaseTest::SetUp();
        if (HasFatalFailure()) return;
        auto applied = migrate(*database_);
        ASSERT_TRUE(applied.has_value()) << applied.error().log_detail;
        store_ = std::make_unique<SqliteStore>(*database_);
    }

    void TearDown() override {
        store_.reset();
        DatabaseTest::TearDown();
    }

    Id new_id() { return Id::generate(random_); }

    // 32 random bytes, as a keyed digest is; likely to hold NUL bytes.
    std::string new_digest() {
        std::string digest(32, '\0');
        random_.fill({reinterpret_cast<std::uint8_t*>(digest.data()), digest.size()});
        digest[7] = '\0';
        return digest;
    }

    core::User create_user(const std::string& email) {
        core::Account account{.id = new_id(), .name = "personal", .created_at = clock_.now()};
        core::User user;
        user.id = new_id();
        user.email = email;
        user.name = "Alice";
        user.password_hash = "$argon2id$v=19$stub";
        user.account_id = account.id;
        user.created_at = user.updated_at = clock_.now();
        auto created = store_->create_user(user, account);
        EXPECT_TRUE(created.has_value()) << created.error().log_detail;
        return user;
    }

    // A client of `owner` with one redirect URI, the Heroku metadata and a
    // current secret digest.
    core::Client client_for(const core::User& owner, const std::string& name) {
        core::Client client;
        client.id = new_id();
        client.account_id = owner.account_id;
        client.owner_id = owner.id;
        client.name = name;
        client.redirect_uris = {"https://app.example/callback"};
        client.grant_types = {"authorization_code", "refresh_token"};
        client.scopes = {"global", "read"};
        client.secret_digest = new_digest();
        client.created_at = client.updated_at = clock_.now();
        return client;
    }

    core::Client create_client(const core::User& owner, const std::string& name) {
        core::Client client = client_for(owner, name);
        auto created = store_->create_client(client);
        EXPECT_TRUE(created.has_value()) << created.error().log_detail;
        return client;
    }

    // An authorization of `user` (for `client_id`, or direct) and its first token.
    std::pair<core::Authorization, core::AccessToken> authorization_for(
        const core::User& user, std::optional<Id> client_id) {
        core::Authorization authorization;
        authorization.id = new_id();
        authorization.user_id = user.id;
        authorization.client_id = client_id;
        authorization.scope = {"global"};
        authorization.created_at = authorization.updated_at = clock_.now();
        core::AccessToken token;
        token.id = new_id();
        token.authorization_id = authorization.id;
        token.user_id = user.id;
        token.client_id = client_id;
        token.digest = new_digest();
        token.redacted = "tat_abcde**********wxyz";
        token.scope = authorization.scope;
        token.expires_at = clock_.now() + 3600;
        token.created_at = clock_.now();
        return {authorization, token};
    }

    std::pair<core::Authorization, core::AccessToken> create_authorization(
        const core::User& user, std::optional<Id> client_id) {
        auto pair = authorization_for(user, client_id);
        auto created = store_->create_authorization(pair.first, pair.second);
        EXPECT_TRUE(created.has_value()) << created.error().log_detail;
        return pair;
    }

    // A client_credentials token of `client_id`: no authorization, no user.
    core::AccessToken standalone_token_for(std::optional<Id> client_id) {
        core::AccessToken token;
        token.id = new_id();
        token.client_id = client_id;
        token.digest = new_digest();
        token.redacted = "tat_abcde**********wxyz";
        token.scope = {"read"};
        token.expires_at = clock_.now() + 3600;
        token.created_at = clock_.now();
        return token;
    }

    SeededRandom random_{20260101};
    FakeClock clock_;
    std::unique_ptr<SqliteStore> store_;
};

// Field-by-field comparisons (the models have no operator==).
inline void expect_same_client(const core::Client& actual, const core::Client& expected) {
    EXPECT_EQ(actual.id, expected.id);
    EXPECT_EQ(actual.account_id, expected.account_id);
    EXPECT_EQ(actual.owner_id, expected.owner_id);
    EXPECT_EQ(actual.name, expected.name);
    EXPECT_EQ(actual.redirect_uris, expected.redirect_uris);
    EXPECT_EQ(actual.post_logout_redirect_uris, expected.post_logout_redirect_uris);
    EXPECT_EQ(actual.grant_types, expected.grant_types);
    EXPECT_EQ(actual.scopes, expected.scopes);
    EXPECT_EQ(actual.token_endpoint_auth_method, expected.token_endpoint_auth_method);
    EXPECT_EQ(actual.refresh_policy, expected.refresh_policy);
    EXPECT_EQ(actual.secret_digest, expected.secret_digest);
    EXPECT_EQ(actual.previous_secret_digest, expected.previous_secret_digest);
    EXPECT_EQ(actual.registration_token_digest, expected.registration_token_digest);
    EXPECT_EQ(actual.created_at, expected.created_at);
    EXPECT_EQ(actual.updated_at, expected.updated_at);
    EXPECT_EQ(actual.response_types, expected.response_types);
    EXPECT_EQ(actual.optional_scopes, expected.optional_scopes);
    EXPECT_EQ(actual.allowed_cors_origins, expected.allowed_cors_origins);
    EXPECT_EQ(actual.client_uri, expected.client_uri);
    EXPECT_EQ(actual.logo_uri, expected.logo_uri);
    EXPECT_EQ(actual.policy_uri, expected.policy_uri);
    EXPECT_EQ(actual.tos_uri, expected.tos_uri);
    EXPECT_EQ(actual.visibility, expected.visibility);
    EXPECT_EQ(actual.promoted_at, expected.promoted_at);
    EXPECT_EQ(actual.id_token_signed_response_alg, expected.id_token_signed_response_alg);
    EXPECT_EQ(actual.access_token_format, expected.access_token_format);
    ASSERT_EQ(actual.uri_verification.has_value(), expected.uri_verification.has_value());
    if (expected.uri_verification) {
        const auto& a = *actual.uri_verification;
        const auto& e = *expected.uri_verification;
        EXPECT_EQ(a.status, e.status);
        EXPECT_EQ(a.host, e.host);
        EXPECT_EQ(a.token, e.token);
        EXPECT_EQ(a.deadline, e.deadline);
        EXPECT_EQ(a.checked_at, e.checked_at);
    }
}

inline void expect_same_token(const core::AccessToken& actual, const core::AccessToken& expected) {
    EXPECT_EQ(actual.id, expected.id);
    EXPECT_EQ(actual.authorization_id, expected.authorization_id);
    EXPECT_EQ(actual.user_id, expected.user_id);
    EXPECT_EQ(actual.client_id, expected.client_id);
    EXPECT_EQ(actual.digest, expected.digest);
    EXPECT_EQ(actual.redacted, expected.redacted);
    EXPECT_EQ(actual.scope, expected.scope);
    EXPECT_EQ(actual.expires_at, expected.expires_at);
    EXPECT_EQ(actual.created_at, expected.created_at);
    EXPECT_EQ(actual.session_id, expected.session_id);
}

}  // namespace tessera::storage::sqlite
