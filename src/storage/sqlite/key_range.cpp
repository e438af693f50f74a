#include "storage/sqlite/key_range.hpp"

#include <optional>

#include "base/id.hpp"

namespace tessera::storage::sqlite {
namespace {

constexpr std::size_t kIdSize = 16;

// The column value of one wire key.
Result<KeyValue> key_value(const core::PageQuery& query, const std::string& key,
                           const char* which) {
    if (query.field == core::SortField::name) return KeyValue{false, key};
    std::optional<Id> id = Id::parse(key);
    if (!id) {
        return make_error(Code::invalid_request,
                          std::string("the Range ") + which + " is not a valid id");
    }
    const auto& bytes = id->bytes();
    return KeyValue{true, std::string(bytes.begin(), bytes.end())};
}

KeyValue successor(KeyValue value) {
    value.bytes.push_back('\0');
    return value;
}

KeyValue smallest(core::SortField field) { return KeyValue{field == core::SortField::id, {}}; }

KeyValue beyond_largest(core::SortField field) {
    if (field == core::SortField::name) return KeyValue{true, {}};
    return KeyValue{true, std::string(kIdSize + 1, '\xff')};
}

}  // namespace

Result<KeyRange> key_range(const core::PageQuery& query) {
    std::optional<KeyValue> start;
    std::optional<KeyValue> end;
    if (query.start) {
        TESSERA_TRY_ASSIGN(start, key_value(query, *query.start, "start"));
    }
    if (query.end) {
        TESSERA_TRY_ASSIGN(end, key_value(query, *query.end, "end"));
    }
    KeyRange range{smallest(query.field), beyond_largest(query.field)};
    if (!query.descending) {
        if (start) range.low = query.start_exclusive ? successor(*start) : *start;
        if (end) range.high = query.end_exclusive ? *end : successor(*end);
    } else {
        if (start) range.high = query.start_exclusive ? *start : successor(*start);
        if (end) range.low = query.end_exclusive ? successor(*end) : *end;
    }
    return range;
}

void bind_key(Statement& statement, int index, const KeyValue& value) {
    if (value.is_blob) {
        statement.bind_blob(index, value.bytes);
    } else {
        statement.bind_text(index, value.bytes);
    }
}

}  // namespace tessera::storage::sqlite
