#pragma once

#include <filesystem>
#include <memory>
#include <string>

namespace tessera::storage::postgres {
class Connection;
}

namespace tessera::testing {

// The backend the cross-layer tests run on, from TESSERA_TEST_DATABASE:
// unset, empty or "sqlite" is SQLite; "postgres" is PostgreSQL on the test
// server (storage::postgres::test_server_conninfo(): TESSERA_TEST_POSTGRES,
// else the URL file of the ctest fixture `postgres`). Anything else throws.
enum class Backend { sqlite, postgres };
Backend test_backend();

// A fresh, empty database for one test server on test_backend(): an SQLite
// file in `folder`, or a new database (tessera_test_<16 hex>) on the
// PostgreSQL test server, dropped (WITH (FORCE)) on destruction. Throws
// std::runtime_error when it cannot be made. Not thread-safe.
class TestDatabase {
public:
    explicit TestDatabase(const std::filesystem::path& folder);
    ~TestDatabase();
    TestDatabase(const TestDatabase&) = delete;
    TestDatabase& operator=(const TestDatabase&) = delete;

    Backend backend() const { return backend_; }
    // What app::Config::database takes.
    const std::string& url() const { return url_; }
    // Every byte the database holds as far as a test can tell: the SQLite
    // file and its WAL, or every column of every row of every table on
    // PostgreSQL (bytea as its raw bytes, everything else as text). For
    // checks that a secret is never stored in the clear.
    std::string stored_bytes() const;

private:
    Backend backend_;
    std::filesystem::path file_;  // SQLite
    std::string name_;            // PostgreSQL: the database's name
    std::string url_;
    std::unique_ptr<storage::postgres::Connection> admin_;  // PostgreSQL: on the server's own database
};

}  // namespace tessera::testing
