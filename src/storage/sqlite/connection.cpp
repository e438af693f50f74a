#include "storage/sqlite/connection.hpp"

#include <sqlite3.h>

#include "storage/sqlite/database_error.hpp"

namespace tessera::storage::sqlite {
namespace {

constexpr const char* kEnableForeignKeys = "PRAGMA foreign_keys = ON";
constexpr const char* kReadForeignKeys = "PRAGMA foreign_keys";
constexpr const char* kEnableWal = "PRAGMA journal_mode = WAL";
constexpr const char* kSynchronousNormal = "PRAGMA synchronous = NORMAL";

// Runs a pragma and returns the text of its first result column ("" if none).
Result<std::string> pragma(sqlite3* db, const char* sql) {
    sqlite3_stmt* statement = nullptr;
    int rc = sqlite3_prepare_v2(db, sql, -1, &statement, nullptr);
    if (rc != SQLITE_OK) return database_error(rc, "pragma", sqlite3_errmsg(db));
    std::string value;
    rc = sqlite3_step(statement);
    if (rc == SQLITE_ROW) {
        const unsigned char* text = sqlite3_column_text(statement, 0);
        if (text != nullptr) value = reinterpret_cast<const char*>(text);
        rc = sqlite3_step(statement);
    }
    Result<std::string> result = rc == SQLITE_DONE
                                     ? Result<std::string>(std::move(value))
                                     : database_error(rc, "pragma", sqlite3_errmsg(db));
    sqlite3_finalize(statement);
    return result;
}

Result<void> configure(sqlite3* db, bool is_file, int busy_timeout_ms) {
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, busy_timeout_ms);
    TESSERA_TRY(pragma(db, kEnableForeignKeys));
    TESSERA_TRY_ASSIGN(std::string foreign_keys, pragma(db, kReadForeignKeys));
    // Cascading deletes depend on it; an SQLite built without it is unusable.
    if (foreign_keys != "1") {
        return make_error(Code::internal, "the database failed",
                          "sqlite open: foreign keys are not supported by this SQLite");
    }
    if (!is_file) return {};
    TESSERA_TRY_ASSIGN(std::string journal_mode, pragma(db, kEnableWal));
    if (journal_mode != "wal") {
        return make_error(Code::unavailable, "the database is unavailable",
                          "sqlite open: cannot enable WAL (journal_mode is " + journal_mode + ")");
    }
    TESSERA_TRY(pragma(db, kSynchronousNormal));
    return {};
}

}  // namespace

Result<std::unique_ptr<Connection>> Connection::open(const std::string& path, bool is_file,
                                                     int busy_timeout_ms) {
    sqlite3* db = nullptr;
    // NOMUTEX: multi-thread mode. The pool hands a connection to one thread at a time.
    int rc =
        sqlite3_open_v2(path.c_str(), &db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
        Error error = database_error(rc, "open", db != nullptr ? sqlite3_errmsg(db) : "");
        sqlite3_close(db);
        return error;
    }
    std::unique_ptr<Connection> connection(new Connection(db));
    TESSERA_TRY(configure(db, is_file, busy_timeout_ms));
    return connection;
}

Connection::~Connection() {
    for (auto& [sql, statement] : statements_) sqlite3_finalize(statement);
    sqlite3_close(db_);
}

Result<Statement> Connection::prepare(std::string_view sql) {
    auto found = statements_.find(sql);
    if (found != statements_.end()) {
        if (sqlite3_stmt_busy(found->second) != 0) {
            return make_error(Code::internal, "the database failed",
                              "sqlite prepare: statement already in use on this connection");
        }
        return Statement(found->second);
    }
    sqlite3_stmt* statement = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &statement, nullptr);
    if (rc != SQLITE_OK) return database_error(rc, "prepare", sqlite3_errmsg(db_));
    statements_.emplace(std::string(sql), statement);
    return Statement(statement);
}

Result<void> Connection::execute(std::string_view sql) {
    const char* next = sql.data();
    const char* end = sql.data() + sql.size();
    while (next < end) {
        sqlite3_stmt* statement = nullptr;
        const char* tail = nullptr;
        int rc = sqlite3_prepare_v2(db_, next, static_cast<int>(end - next), &statement, &tail);
        if (rc != SQLITE_OK) return database_error(rc, "execute", sqlite3_errmsg(db_));
        next = tail;
        if (statement == nullptr) continue;  // whitespace or a comment
        do {
            rc = sqlite3_step(statement);
        } while (rc == SQLITE_ROW);
        if (rc != SQLITE_DONE) {
            Error error = database_error(rc, "execute", sqlite3_errmsg(db_));
            sqlite3_finalize(statement);
            return error;
        }
        sqlite3_finalize(statement);
    }
    return {};
}

int Connection::changes() const { return sqlite3_changes(db_); }

bool Connection::in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

}  // namespace tessera::storage::sqlite
