#include "storage/sqlite/statement.hpp"

#include <sqlite3.h>

#include <array>
#include <cstring>
#include <utility>

#include "storage/sqlite/database_error.hpp"

namespace tessera::storage::sqlite {

Statement::~Statement() {
    if (statement_ == nullptr) return;
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
}

Statement::Statement(Statement&& other) noexcept
    : statement_(std::exchange(other.statement_, nullptr)),
      bind_rc_(other.bind_rc_),
      bind_index_(other.bind_index_),
      malformed_(other.malformed_) {}

void Statement::keep_bind_result(int rc, int index) {
    if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) {
        bind_rc_ = rc;
        bind_index_ = index;
    }
}

Statement& Statement::bind_id(int index, const Id& id) {
    const auto& bytes = id.bytes();
    keep_bind_result(sqlite3_bind_blob(statement_, index, bytes.data(),
                                       static_cast<int>(bytes.size()), SQLITE_TRANSIENT),
                     index);
    return *this;
}

Statement& Statement::bind_optional_id(int index, const std::optional<Id>& id) {
    if (id) return bind_id(index, *id);
    keep_bind_result(sqlite3_bind_null(statement_, index), index);
    return *this;
}

Statement& Statement::bind_text(int index, std::string_view text) {
    // As for blobs: a null pointer would bind NULL instead of empty text.
    const char* data = text.data() != nullptr ? text.data() : "";
    keep_bind_result(
        sqlite3_bind_text64(statement_, index, data, text.size(), SQLITE_TRANSIENT, SQLITE_UTF8),
        index);
    return *this;
}

Statement& Statement::bind_blob(int index, std::string_view bytes) {
    // A zero-length blob must still be a BLOB, not NULL: pass a non-null pointer.
    const char* data = bytes.data() != nullptr ? bytes.data() : "";
    keep_bind_result(sqlite3_bind_blob64(statement_, index, data, bytes.size(), SQLITE_TRANSIENT),
                     index);
    return *this;
}

Statement& Statement::bind_optional_blob(int index, const std::optional<std::string>& bytes) {
    if (bytes) return bind_blob(index, *bytes);
    keep_bind_result(sqlite3_bind_null(statement_, index), index);
    return *this;
}

Statement& Statement::bind_optional_text(int index, const std::optional<std::string>& text) {
    if (text) return bind_text(index, *text);
    keep_bind_result(sqlite3_bind_null(statement_, index), index);
    return *this;
}

Statement& Statement::bind_int(int index, std::int64_t value) {
    keep_bind_result(sqlite3_bind_int64(statement_, index, value), index);
    return *this;
}

Statement& Statement::bind_optional_int(int index, const std::optional<std::int64_t>& value) {
    if (value) return bind_int(index, *value);
    keep_bind_result(sqlite3_bind_null(statement_, index), index);
    return *this;
}

Result<bool> Statement::step() {
    sqlite3* db = sqlite3_db_handle(statement_);
    if (bind_rc_ != SQLITE_OK) {
        return database_error(bind_rc_, "bind parameter " + std::to_string(bind_index_),
                              sqlite3_errstr(bind_rc_));
    }
    int rc = sqlite3_step(statement_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return database_error(rc, "step", sqlite3_errmsg(db));
}

Result<void> Statement::run() {
    for (;;) {
        TESSERA_TRY_ASSIGN(bool has_row, step());
        if (!has_row) return {};
    }
}

Id Statement::column_id(int index) {
    auto id = column_optional_id(index);
    if (!id) malformed_ = true;
    return id.value_or(Id{});
}

std::optional<Id> Statement::column_optional_id(int index) {
    if (sqlite3_column_type(statement_, index) == SQLITE_NULL) return std::nullopt;
    const void* data = sqlite3_column_blob(statement_, index);
    int size = sqlite3_column_bytes(statement_, index);
    if (size != 16 || data == nullptr) {
        malformed_ = true;
        return std::nullopt;
    }
    std::array<std::uint8_t, 16> bytes{};
    std::memcpy(bytes.data(), data, bytes.size());
    return Id(bytes);
}

std::string Statement::column_text(int index) {
    const unsigned char* text = sqlite3_column_text(statement_, index);
    int size = sqlite3_column_bytes(statement_, index);
    if (text == nullptr) return {};
    return std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(size));
}

std::string Statement::column_blob(int index) {
    const void* data = sqlite3_column_blob(statement_, index);
    int size = sqlite3_column_bytes(statement_, index);
    if (data == nullptr) return {};
    return std::string(static_cast<const char*>(data), static_cast<std::size_t>(size));
}

std::optional<std::string> Statement::column_optional_blob(int index) {
    if (sqlite3_column_type(statement_, index) == SQLITE_NULL) return std::nullopt;
    return column_blob(index);
}

std::optional<std::string> Statement::column_optional_text(int index) {
    if (sqlite3_column_type(statement_, index) == SQLITE_NULL) return std::nullopt;
    return column_text(index);
}

std::int64_t Statement::column_int(int index) { return sqlite3_column_int64(statement_, index); }

std::optional<std::int64_t> Statement::column_optional_int(int index) {
    if (sqlite3_column_type(statement_, index) == SQLITE_NULL) return std::nullopt;
    return column_int(index);
}

Error Statement::malformed_row_error(std::string_view table) {
    return make_error(Code::internal, "the database failed",
                      "sqlite read: malformed row in " + std::string(table));
}

}  // namespace tessera::storage::sqlite
