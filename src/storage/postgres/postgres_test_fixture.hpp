#pragma once

// Test support, shared by this folder's tests and tests/store_conformance:
// a schema of its own on the test server for each test.

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "base/result.hpp"
#include "storage/postgres/connection.hpp"
#include "storage/postgres/database.hpp"

namespace tessera::storage::postgres {

// The test server's connection string: TESSERA_TEST_POSTGRES (a postgres://
// URL or libpq key=value words) if set, else the URL in the file
// TESSERA_TEST_POSTGRES_URL_FILE names (written by scripts/pg-test-server.sh,
// which the ctest fixture `postgres` runs). With neither, `unavailable` with a
// description that says how to get a server: tests fail, never skip.
Result<std::string> test_server_conninfo();

// A new schema (conformance_<16 hex>) on the test server, dropped with
// everything in it when this is destroyed. Not thread-safe.
class TestSchema {
public:
    static Result<std::unique_ptr<TestSchema>> create();
    ~TestSchema();
    TestSchema(const TestSchema&) = delete;
    TestSchema& operator=(const TestSchema&) = delete;

    const std::string& name() const { return name_; }
    // The server's connection string with this schema first on search_path:
    // what a Database for the test opens.
    const std::string& conninfo() const { return conninfo_; }
    // A connection of its own on the schema, for SQL the test runs itself.
    Connection& sql() { return *sql_; }

private:
    TestSchema() = default;

    std::string name_;
    std::string conninfo_;
    std::unique_ptr<Connection> sql_;
    bool created_ = false;
};

// A test with a schema of its own (schema_, made in SetUp, which fails the
// test when the server cannot be reached) and Databases opened on it.
class SchemaTest : public ::testing::Test {
protected:
    void SetUp() override;
    // A Database on schema_; null (and a failure) when it cannot open.
    std::unique_ptr<Database> open(DatabaseOptions options = {});

    std::unique_ptr<TestSchema> schema_;
};

}  // namespace tessera::storage::postgres
