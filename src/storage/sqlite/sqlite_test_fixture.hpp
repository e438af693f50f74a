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

}  // namespace tessera::storage::sqlite
