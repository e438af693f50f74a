#pragma once

#include <string>

#include "base/result.hpp"
#include "core/model/page.hpp"

namespace tessera::storage::postgres {

// The keys a PageQuery admits, as the half-open byte range
// low <= key < high, compared as bytea (memcmp, then length). A list binds
// both and asks `key >= low AND key < high`, so one statement per direction
// serves every combination of bounds:
//  - the smallest byte string above k is k + '\0', so `key > k` is
//    `key >= k||'\0'` and `key <= k` is `key < k||'\0'`;
//  - no lower bound: the empty string, the smallest of all;
//  - no upper bound: for ids (16 bytes) 17 bytes of 0xff; for names, which
//    are valid UTF-8 and so never hold a 0xff byte, the single byte 0xff.
// For a descending query `start` is the upper bound and `end` the lower.
// Names are compared as their bytes (textsend(name)), so a Range key that is
// not UTF-8 still compares as the wire bytes it is.
struct KeyRange {
    std::string low;
    std::string high;
};

// The range for `query` over ids (SortField::id: keys parsed with Id::parse
// and compared as Id::bytes()) or names (SortField::name: keys as bytes).
// `invalid_request` ("the Range start is not a valid id", likewise "end") if
// an id key does not parse.
Result<KeyRange> key_range(const core::PageQuery& query);

}  // namespace tessera::storage::postgres
