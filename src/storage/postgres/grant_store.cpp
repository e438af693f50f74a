// PostgresStore: the authorization code flow (core::GrantStore): a client's
// standing grants, codes, sessions with their refresh tokens, browser
// sign-ins, and the janitor's purge.
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "storage/postgres/access_token_rows.hpp"
#include "storage/postgres/authorization_rows.hpp"
#include "storage/postgres/grant_rows.hpp"
#include "storage/postgres/key_range.hpp"
#include "storage/postgres/postgres_store.hpp"

namespace tessera::storage::postgres {
namespace {

// -- Standing grants. A scan of authorizations_user_client.
constexpr std::string_view kSelectClientAuthorizations =
    "SELECT " TESSERA_AUTHORIZATION_COLUMNS
    " FROM authorizations"
    " WHERE user_id = $1 AND client_id = $2 ORDER BY created_at, id";
constexpr std::string_view kUpdateAuthorizationScope =
    "UPDATE authorizations SET scope = $2, updated_at = $3, declined_scope = $4 WHERE id = $1";

// -- Codes.
constexpr std::string_view kSelectCodeByDigest =
    "SELECT " TESSERA_CODE_COLUMNS " FROM authorization_codes WHERE digest = $1";
// Changes a row only for the first exchange of a code: a concurrent one
// waits for this row lock, then finds consumed_at set and changes nothing.
constexpr std::string_view kConsumeCode =
    "UPDATE authorization_codes SET consumed_at = $2, session_id = $3"
    " WHERE id = $1 AND consumed_at IS NULL";
// Cascades to the session's refresh and access tokens.
constexpr std::string_view kDeleteCodeSession =
    "DELETE FROM sessions WHERE id = (SELECT session_id FROM authorization_codes WHERE id = $1)";

// -- Sessions.
constexpr std::string_view kSelectSession =
    "SELECT " TESSERA_SESSION_COLUMNS " FROM sessions WHERE id = $1";
// Its row lock keeps the session from being deleted until we commit.
constexpr std::string_view kTouchSession = "UPDATE sessions SET updated_at = $2 WHERE id = $1";
// Cascades to the session's refresh and access tokens.
constexpr std::string_view kDeleteSession = "DELETE FROM sessions WHERE id = $1";
// One page of a user's sessions: $2 <= id < $3 (see KeyRange), at most $4
// rows; a range scan of sessions_user_id (user_id, id).
constexpr std::string_view kListSessionsAscending =
    "SELECT " TESSERA_SESSION_COLUMNS
    " FROM sessions"
    " WHERE user_id = $1 AND id >= $2 AND id < $3 ORDER BY id ASC LIMIT $4";
constexpr std::string_view kListSessionsDescending =
    "SELECT " TESSERA_SESSION_COLUMNS
    " FROM sessions"
    " WHERE user_id = $1 AND id >= $2 AND id < $3 ORDER BY id DESC LIMIT $4";
// The newest session of an authorization (sessions_authorization_id).
constexpr std::string_view kSelectLatestSession =
    "SELECT " TESSERA_SESSION_COLUMNS
    " FROM sessions"
    " WHERE authorization_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1";

// -- Refresh tokens.
constexpr std::string_view kSelectRefreshTokenByDigest =
    "SELECT " TESSERA_REFRESH_TOKEN_COLUMNS " FROM refresh_tokens WHERE digest = $1";
// The unspent refresh token of a session (at most one; the newest if not).
constexpr std::string_view kSelectUnspentRefreshToken =
    "SELECT " TESSERA_REFRESH_TOKEN_COLUMNS
    " FROM refresh_tokens"
    " WHERE session_id = $1 AND spent_at IS NULL ORDER BY created_at DESC, id DESC LIMIT 1";
// The rotation decides on the presented token locked: rotations of one token
// run one after the other, each reading what the previous one committed.
constexpr std::string_view kLockRefreshToken =
    "SELECT session_id, spent_at, successor_id FROM refresh_tokens WHERE id = $1 FOR UPDATE";
constexpr std::string_view kSpendRefreshToken =
    "UPDATE refresh_tokens SET spent_at = $2, successor_id = $3 WHERE id = $1";
// Deletes a row only while the successor is unused (the grace rule); its use
// by a concurrent rotation of the successor waits for, or wins, this lock.
constexpr std::string_view kDeleteUnusedRefreshToken =
    "DELETE FROM refresh_tokens WHERE id = $1 AND spent_at IS NULL";
constexpr std::string_view kSetSuccessor =
    "UPDATE refresh_tokens SET successor_id = $2 WHERE id = $1";

// -- Browser sign-ins.
constexpr std::string_view kSelectBrowserSession =
    "SELECT " TESSERA_BROWSER_SESSION_COLUMNS " FROM browser_sessions WHERE digest = $1";
constexpr std::string_view kDeleteBrowserSession = "DELETE FROM browser_sessions WHERE digest = $1";

// -- The janitor: each a range scan of its table's expires_at index, oldest first.
constexpr std::string_view kPurgeCodes =
    "DELETE FROM authorization_codes WHERE id IN (SELECT id FROM authorization_codes"
    " WHERE expires_at < $1 ORDER BY expires_at LIMIT $2)";
constexpr std::string_view kPurgeSessions =
    "DELETE FROM sessions WHERE id IN (SELECT id FROM sessions"
    " WHERE expires_at IS NOT NULL AND expires_at <= $1 ORDER BY expires_at LIMIT $2)";
constexpr std::string_view kPurgeBrowserSessions =
    "DELETE FROM browser_sessions WHERE id IN (SELECT id FROM browser_sessions"
    " WHERE expires_at <= $1 ORDER BY expires_at LIMIT $2)";

constexpr int kMaxPageSize = 1000;

Error not_found(const char* what, const char* subject) {
    return make_error(Code::not_found, std::string("the ") + what + " was not found", {}, subject);
}

// Inserts `access` into the session `session_id`, whatever its own field says.
Result<void> insert_session_access_token(Connection& connection, core::AccessToken access,
                                         const Id& session_id) {
    access.session_id = session_id;
    return insert_access_token(connection, access);
}

// Sets the session's updated_at; false if there is no such session.
Result<bool> touch_session(Connection& connection, const Id& session_id, Timestamp now) {
    TESSERA_TRY_ASSIGN(Rows touched,
                       connection.run(kTouchSession, Params().id(session_id).int64(now)));
    return touched.affected() > 0;
}

// Runs a statement whose only parameter is `id`; whether it changed a row.
Result<bool> run_on_id(Connection& connection, std::string_view sql, const Id& id) {
    TESSERA_TRY_ASSIGN(Rows changed, connection.run(sql, Params().id(id)));
    return changed.affected() > 0;
}

// The rotation's issuing half: `successor` and `access` into the session.
Result<void> issue_in_session(Connection& connection, const Id& session_id, Timestamp now,
                              const core::RefreshToken& successor,
                              const core::AccessToken& access) {
    TESSERA_TRY(insert_refresh_token(connection, successor, session_id));
    TESSERA_TRY(insert_session_access_token(connection, access, session_id));
    TESSERA_TRY(touch_session(connection, session_id, now));
    return {};
}

// A refresh token's state as the rotation reads it.
struct RefreshState {
    Id session_id;
    std::optional<Timestamp> spent_at;
    std::optional<Id> successor_id;
};

// Locks the refresh token `id` and reads its state; nullopt when absent.
Result<std::optional<RefreshState>> lock_refresh_token(Connection& connection, const Id& id) {
    TESSERA_TRY_ASSIGN(Rows rows, connection.run(kLockRefreshToken, Params().id(id)));
    if (rows.empty()) return std::optional<RefreshState>();
    Row row = rows.row(0);
    RefreshState state{row.id(0), row.optional_int64(1), row.optional_id(2)};
    if (row.is_malformed()) return Row::malformed_error("refresh_tokens");
    return std::optional<RefreshState>(std::move(state));
}

// Deletes up to `limit` rows with `sql` ($1 = now, $2 = limit).
Result<int> purge(Connection& connection, std::string_view sql, Timestamp now, int limit) {
    TESSERA_TRY_ASSIGN(Rows purged, connection.run(sql, Params().int64(now).int64(limit)));
    return purged.affected();
}

}  // namespace

Result<std::vector<core::Authorization>> PostgresStore::find_client_authorizations(
    const Id& user_id, const Id& client_id) {
    using Authorizations = std::vector<core::Authorization>;
    return database_.read(
        "find_client_authorizations", [&](Connection& connection) -> Result<Authorizations> {
            TESSERA_TRY_ASSIGN(Rows rows, connection.run(kSelectClientAuthorizations,
                                                         Params().id(user_id).id(client_id)));
            return read_authorizations(rows);
        });
}

Result<void> PostgresStore::create_client_authorization(const core::Authorization& authorization) {
    return database_.transaction("create_client_authorization", [&](Connection& connection) {
        return insert_authorization(connection, authorization);
    });
}

Result<void> PostgresStore::update_authorization_scope(const Id& id,
                                                       const std::vector<std::string>& scope,
                                                       const std::vector<std::string>& declined,
                                                       Timestamp updated_at) {
    return database_.transaction(
        "update_authorization_scope", [&](Connection& connection) -> Result<void> {
            TESSERA_TRY_ASSIGN(
                Rows updated,
                connection.run(
                    kUpdateAuthorizationScope,
                    Params().id(id).text_list(scope).int64(updated_at).text_list(declined)));
            if (updated.affected() == 0) return not_found("authorization", "authorization");
            return {};
        });
}

Result<void> PostgresStore::create_code(const core::AuthorizationCode& code) {
    return database_.transaction(
        "create_code", [&](Connection& connection) { return insert_code(connection, code); });
}

Result<core::AuthorizationCode> PostgresStore::find_code(const std::string& digest) {
    return database_.read(
        "find_code", [&](Connection& connection) -> Result<core::AuthorizationCode> {
            TESSERA_TRY_ASSIGN(Rows rows,
                               connection.run(kSelectCodeByDigest, Params().bytes(digest)));
            if (rows.empty()) return not_found("grant", "grant");
            return read_code(rows.row(0));
        });
}

Result<bool> PostgresStore::redeem_code(const Id& code_id, Timestamp now,
                                        const core::Session& session,
                                        const std::optional<core::RefreshToken>& refresh,
                                        const core::AccessToken& access) {
    return database_.transaction("redeem_code", [&](Connection& connection) -> Result<bool> {
        TESSERA_TRY_ASSIGN(
            Rows consumed,
            connection.run(kConsumeCode, Params().id(code_id).int64(now).id(session.id)));
        if (consumed.affected() == 0) return false;  // gone, or another exchange won
        TESSERA_TRY(insert_session(connection, session));
        if (refresh) TESSERA_TRY(insert_refresh_token(connection, *refresh, session.id));
        TESSERA_TRY(insert_session_access_token(connection, access, session.id));
        return true;
    });
}

Result<bool> PostgresStore::revoke_code_session(const Id& code_id) {
    return database_.transaction("revoke_code_session", [&](Connection& connection) {
        return run_on_id(connection, kDeleteCodeSession, code_id);
    });
}

Result<core::Session> PostgresStore::find_session(const Id& id) {
    return database_.read("find_session", [&](Connection& connection) -> Result<core::Session> {
        TESSERA_TRY_ASSIGN(Rows rows, connection.run(kSelectSession, Params().id(id)));
        if (rows.empty()) return not_found("session", "session");
        return read_session(rows.row(0));
    });
}

Result<core::RefreshToken> PostgresStore::find_refresh_token(const std::string& digest) {
    return database_.read(
        "find_refresh_token", [&](Connection& connection) -> Result<core::RefreshToken> {
            TESSERA_TRY_ASSIGN(Rows rows,
                               connection.run(kSelectRefreshTokenByDigest, Params().bytes(digest)));
            if (rows.empty()) return not_found("token", "token");
            return read_refresh_token(rows.row(0));
        });
}

Result<core::Rotation> PostgresStore::rotate_refresh_token(const Id& presented, Timestamp now,
                                                           Timestamp grace_since,
                                                           const core::RefreshToken& successor,
                                                           const core::AccessToken& access) {
    using core::Rotation;
    return database_.transaction(
        "rotate_refresh_token", [&](Connection& connection) -> Result<Rotation> {
            TESSERA_TRY_ASSIGN(std::optional<RefreshState> state,
                               lock_refresh_token(connection, presented));
            if (!state) return Rotation::gone;
            if (!state->spent_at) {
                TESSERA_TRY(connection.run(kSpendRefreshToken,
                                           Params().id(presented).int64(now).id(successor.id)));
                TESSERA_TRY(
                    issue_in_session(connection, state->session_id, now, successor, access));
                return Rotation::rotated;
            }
            // Spent before: only the grace rule can still issue, and only while
            // the successor it named is unused (the conditional DELETE decides).
            if (*state->spent_at >= grace_since && state->successor_id) {
                TESSERA_TRY_ASSIGN(bool unused, run_on_id(connection, kDeleteUnusedRefreshToken,
                                                          *state->successor_id));
                if (unused) {
                    TESSERA_TRY(
                        connection.run(kSetSuccessor, Params().id(presented).id(successor.id)));
                    TESSERA_TRY(
                        issue_in_session(connection, state->session_id, now, successor, access));
                    return Rotation::reissued;
                }
            }
            // Reuse: the whole family dies, committed with this outcome.
            TESSERA_TRY(run_on_id(connection, kDeleteSession, state->session_id));
            return Rotation::reused;
        });
}

Result<bool> PostgresStore::add_session_access_token(const core::AccessToken& access,
                                                     Timestamp now) {
    return database_.transaction(
        "add_session_access_token", [&](Connection& connection) -> Result<bool> {
            if (!access.session_id) {
                return make_error(Code::internal, "the database failed",
                                  "add_session_access_token: the token names no session");
            }
            TESSERA_TRY_ASSIGN(bool live, touch_session(connection, *access.session_id, now));
            if (!live) return false;
            TESSERA_TRY(insert_access_token(connection, access));
            return true;
        });
}

Result<bool> PostgresStore::delete_session(const Id& id) {
    return database_.transaction("delete_session", [&](Connection& connection) {
        return run_on_id(connection, kDeleteSession, id);
    });
}

Result<core::Page<core::Session>> PostgresStore::list_sessions_by_user(
    const Id& user_id, const core::PageQuery& query) {
    using SessionPage = core::Page<core::Session>;
    int max = std::clamp(query.max, 1, kMaxPageSize);
    return database_.read(
        "list_sessions_by_user", [&](Connection& connection) -> Result<SessionPage> {
            // Sessions are listed by id only; any other field is read as id.
            core::PageQuery by_id = query;
            by_id.field = core::SortField::id;
            TESSERA_TRY_ASSIGN(KeyRange range, key_range(by_id));
            // One more than asked tells whether more follow.
            TESSERA_TRY_ASSIGN(
                Rows rows,
                connection.run(
                    by_id.descending ? kListSessionsDescending : kListSessionsAscending,
                    Params().id(user_id).bytes(range.low).bytes(range.high).int64(max + 1)));
            SessionPage page;
            for (int i = 0; i < rows.size() && i < max; ++i) {
                TESSERA_TRY_ASSIGN(core::Session session, read_session(rows.row(i)));
                page.items.push_back(std::move(session));
            }
            page.has_more = rows.size() > max;
            return page;
        });
}

Result<std::optional<core::SessionWithRefresh>> PostgresStore::find_latest_session(
    const Id& authorization_id) {
    using Latest = std::optional<core::SessionWithRefresh>;
    // Two reads; the second is keyed by the session the first found.
    return database_.read("find_latest_session", [&](Connection& connection) -> Result<Latest> {
        TESSERA_TRY_ASSIGN(Rows sessions,
                           connection.run(kSelectLatestSession, Params().id(authorization_id)));
        if (sessions.empty()) return Latest();
        TESSERA_TRY_ASSIGN(core::Session session, read_session(sessions.row(0)));
        TESSERA_TRY_ASSIGN(Rows refresh,
                           connection.run(kSelectUnspentRefreshToken, Params().id(session.id)));
        std::optional<core::RefreshToken> token;
        if (!refresh.empty()) {
            TESSERA_TRY_ASSIGN(token, read_refresh_token(refresh.row(0)));
        }
        return Latest(core::SessionWithRefresh{std::move(session), std::move(token)});
    });
}

Result<void> PostgresStore::create_browser_session(const core::BrowserSession& session) {
    return database_.transaction("create_browser_session", [&](Connection& connection) {
        return insert_browser_session(connection, session);
    });
}

Result<core::BrowserSession> PostgresStore::find_browser_session(const std::string& digest) {
    return database_.read(
        "find_browser_session", [&](Connection& connection) -> Result<core::BrowserSession> {
            TESSERA_TRY_ASSIGN(Rows rows,
                               connection.run(kSelectBrowserSession, Params().bytes(digest)));
            if (rows.empty()) return not_found("session", "session");
            return read_browser_session(rows.row(0));
        });
}

Result<void> PostgresStore::delete_browser_session(const std::string& digest) {
    return database_.transaction(
        "delete_browser_session", [&](Connection& connection) -> Result<void> {
            TESSERA_TRY(connection.run(kDeleteBrowserSession, Params().bytes(digest)));
            return {};
        });
}

Result<int> PostgresStore::purge_expired_grants(Timestamp now, int limit) {
    if (limit < 1) return 0;
    return database_.transaction(
        "purge_expired_grants", [&](Connection& connection) -> Result<int> {
            TESSERA_TRY_ASSIGN(bool turn, take_janitor_turn(connection));
            if (!turn) return 0;
            TESSERA_TRY_ASSIGN(int codes, purge(connection, kPurgeCodes, now, limit));
            TESSERA_TRY_ASSIGN(int sessions, purge(connection, kPurgeSessions, now, limit));
            TESSERA_TRY_ASSIGN(int browsers, purge(connection, kPurgeBrowserSessions, now, limit));
            return codes + sessions + browsers;
        });
}

}  // namespace tessera::storage::postgres
