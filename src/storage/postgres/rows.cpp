#include "storage/postgres/rows.hpp"

#include <libpq-fe.h>

#include <cstdlib>
#include <utility>

#include "storage/postgres/wire.hpp"

namespace tessera::storage::postgres {

Rows::Rows(pg_result* result) : result_(result) {}

Rows::~Rows() {
    if (result_ != nullptr) PQclear(result_);
}

Rows::Rows(Rows&& other) noexcept : result_(std::exchange(other.result_, nullptr)) {}

int Rows::size() const { return PQntuples(result_); }

int Rows::affected() const {
    // Empty for statements that report no count.
    const char* count = PQcmdTuples(result_);
    return count != nullptr && *count != '\0' ? std::atoi(count) : 0;
}

Row Rows::row(int index) const { return Row(result_, index); }

bool Row::is_null(int column) const { return PQgetisnull(result_, index_, column) != 0; }

std::string_view Row::raw(int column) const {
    return {PQgetvalue(result_, index_, column),
            static_cast<std::size_t>(PQgetlength(result_, index_, column))};
}

Id Row::id(int column) {
    auto id = optional_id(column);
    if (!id) {
        malformed_ = true;
        return Id();
    }
    return *id;
}

std::optional<Id> Row::optional_id(int column) {
    if (is_null(column)) return std::nullopt;
    auto id = Id::from_bytes(raw(column));
    if (!id) malformed_ = true;
    return id;
}

std::string Row::text(int column) {
    if (is_null(column)) {
        malformed_ = true;
        return {};
    }
    return std::string(raw(column));
}

std::optional<std::string> Row::optional_text(int column) {
    if (is_null(column)) return std::nullopt;
    return std::string(raw(column));
}

std::int64_t Row::int64(int column) {
    auto value = optional_int64(column);
    if (!value) {
        malformed_ = true;
        return 0;
    }
    return *value;
}

std::optional<std::int64_t> Row::optional_int64(int column) {
    if (is_null(column)) return std::nullopt;
    auto value = decode_integer(raw(column));
    if (!value) malformed_ = true;
    return value;
}

bool Row::boolean(int column) {
    std::string_view value = raw(column);
    if (is_null(column) || value.size() != 1) {
        malformed_ = true;
        return false;
    }
    return value[0] != '\0';
}

std::vector<std::string> Row::text_list(int column) {
    auto list = is_null(column) ? std::nullopt : decode_text_array(raw(column));
    if (!list) {
        malformed_ = true;
        return {};
    }
    return std::move(*list);
}

Error Row::malformed_error(std::string_view table) {
    return make_error(Code::internal, "the database failed",
                      "postgres: malformed row in " + std::string(table));
}

}  // namespace tessera::storage::postgres
