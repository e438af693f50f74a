#pragma once

#include <string>

#include "base/result.hpp"
#include "core/model/page.hpp"
#include "storage/sqlite/statement.hpp"

namespace tessera::storage::sqlite {

// A value to bind: the same bytes mean different things as TEXT and as BLOB.
struct KeyValue {
    bool is_blob = false;
    std::string bytes;
};

// The keys a PageQuery admits, as the half-open range low <= key < high of
// the sort column, in SQLite's order (BINARY collation: memcmp, then length).
// A list binds both and asks `key >= low AND key < high`, so one statement
// per (field, direction) serves every combination of bounds and stays an
// index range scan. How the bounds become half-open:
//  - the smallest key above k is k + '\0', so `key > k` is `key >= k+'\0'`
//    and `key <= k` is `key < k+'\0'`;
//  - no lower bound: the empty value, which sorts first within its type;
//  - no upper bound: for ids (16-byte BLOBs) 17 bytes of 0xff; for names
//    (TEXT) an empty BLOB, as SQLite sorts every TEXT before every BLOB.
// For a descending query `start` is the upper bound and `end` the lower.
struct KeyRange {
    KeyValue low;
    KeyValue high;
};

// The range for `query` over ids (SortField::id: keys parsed with Id::parse
// and compared as Id::bytes()) or names (SortField::name: keys as text).
// `invalid_request` ("the Range start is not a valid id", likewise "end") if
// an id key does not parse.
Result<KeyRange> key_range(const core::PageQuery& query);

// Binds a KeyValue as TEXT or BLOB.
void bind_key(Statement& statement, int index, const KeyValue& value);

}  // namespace tessera::storage::sqlite
