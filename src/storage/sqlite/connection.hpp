#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "storage/sqlite/statement.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace tessera::storage::sqlite {

// One SQLite connection and its prepared-statement cache.
//
// Not thread-safe: a Connection is used by one thread at a time, which the
// Database pool guarantees (connections are opened in multi-thread mode, so
// SQLite itself takes no per-connection mutex).
class Connection {
public:
    // Opens `path` (a file, created when missing, or ":memory:") and applies
    // the per-connection settings: extended result codes, busy_timeout,
    // foreign_keys=ON, and for a file journal_mode=WAL and synchronous=NORMAL.
    // `unavailable` if the file cannot be opened; `internal` if a setting
    // does not take (e.g. an SQLite built without foreign keys).
    static Result<std::unique_ptr<Connection>> open(const std::string& path, bool is_file,
                                                    int busy_timeout_ms);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // The statement for `sql`, prepared on its first use on this connection
    // and cached by its text. `sql` must be one statement. The Statement must
    // be destroyed before the same `sql` is prepared again on this connection;
    // `internal` if it is still in use or does not compile.
    Result<Statement> prepare(std::string_view sql);

    // Runs every statement in `sql` (no parameters, rows ignored); for
    // migrations. Not cached.
    Result<void> execute(std::string_view sql);

    // Rows written by the most recent INSERT, UPDATE or DELETE (cascades not
    // counted).
    int changes() const;

    // True while a transaction is open on this connection.
    bool in_transaction() const;

private:
    explicit Connection(sqlite3* db) : db_(db) {}

    sqlite3* db_;
    std::map<std::string, ::sqlite3_stmt*, std::less<>> statements_;
};

}  // namespace tessera::storage::sqlite
