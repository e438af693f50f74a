#include <string>

#include <gtest/gtest.h>

#include "storage/sqlite/sqlite_test_fixture.hpp"

namespace tessera::storage::sqlite {
namespace {

// What the store's behaviour is, on SQLite and PostgreSQL alike, is checked
// by tests/store_conformance; this checks a SQLite-only property: the
// verifier's listing query is served by the partial index of migration 0010,
// without a sort.
class SqliteVerificationStore : public StoreTest {};

TEST_P(SqliteVerificationStore, ListingUsesThePartialIndex) {
    auto plan = database_->with_connection([](Connection& c) -> Result<std::string> {
        TESSERA_TRY_ASSIGN(
            Statement s,
            c.prepare("EXPLAIN QUERY PLAN SELECT id FROM clients"
                      " WHERE verification_status IN ('pending', 'in_progress')"
                      " AND (verification_checked_at < ?1 OR verification_checked_at IS NULL)"
                      " ORDER BY verification_checked_at, id LIMIT ?2"));
        std::string text;
        while (true) {
            TESSERA_TRY_ASSIGN(bool row, s.step());
            if (!row) return text;
            text += s.column_text(3) + "\n";
        }
    });
    ASSERT_TRUE(plan.has_value()) << plan.error().log_detail;
    EXPECT_NE(plan->find("clients_verification_open"), std::string::npos) << *plan;
    EXPECT_EQ(plan->find("TEMP B-TREE"), std::string::npos) << *plan;
}

INSTANTIATE_TEST_SUITE_P(Backends, SqliteVerificationStore, kBothBackends, backend_name);

}  // namespace
}  // namespace tessera::storage::sqlite
