// PostgresStore: deployment-wide settings (core::SettingStore).
#include <string>

#include "storage/postgres/postgres_store.hpp"

namespace tessera::storage::postgres {
namespace {

// A concurrent insert of the same name makes this one wait for it to commit
// (or roll back) and then do nothing (or insert).
constexpr std::string_view kInsertSettingUnlessPresent =
    "INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING";
constexpr std::string_view kSelectSetting = "SELECT value FROM settings WHERE name = $1";

}  // namespace

Result<std::string> PostgresStore::get_or_put_setting(const std::string& name,
                                                      const std::string& value) {
    // READ COMMITTED: the SELECT takes a new snapshot, so it sees the row that
    // won, whichever node or thread inserted it.
    return database_.transaction(
        "get_or_put_setting", [&](Connection& connection) -> Result<std::string> {
            TESSERA_TRY(
                connection.run(kInsertSettingUnlessPresent, Params().text(name).text(value)));
            TESSERA_TRY_ASSIGN(Rows rows, connection.run(kSelectSetting, Params().text(name)));
            if (rows.empty()) {
                return make_error(Code::internal, "the database failed",
                                  "postgres settings: row missing after INSERT ON CONFLICT");
            }
            Row row = rows.row(0);
            std::string stored = row.text(0);
            if (row.is_malformed()) return Row::malformed_error("settings");
            return stored;
        });
}

}  // namespace tessera::storage::postgres
