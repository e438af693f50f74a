#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/id.hpp"
#include "base/result.hpp"

struct pg_result;

namespace tessera::storage::postgres {

class Row;

// The result of one statement (a libpq PGresult in binary format), owned.
// Not thread-safe.
class Rows {
public:
    explicit Rows(pg_result* result);
    ~Rows();
    Rows(Rows&& other) noexcept;
    Rows& operator=(Rows&&) = delete;
    Rows(const Rows&) = delete;
    Rows& operator=(const Rows&) = delete;

    // Rows returned (SELECT, or ... RETURNING).
    int size() const;
    bool empty() const { return size() == 0; }
    // Rows inserted, updated or deleted by the statement (0 for a SELECT;
    // cascades not counted).
    int affected() const;
    // Row `index`, 0 <= index < size().
    Row row(int index) const;

private:
    pg_result* result_;
};

// One row of Rows, read column by column (numbered from 0). A value of the
// wrong shape (an id that is not 16 bytes, a NULL where the schema has none,
// an integer that is not 2, 4 or 8 bytes, an unexpected array) marks the row
// malformed and reads as a default. Valid while its Rows lives.
class Row {
public:
    Row(const pg_result* result, int index) : result_(result), index_(index) {}

    bool is_null(int column) const;
    Id id(int column);
    std::optional<Id> optional_id(int column);
    std::string text(int column);  // text, or the raw bytes of a bytea
    std::optional<std::string> optional_text(int column);
    std::string bytes(int column) { return text(column); }
    std::optional<std::string> optional_bytes(int column) { return optional_text(column); }
    std::int64_t int64(int column);
    std::optional<std::int64_t> optional_int64(int column);
    bool boolean(int column);
    std::vector<std::string> text_list(int column);

    // True once a column read found a value our schema cannot hold.
    bool is_malformed() const { return malformed_; }
    // The error row readers return when is_malformed().
    static Error malformed_error(std::string_view table);

private:
    std::string_view raw(int column) const;

    const pg_result* result_;
    int index_;
    bool malformed_ = false;
};

}  // namespace tessera::storage::postgres
