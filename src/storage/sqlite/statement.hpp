#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/id.hpp"
#include "base/result.hpp"

struct sqlite3_stmt;

namespace tessera::storage::sqlite {

// One use of a prepared statement that a Connection caches. Binds parameters,
// steps through rows and reads columns; on destruction it resets the statement
// and clears its bindings, so the cached statement is ready for its next use
// and holds no copy of bound values (which may be digests).
//
// Bind errors are kept and reported by the next step()/run(), so binds chain
// without checks. Column readers must be called only after step() returned
// true. Not thread-safe: it belongs to the connection's current holder.
class Statement {
public:
    explicit Statement(sqlite3_stmt* statement) : statement_(statement) {}
    ~Statement();
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&&) = delete;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    // Parameters are numbered from 1. Text and blob values are copied.
    Statement& bind_id(int index, const Id& id);
    Statement& bind_optional_id(int index, const std::optional<Id>& id);
    Statement& bind_text(int index, std::string_view text);
    Statement& bind_blob(int index, std::string_view bytes);
    Statement& bind_optional_blob(int index, const std::optional<std::string>& bytes);
    Statement& bind_optional_text(int index, const std::optional<std::string>& text);
    Statement& bind_int(int index, std::int64_t value);
    Statement& bind_optional_int(int index, const std::optional<std::int64_t>& value);

    // Advances to the next row: true when one is available, false when done.
    // Errors map as in database_error(); the first failed bind is reported here.
    Result<bool> step();
    // Steps to completion, ignoring rows (INSERT, UPDATE, DELETE).
    Result<void> run();

    // Columns are numbered from 0.
    Id column_id(int index);  // a value that is not 16 bytes marks the row malformed
    std::optional<Id> column_optional_id(int index);
    std::string column_text(int index);
    std::string column_blob(int index);
    std::optional<std::string> column_optional_blob(int index);
    std::optional<std::string> column_optional_text(int index);
    std::int64_t column_int(int index);
    std::optional<std::int64_t> column_optional_int(int index);

    // True once a column read found a value our schema cannot hold.
    bool has_malformed_column() const { return malformed_; }
    // The error row readers return when has_malformed_column().
    static Error malformed_row_error(std::string_view table);

private:
    void keep_bind_result(int rc, int index);

    sqlite3_stmt* statement_;
    int bind_rc_ = 0;  // SQLITE_OK, or the first failed bind's code
    int bind_index_ = 0;
    bool malformed_ = false;
};

}  // namespace tessera::storage::sqlite
