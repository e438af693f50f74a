#pragma once

#include <string_view>

#include "base/error.hpp"

struct pg_conn;
struct pg_result;

namespace tessera::storage::postgres {

// Maps a failed libpq call to our Error, as database_error() does for SQLite:
//  - the connection is lost, or a server-side condition that passes
//    (SQLSTATE class 08 connection, 53 insufficient resources, 57P01-57P03
//    shutdown, 57014 statement timeout, 55P03 lock not available, 40001
//    serialization failure and 40P01 deadlock once retries ran out)
//                                         -> `unavailable`
//  - 23505 unique violation               -> `conflict`
//  - anything else (a foreign key, NOT NULL or CHECK violation included)
//                                         -> `internal`
// `result` may be null (the call returned none). The description is generic;
// the log_detail names `operation` (a store method, never SQL text), the
// server's primary message (which names constraints, never bound values: the
// DETAIL field, which would, is left out) and the SQLSTATE.
Error database_error(const pg_conn* connection, const pg_result* result,
                     std::string_view operation);

// The SQLSTATE of `result`, empty when there is none.
std::string_view sqlstate_of(const pg_result* result);

// Whether a transaction that failed with `sqlstate` may simply run again:
// 40001 (serialization failure) and 40P01 (deadlock detected).
bool is_retryable(std::string_view sqlstate);

// The `internal` error for an exception caught at the store boundary.
Error exception_error(std::string_view what);

}  // namespace tessera::storage::postgres
