#pragma once

#include <string_view>

#include "base/error.hpp"

namespace tessera::storage::sqlite {

// Maps an SQLite result code (extended or primary) to our Error:
//  - BUSY, LOCKED, IOERR, CANTOPEN, FULL      -> `unavailable`
//  - CONSTRAINT_UNIQUE, CONSTRAINT_PRIMARYKEY  -> `conflict`
//  - anything else                             -> `internal`
// The description is generic and safe to show. The log_detail names `where`
// (an operation label, never SQL text) and SQLite's message, which names
// tables and columns but never bound values.
Error database_error(int rc, std::string_view where, std::string_view message);

// The `internal` error for an exception caught at the store boundary.
Error exception_error(std::string_view what);

}  // namespace tessera::storage::sqlite
