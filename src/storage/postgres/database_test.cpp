#include "storage/postgres/database.hpp"

#include <atomic>
#include <latch>
#include <stdexcept>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "storage/postgres/postgres_test_fixture.hpp"

namespace tessera::storage::postgres {
namespace {

class PostgresDatabase : public SchemaTest {
protected:
    void SetUp() override {
        SchemaTest::SetUp();
        if (HasFatalFailure()) return;
        ASSERT_TRUE(schema_->sql()
                        .execute("CREATE TABLE items (k bigint PRIMARY KEY, v bytea NOT NULL,"
                                 " parent bigint REFERENCES items (k))")
                        .has_value());
    }

    std::int64_t count_items() {
        auto rows = schema_->sql().run("SELECT count(*) FROM items");
        EXPECT_TRUE(rows.has_value());
        return rows.has_value() ? rows->row(0).int64(0) : -1;
    }

    static Result<void> insert(Connection& c, std::int64_t k, std::optional<std::int64_t> parent) {
        TESSERA_TRY(
            c.run("INSERT INTO items (k, v, parent) VALUES ($1, $2, $3)",
                  Params().int64(k).bytes(std::string("\0\x01", 2)).optional_int64(parent)));
        return {};
    }
};

TEST_F(PostgresDatabase, RoundTripsBinaryParametersAndResults) {
    auto database = open();
    ASSERT_TRUE(database);
    Id id = *Id::parse("01234567-89ab-cdef-0123-456789abcdef");
    auto rows = database->read("test", [&](Connection& c) {
        return c.run(
            "SELECT $1::bytea, $2::text, $3::bigint, $4::boolean, $5::text[], $6::bytea,"
            " NULL::bigint, 7::integer, 8::smallint",
            Params()
                .id(id)
                .text("caf\xc3\xa9")
                .int64(-5)
                .boolean(true)
                .text_list({"a b", ""})
                .bytes(std::string("\0\xff", 2)));
    });
    ASSERT_TRUE(rows.has_value()) << rows.error().log_detail;
    Row row = rows->row(0);
    EXPECT_EQ(row.id(0), id);
    EXPECT_EQ(row.text(1), "caf\xc3\xa9");
    EXPECT_EQ(row.int64(2), -5);
    EXPECT_TRUE(row.boolean(3));
    EXPECT_EQ(row.text_list(4), (std::vector<std::string>{"a b", ""}));
    EXPECT_EQ(row.bytes(5), std::string("\0\xff", 2));
    EXPECT_EQ(row.optional_int64(6), std::nullopt);
    EXPECT_EQ(row.int64(7), 7);
    EXPECT_EQ(row.int64(8), 8);
    EXPECT_FALSE(row.is_malformed());
    // A NULL where a value is required, or bytes that are no id.
    EXPECT_EQ(row.id(5), Id());
    EXPECT_TRUE(row.is_malformed());
}

TEST_F(PostgresDatabase, AnUnreachableServerIsUnavailable) {
    auto database = Database::open("postgresql://tessera@127.0.0.1:1/postgres?connect_timeout=2");
    ASSERT_FALSE(database.has_value());
    EXPECT_EQ(database.error().code, Code::unavailable);
    EXPECT_NE(database.error().log_detail.find("postgres connect"), std::string::npos);
}

TEST_F(PostgresDatabase, ConstraintViolationsMapLikeSqlite) {
    auto database = open();
    ASSERT_TRUE(database);
    ASSERT_TRUE(database->transaction("test", [](Connection& c) { return insert(c, 1, {}); }));
    auto duplicate = database->transaction("dup", [](Connection& c) { return insert(c, 1, {}); });
    ASSERT_FALSE(duplicate.has_value());
    EXPECT_EQ(duplicate.error().code, Code::conflict);
    EXPECT_EQ(duplicate.error().description, "the resource already exists");
    EXPECT_NE(duplicate.error().log_detail.find("postgres dup:"), std::string::npos);
    EXPECT_NE(duplicate.error().log_detail.find("23505"), std::string::npos);
    auto orphan = database->transaction("test", [](Connection& c) { return insert(c, 2, 99); });
    ASSERT_FALSE(orphan.has_value());
    EXPECT_EQ(orphan.error().code, Code::internal);
    auto bad_text = database->read(
        "test", [](Connection& c) { return c.run("SELECT $1::text", Params().text("\xff")); });
    ASSERT_FALSE(bad_text.has_value());
    EXPECT_EQ(bad_text.error().code, Code::internal);
    // The pool's connections are usable after each failure.
    EXPECT_TRUE(database->transaction("test", [](Connection& c) { return insert(c, 3, 1); }));
    EXPECT_EQ(count_items(), 2);
}

TEST_F(PostgresDatabase, AFailedTransactionWritesNothing) {
    auto database = open();
    ASSERT_TRUE(database);
    auto failed = database->transaction("test", [](Connection& c) -> Result<void> {
        TESSERA_TRY(insert(c, 1, {}));
        TESSERA_TRY(insert(c, 2, 1));
        return make_error(Code::not_found, "decided against it");
    });
    ASSERT_FALSE(failed.has_value());
    EXPECT_EQ(failed.error().code, Code::not_found);
    auto thrown = database->transaction("test", [](Connection& c) -> Result<void> {
        TESSERA_TRY(insert(c, 1, {}));
        throw std::runtime_error("boom");
    });
    ASSERT_FALSE(thrown.has_value());
    EXPECT_EQ(thrown.error().code, Code::internal);
    EXPECT_NE(thrown.error().log_detail.find("boom"), std::string::npos);
    auto late_conflict = database->transaction("test", [](Connection& c) -> Result<void> {
        TESSERA_TRY(insert(c, 5, {}));
        return insert(c, 5, {});
    });
    ASSERT_FALSE(late_conflict.has_value());
    EXPECT_EQ(late_conflict.error().code, Code::conflict);
    EXPECT_EQ(count_items(), 0);
}

TEST_F(PostgresDatabase, ThePoolIsBoundedAndAWaiterTimesOut) {
    auto database = open({.max_connections = 1, .acquire_timeout_ms = 200});
    ASSERT_TRUE(database);
    std::latch holding(1);
    std::latch done(1);
    std::thread holder([&] {
        (void)database->read("hold", [&](Connection&) -> Result<void> {
            holding.count_down();
            done.wait();
            return {};
        });
    });
    holding.wait();
    auto waited = database->read("wait", [](Connection&) -> Result<void> { return {}; });
    done.count_down();
    holder.join();
    ASSERT_FALSE(waited.has_value());
    EXPECT_EQ(waited.error().code, Code::unavailable);
    EXPECT_NE(waited.error().log_detail.find("no free connection"), std::string::npos);
    // Given back, the connection serves the next caller.
    EXPECT_TRUE(database->read("again", [](Connection&) -> Result<void> { return {}; }));
}

// Two SERIALIZABLE transactions each read the sum and insert a row that
// depends on it, interleaved so that they cannot both commit: one fails with
// 40001, runs again on its own and then commits.
TEST_F(PostgresDatabase, ASerializationFailureRunsTheTransactionAgain) {
    auto database = open();
    ASSERT_TRUE(database);
    std::atomic<int> attempts{0};
    std::latch both_read(2);
    auto work = [&](std::int64_t k) {
        int mine = 0;
        return database->transaction(
            "sum",
            [&](Connection& c) -> Result<std::int64_t> {
                ++attempts;
                TESSERA_TRY_ASSIGN(Rows sum,
                                   c.run("SELECT coalesce(sum(k), 0)::bigint FROM items"));
                if (++mine == 1) both_read.arrive_and_wait();
                TESSERA_TRY(insert(c, k, {}));
                return sum.row(0).int64(0);
            },
            Isolation::serializable);
    };
    Result<std::int64_t> results[2] = {0, 0};
    std::thread a([&] { results[0] = work(1); });
    std::thread b([&] { results[1] = work(2); });
    a.join();
    b.join();
    ASSERT_TRUE(results[0].has_value()) << results[0].error().log_detail;
    ASSERT_TRUE(results[1].has_value()) << results[1].error().log_detail;
    // At least one retry. More when a retry starts before the other
    // transaction has committed and conflicts with it again (seen under load).
    EXPECT_GE(attempts.load(), 3);
    // As if one after the other: the first saw no row, the second the first's.
    if (*results[0] == 0) {
        EXPECT_EQ(*results[1], 1);
    } else {
        EXPECT_EQ(*results[0], 2);
        EXPECT_EQ(*results[1], 0);
    }
    EXPECT_EQ(count_items(), 2);
}

TEST_F(PostgresDatabase, RetriesStopAtMaxAttemptsAsUnavailable) {
    auto database = open({.max_attempts = 3});
    ASSERT_TRUE(database);
    int attempts = 0;
    auto failed = database->transaction("always", [&](Connection& c) -> Result<void> {
        ++attempts;
        TESSERA_TRY(c.execute(
            "DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = 'serialization_failure';"
            " END $$"));
        return {};
    });
    ASSERT_FALSE(failed.has_value());
    EXPECT_EQ(failed.error().code, Code::unavailable);
    EXPECT_NE(failed.error().log_detail.find("40001"), std::string::npos);
    EXPECT_EQ(attempts, 3);
}

TEST_F(PostgresDatabase, AConnectionTheServerDroppedIsReplaced) {
    auto database = open({.max_connections = 1});
    ASSERT_TRUE(database);
    auto pid = database->read("pid", [](Connection& c) -> Result<std::int64_t> {
        TESSERA_TRY_ASSIGN(Rows rows, c.run("SELECT pg_backend_pid()::bigint"));
        return rows.row(0).int64(0);
    });
    ASSERT_TRUE(pid.has_value());
    ASSERT_TRUE(schema_->sql()
                    .run("SELECT pg_terminate_backend($1::integer)", Params().int64(*pid))
                    .has_value());
    // A read on the dead connection fails as unavailable and drops it...
    auto lost = database->read("lost", [](Connection& c) -> Result<void> {
        TESSERA_TRY(c.run("SELECT 1"));
        return {};
    });
    ASSERT_FALSE(lost.has_value());
    EXPECT_EQ(lost.error().code, Code::unavailable);
    // ...and the next call gets a new one.
    EXPECT_TRUE(database->transaction("test", [](Connection& c) { return insert(c, 1, {}); }));
    EXPECT_EQ(count_items(), 1);
}

}  // namespace
}  // namespace tessera::storage::postgres
