#pragma once

#include <cstdlib>
#include <memory>

#include "storage/sqlite/database.hpp"
#include "storage/sqlite/migrate.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace tessera::storage::sqlite {

// A migrated SqliteStore on its own ":memory:" database, for the tests of the
// layers above (STYLE.md §7: core tests run on a real SqliteStore(":memory:")).
// Aborts if the database cannot be opened or migrated: no test can run then.
class MemoryStore {
public:
    MemoryStore() : database_(open_migrated()), store_(*database_) {}

    SqliteStore& store() { return store_; }

private:
    static std::unique_ptr<Database> open_migrated() {
        auto database = Database::open(":memory:");
        if (!database || !migrate(**database)) std::abort();
        return std::move(*database);
    }

    std::unique_ptr<Database> database_;
    SqliteStore store_;
};

}  // namespace tessera::storage::sqlite
