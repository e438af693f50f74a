// PostgresStore: client URI verifications (core::VerificationStore).
#include <string>
#include <utility>
#include <vector>

#include "storage/postgres/postgres_store.hpp"

namespace tessera::storage::postgres {
namespace {

// A scan of the partial index clients_verification_open, whose WHERE the
// first term repeats and whose order the ORDER BY is. A NULL checked_at is
// read as never checked (0) and sorts first, as in SQLite.
constexpr std::string_view kListOpen =
    "SELECT id, verification_status, verification_host, verification_token,"
    " verification_deadline, verification_checked_at"
    " FROM clients"
    " WHERE verification_status IN ('pending', 'in_progress')"
    " AND (verification_checked_at < $1 OR verification_checked_at IS NULL)"
    " ORDER BY verification_checked_at NULLS FIRST, id LIMIT $2";
// Compare-and-set on what identifies a verification: its status, host and
// token. A concurrent writer's change makes this one match nothing.
constexpr std::string_view kUpdateIfUnchanged =
    "UPDATE clients SET verification_status = $5, verification_host = $6,"
    " verification_token = $7, verification_deadline = $8, verification_checked_at = $9"
    " WHERE id = $1 AND verification_status = $2 AND verification_host = $3"
    " AND verification_token = $4";

std::optional<core::UriVerification::Status> parse_status(std::string_view text) {
    using Status = core::UriVerification::Status;
    for (Status s : {Status::pending, Status::in_progress, Status::verified, Status::failed})
        if (core::to_string(s) == text) return s;
    return std::nullopt;
}

Result<std::pair<Id, core::UriVerification>> read_verification(Row row) {
    Id client_id = row.id(0);
    auto status = parse_status(row.text(1));
    auto host = row.optional_text(2);
    auto token = row.optional_text(3);
    auto deadline = row.optional_int64(4);
    auto checked_at = row.optional_int64(5);
    if (!status || !host || !token || !deadline || row.is_malformed())
        return Row::malformed_error("clients");
    core::UriVerification v;
    v.status = *status;
    v.host = std::move(*host);
    v.token = std::move(*token);
    v.deadline = *deadline;
    v.checked_at = checked_at.value_or(0);
    return std::pair{client_id, std::move(v)};
}

}  // namespace

Result<std::vector<std::pair<Id, core::UriVerification>>> PostgresStore::list_open_verifications(
    Timestamp checked_before, int limit) {
    using Verifications = std::vector<std::pair<Id, core::UriVerification>>;
    if (limit < 1) return Verifications{};
    return database_.read("list_open_verifications", [&](Connection& c) -> Result<Verifications> {
        TESSERA_TRY_ASSIGN(Rows rows,
                           c.run(kListOpen, Params().int64(checked_before).int64(limit)));
        Verifications verifications;
        for (int i = 0; i < rows.size(); ++i) {
            TESSERA_TRY_ASSIGN(auto verification, read_verification(rows.row(i)));
            verifications.push_back(std::move(verification));
        }
        return verifications;
    });
}

Result<bool> PostgresStore::update_uri_verification(const Id& client_id,
                                                    const core::UriVerification& expected,
                                                    const core::UriVerification& next) {
    return database_.transaction("update_uri_verification", [&](Connection& c) -> Result<bool> {
        TESSERA_TRY_ASSIGN(Rows updated,
                           c.run(kUpdateIfUnchanged, Params()
                                                         .id(client_id)
                                                         .text(core::to_string(expected.status))
                                                         .text(expected.host)
                                                         .text(expected.token)
                                                         .text(core::to_string(next.status))
                                                         .text(next.host)
                                                         .text(next.token)
                                                         .int64(next.deadline)
                                                         .int64(next.checked_at)));
        return updated.affected() == 1;
    });
}

}  // namespace tessera::storage::postgres
