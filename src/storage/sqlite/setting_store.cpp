// SqliteStore: deployment-wide settings (core::SettingStore).
#include <string>

#include "storage/sqlite/sqlite_store.hpp"

namespace tessera::storage::sqlite {
namespace {

constexpr std::string_view kInsertSettingUnlessPresent =
    "INSERT OR IGNORE INTO settings (name, value) VALUES (?1, ?2)";
constexpr std::string_view kSelectSetting = "SELECT value FROM settings WHERE name = ?1";

}  // namespace

Result<std::string> SqliteStore::get_or_put_setting(const std::string& name,
                                                    const std::string& value) {
    // One write transaction, so the value read back is the one that won: the
    // first writer's, whichever process or thread that was.
    return database_.transaction([&](Connection& connection) -> Result<std::string> {
        {
            TESSERA_TRY_ASSIGN(Statement insert, connection.prepare(kInsertSettingUnlessPresent));
            insert.bind_text(1, name).bind_text(2, value);
            TESSERA_TRY(insert.run());
        }
        TESSERA_TRY_ASSIGN(Statement select, connection.prepare(kSelectSetting));
        select.bind_text(1, name);
        TESSERA_TRY_ASSIGN(bool found, select.step());
        if (!found) {
            return make_error(Code::internal, "the database failed",
                              "sqlite settings: row missing after INSERT OR IGNORE");
        }
        return select.column_text(0);
    });
}

}  // namespace tessera::storage::sqlite
