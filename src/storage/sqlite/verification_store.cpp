// SqliteStore: client URI verifications (core::VerificationStore).
#include <string>
#include <utility>
#include <vector>

#include "storage/sqlite/sqlite_store.hpp"

namespace tessera::storage::sqlite {
namespace {

// A range scan of the partial index clients_verification_open, whose WHERE
// the first term repeats so SQLite may use it. A NULL checked_at is read as
// never checked (0), which sorts first.
constexpr std::string_view kListOpen =
    "SELECT id, verification_status, verification_host, verification_token,"
    " verification_deadline, verification_checked_at"
    " FROM clients"
    " WHERE verification_status IN ('pending', 'in_progress')"
    " AND (verification_checked_at < ?1 OR verification_checked_at IS NULL)"
    " ORDER BY verification_checked_at, id LIMIT ?2";
// Compare-and-set on what identifies a verification: its status, host and token.
constexpr std::string_view kUpdateIfUnchanged =
    "UPDATE clients SET verification_status = ?5, verification_host = ?6,"
    " verification_token = ?7, verification_deadline = ?8, verification_checked_at = ?9"
    " WHERE id = ?1 AND verification_status = ?2 AND verification_host = ?3"
    " AND verification_token = ?4";

std::optional<core::UriVerification::Status> parse_status(std::string_view text) {
    using Status = core::UriVerification::Status;
    for (Status s : {Status::pending, Status::in_progress, Status::verified, Status::failed})
        if (core::to_string(s) == text) return s;
    return std::nullopt;
}

Result<std::pair<Id, core::UriVerification>> read_verification(Statement& row) {
    Id client_id = row.column_id(0);
    auto status = parse_status(row.column_text(1));
    auto host = row.column_optional_blob(2);
    auto token = row.column_optional_blob(3);
    auto deadline = row.column_optional_int(4);
    if (!status || !host || !token || !deadline || row.has_malformed_column())
        return Statement::malformed_row_error("clients");
    core::UriVerification v;
    v.status = *status;
    v.host = std::move(*host);
    v.token = std::move(*token);
    v.deadline = *deadline;
    v.checked_at = row.column_optional_int(5).value_or(0);
    return std::pair{client_id, std::move(v)};
}

}  // namespace

Result<std::vector<std::pair<Id, core::UriVerification>>> SqliteStore::list_open_verifications(
    Timestamp checked_before, int limit) {
    using Rows = std::vector<std::pair<Id, core::UriVerification>>;
    if (limit < 1) return Rows{};
    return database_.with_connection([&](Connection& c) -> Result<Rows> {
        TESSERA_TRY_ASSIGN(Statement select, c.prepare(kListOpen));
        select.bind_int(1, checked_before).bind_int(2, limit);
        Rows rows;
        while (true) {
            TESSERA_TRY_ASSIGN(bool has_row, select.step());
            if (!has_row) return rows;
            TESSERA_TRY_ASSIGN(auto row, read_verification(select));
            rows.push_back(std::move(row));
        }
    });
}

Result<bool> SqliteStore::update_uri_verification(const Id& client_id,
                                                  const core::UriVerification& expected,
                                                  const core::UriVerification& next) {
    return database_.transaction([&](Connection& c) -> Result<bool> {
        TESSERA_TRY_ASSIGN(Statement update, c.prepare(kUpdateIfUnchanged));
        update.bind_id(1, client_id)
            .bind_text(2, core::to_string(expected.status))
            .bind_text(3, expected.host)
            .bind_text(4, expected.token)
            .bind_text(5, core::to_string(next.status))
            .bind_text(6, next.host)
            .bind_text(7, next.token)
            .bind_int(8, next.deadline)
            .bind_int(9, next.checked_at);
        TESSERA_TRY(update.run());
        return c.changes() == 1;
    });
}

}  // namespace tessera::storage::sqlite
