#include "storage/postgres/database_error.hpp"

#include <libpq-fe.h>

#include <string>

#include "base/result.hpp"

namespace tessera::storage::postgres {
namespace {

bool is_unavailable(std::string_view sqlstate) {
    return sqlstate.starts_with("08") || sqlstate.starts_with("53") || sqlstate == "57P01" ||
           sqlstate == "57P02" || sqlstate == "57P03" || sqlstate == "57014" ||
           sqlstate == "55P03" || is_retryable(sqlstate);
}

// The first line of libpq's message, without its trailing newline.
std::string first_line(const char* message) {
    std::string text = message != nullptr ? message : "";
    if (auto end = text.find('\n'); end != std::string::npos) text.resize(end);
    return text;
}

}  // namespace

std::string_view sqlstate_of(const pg_result* result) {
    if (result == nullptr) return {};
    const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
    return state != nullptr ? std::string_view(state) : std::string_view();
}

bool is_retryable(std::string_view sqlstate) { return sqlstate == "40001" || sqlstate == "40P01"; }

Error database_error(const pg_conn* connection, const pg_result* result,
                     std::string_view operation) {
    std::string_view sqlstate = sqlstate_of(result);
    std::string message = sqlstate.empty()
                              ? first_line(PQerrorMessage(connection))
                              : first_line(PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY));
    std::string detail = "postgres " + std::string(operation) + ": " + message;
    if (!sqlstate.empty()) detail += " (SQLSTATE " + std::string(sqlstate) + ")";
    // No SQLSTATE: libpq failed on our side of the wire (connection lost,
    // server gone), which is the database being unreachable.
    bool lost = PQstatus(connection) != CONNECTION_OK || sqlstate.empty();
    if (lost || is_unavailable(sqlstate)) {
        return make_error(Code::unavailable, "the database is unavailable", std::move(detail));
    }
    if (sqlstate == "23505") {
        return make_error(Code::conflict, "the resource already exists", std::move(detail));
    }
    return make_error(Code::internal, "the database failed", std::move(detail));
}

Error exception_error(std::string_view what) {
    return make_error(Code::internal, "the database failed",
                      "postgres store: exception: " + std::string(what));
}

}  // namespace tessera::storage::postgres
