#include "storage/sqlite/database_error.hpp"

#include <sqlite3.h>

#include <string>

#include "base/result.hpp"

namespace tessera::storage::sqlite {

Error database_error(int rc, std::string_view where, std::string_view message) {
    std::string detail = "sqlite " + std::string(where) + ": " + std::string(message) + " (" +
                         sqlite3_errstr(rc) + ", code " + std::to_string(rc) + ")";
    switch (rc & 0xff) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
        case SQLITE_IOERR:
        case SQLITE_CANTOPEN:
        case SQLITE_FULL:
            return make_error(Code::unavailable, "the database is unavailable", std::move(detail));
        default:
            break;
    }
    if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
        return make_error(Code::conflict, "the resource already exists", std::move(detail));
    }
    return make_error(Code::internal, "the database failed", std::move(detail));
}

Error exception_error(std::string_view what) {
    return make_error(Code::internal, "the database failed",
                      "sqlite store: exception: " + std::string(what));
}

}  // namespace tessera::storage::sqlite
