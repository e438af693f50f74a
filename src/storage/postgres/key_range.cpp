#include "storage/postgres/key_range.hpp"

#include <optional>

#include "base/id.hpp"

namespace tessera::storage::postgres {
namespace {

constexpr std::size_t kIdSize = 16;

Result<std::string> key_bytes(const core::PageQuery& query, const std::string& key,
                              const char* which) {
    if (query.field == core::SortField::name) return key;
    std::optional<Id> id = Id::parse(key);
    if (!id) {
        return make_error(Code::invalid_request,
                          std::string("the Range ") + which + " is not a valid id");
    }
    const auto& bytes = id->bytes();
    return std::string(bytes.begin(), bytes.end());
}

std::string successor(std::string key) {
    key.push_back('\0');
    return key;
}

std::string beyond_largest(core::SortField field) {
    if (field == core::SortField::name) return std::string(1, '\xff');
    return std::string(kIdSize + 1, '\xff');
}

}  // namespace

Result<KeyRange> key_range(const core::PageQuery& query) {
    std::optional<std::string> start;
    std::optional<std::string> end;
    if (query.start) {
        TESSERA_TRY_ASSIGN(start, key_bytes(query, *query.start, "start"));
    }
    if (query.end) {
        TESSERA_TRY_ASSIGN(end, key_bytes(query, *query.end, "end"));
    }
    KeyRange range{std::string(), beyond_largest(query.field)};
    if (!query.descending) {
        if (start) range.low = query.start_exclusive ? successor(*start) : *start;
        if (end) range.high = query.end_exclusive ? *end : successor(*end);
    } else {
        if (start) range.high = query.start_exclusive ? *start : successor(*start);
        if (end) range.low = query.end_exclusive ? successor(*end) : *end;
    }
    return range;
}

}  // namespace tessera::storage::postgres
