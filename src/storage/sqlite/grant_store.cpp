// SqliteStore: the authorization code flow (core::GrantStore): a client's
// standing grants, codes, sessions with their refresh tokens, browser
// sign-ins, and the janitor's purge.
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "storage/sqlite/access_token_rows.hpp"
#include "storage/sqlite/authorization_rows.hpp"
#include "storage/sqlite/grant_rows.hpp"
#include "storage/sqlite/key_range.hpp"
#include "storage/sqlite/sqlite_store.hpp"
#include "storage/sqlite/string_list.hpp"

namespace tessera::storage::sqlite {
namespace {

// -- Standing grants. A scan of authorizations_user_client (migration 0005).
constexpr std::string_view kSelectClientAuthorizations =
    "SELECT id, user_id, client_id, scope, description, is_api_key, created_at, updated_at,"
    " declined_scope"
    " FROM authorizations WHERE user_id = ?1 AND client_id = ?2 ORDER BY created_at, id";
constexpr std::string_view kUpdateAuthorizationScope =
    "UPDATE authorizations SET scope = ?2, updated_at = ?3, declined_scope = ?4 WHERE id = ?1";

// -- Codes.
constexpr std::string_view kSelectCodeByDigest =
    "SELECT id, digest, authorization_id, client_id, user_id, redirect_uri, code_challenge,"
    " scope, nonce, auth_time, expires_at, created_at, consumed_at, session_id"
    " FROM authorization_codes WHERE digest = ?1";
// Changes one row only for the first exchange of a code.
constexpr std::string_view kConsumeCode =
    "UPDATE authorization_codes SET consumed_at = ?2, session_id = ?3"
    " WHERE id = ?1 AND consumed_at IS NULL";
// Cascades to the session's refresh and access tokens.
constexpr std::string_view kDeleteCodeSession =
    "DELETE FROM sessions WHERE id = (SELECT session_id FROM authorization_codes WHERE id = ?1)";

// -- Sessions.
constexpr std::string_view kSelectSession =
    "SELECT id, authorization_id, user_id, client_id, nonce, description, scope, expires_at,"
    " created_at, updated_at FROM sessions WHERE id = ?1";
constexpr std::string_view kTouchSession = "UPDATE sessions SET updated_at = ?2 WHERE id = ?1";
// Cascades to the session's refresh and access tokens.
constexpr std::string_view kDeleteSession = "DELETE FROM sessions WHERE id = ?1";
// One page of a user's sessions: ?2 <= id < ?3 (see KeyRange), at most ?4
// rows. A range scan of sessions_user_id (user_id, id).
constexpr std::string_view kListSessionsAscending =
    "SELECT id, authorization_id, user_id, client_id, nonce, description, scope, expires_at,"
    " created_at, updated_at FROM sessions"
    " WHERE user_id = ?1 AND id >= ?2 AND id < ?3 ORDER BY id ASC LIMIT ?4";
constexpr std::string_view kListSessionsDescending =
    "SELECT id, authorization_id, user_id, client_id, nonce, description, scope, expires_at,"
    " created_at, updated_at FROM sessions"
    " WHERE user_id = ?1 AND id >= ?2 AND id < ?3 ORDER BY id DESC LIMIT ?4";
// The newest session of an authorization: a scan of sessions_authorization_id.
constexpr std::string_view kSelectLatestSession =
    "SELECT id, authorization_id, user_id, client_id, nonce, description, scope, expires_at,"
    " created_at, updated_at FROM sessions"
    " WHERE authorization_id = ?1 ORDER BY created_at DESC, id DESC LIMIT 1";

// -- Refresh tokens.
constexpr std::string_view kSelectRefreshTokenByDigest =
    "SELECT id, session_id, digest, redacted, spent_at, successor_id, created_at"
    " FROM refresh_tokens WHERE digest = ?1";
// The unspent refresh token of a session (at most one; the newest if not).
constexpr std::string_view kSelectUnspentRefreshToken =
    "SELECT id, session_id, digest, redacted, spent_at, successor_id, created_at"
    " FROM refresh_tokens WHERE session_id = ?1 AND spent_at IS NULL"
    " ORDER BY created_at DESC, id DESC LIMIT 1";
constexpr std::string_view kSelectRefreshTokenState =
    "SELECT session_id, spent_at, successor_id FROM refresh_tokens WHERE id = ?1";
// Changes one row only for the first use of a live token.
constexpr std::string_view kSpendRefreshToken =
    "UPDATE refresh_tokens SET spent_at = ?2, successor_id = ?3"
    " WHERE id = ?1 AND spent_at IS NULL";
// Changes one row only while the successor is unused (the grace rule).
constexpr std::string_view kDeleteUnusedRefreshToken =
    "DELETE FROM refresh_tokens WHERE id = ?1 AND spent_at IS NULL";
constexpr std::string_view kSetSuccessor =
    "UPDATE refresh_tokens SET successor_id = ?2 WHERE id = ?1";

// -- Browser sign-ins.
constexpr std::string_view kSelectBrowserSession =
    "SELECT id, digest, user_id, auth_time, expires_at, created_at FROM browser_sessions"
    " WHERE digest = ?1";
constexpr std::string_view kDeleteBrowserSession = "DELETE FROM browser_sessions WHERE digest = ?1";

// -- The janitor: each a range scan of its table's expires_at index, oldest first.
constexpr std::string_view kPurgeCodes =
    "DELETE FROM authorization_codes WHERE id IN (SELECT id FROM authorization_codes"
    " WHERE expires_at < ?1 ORDER BY expires_at LIMIT ?2)";
constexpr std::string_view kPurgeSessions =
    "DELETE FROM sessions WHERE id IN (SELECT id FROM sessions"
    " WHERE expires_at IS NOT NULL AND expires_at <= ?1 ORDER BY expires_at LIMIT ?2)";
constexpr std::string_view kPurgeBrowserSessions =
    "DELETE FROM browser_sessions WHERE id IN (SELECT id FROM browser_sessions"
    " WHERE expires_at <= ?1 ORDER BY expires_at LIMIT ?2)";

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
    TESSERA_TRY_ASSIGN(Statement touch, connection.prepare(kTouchSession));
    touch.bind_id(1, session_id).bind_int(2, now);
    TESSERA_TRY(touch.run());
    return connection.changes() > 0;
}

// Runs a statement binding `id` as ?1; returns whether it changed a row.
Result<bool> run_on_id(Connection& connection, std::string_view sql, const Id& id) {
    TESSERA_TRY_ASSIGN(Statement statement, connection.prepare(sql));
    statement.bind_id(1, id);
    TESSERA_TRY(statement.run());
    return connection.changes() > 0;
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

Result<std::optional<RefreshState>> read_refresh_state(Connection& connection, const Id& id) {
    TESSERA_TRY_ASSIGN(Statement select, connection.prepare(kSelectRefreshTokenState));
    select.bind_id(1, id);
    TESSERA_TRY_ASSIGN(bool found, select.step());
    if (!found) return std::optional<RefreshState>();
    RefreshState state{select.column_id(0), select.column_optional_int(1),
                       select.column_optional_id(2)};
    if (select.has_malformed_column()) return Statement::malformed_row_error("refresh_tokens");
    return std::optional<RefreshState>(std::move(state));
}

// Deletes up to `limit` rows with `sql` (?1 = now, ?2 = limit).
Result<int> purge(Connection& connection, std::string_view sql, Timestamp now, int limit) {
    TESSERA_TRY_ASSIGN(Statement statement, connection.prepare(sql));
    statement.bind_int(1, now).bind_int(2, limit);
    TESSERA_TRY(statement.run());
    return connection.changes();
}

}  // namespace

Result<std::vector<core::Authorization>> SqliteStore::find_client_authorizations(
    const Id& user_id, const Id& client_id) {
    using Authorizations = std::vector<core::Authorization>;
    return database_.with_connection([&](Connection& connection) -> Result<Authorizations> {
        TESSERA_TRY_ASSIGN(Statement select, connection.prepare(kSelectClientAuthorizations));
        select.bind_id(1, user_id).bind_id(2, client_id);
        Authorizations authorizations;
        for (;;) {
            TESSERA_TRY_ASSIGN(bool has_row, select.step());
            if (!has_row) return authorizations;
            TESSERA_TRY_ASSIGN(core::Authorization authorization, read_authorization(select));
            authorizations.push_back(std::move(authorization));
        }
    });
}

Result<void> SqliteStore::create_client_authorization(const core::Authorization& authorization) {
    return database_.transaction(
        [&](Connection& connection) { return insert_authorization(connection, authorization); });
}

Result<void> SqliteStore::update_authorization_scope(const Id& id,
                                                     const std::vector<std::string>& scope,
                                                     const std::vector<std::string>& declined,
                                                     Timestamp updated_at) {
    return database_.transaction([&](Connection& connection) -> Result<void> {
        TESSERA_TRY_ASSIGN(Statement update, connection.prepare(kUpdateAuthorizationScope));
        update.bind_id(1, id)
            .bind_text(2, join_scope(scope))
            .bind_int(3, updated_at)
            .bind_text(4, join_scope(declined));
        TESSERA_TRY(update.run());
        if (connection.changes() == 0) return not_found("authorization", "authorization");
        return {};
    });
}

Result<void> SqliteStore::create_code(const core::AuthorizationCode& code) {
    return database_.transaction(
        [&](Connection& connection) { return insert_code(connection, code); });
}

Result<core::AuthorizationCode> SqliteStore::find_code(const std::string& digest) {
    return database_.with_connection(
        [&](Connection& connection) -> Result<core::AuthorizationCode> {
            TESSERA_TRY_ASSIGN(Statement select, connection.prepare(kSelectCodeByDigest));
            select.bind_blob(1, digest);
            TESSERA_TRY_ASSIGN(bool found, select.step());
            if (!found) return not_found("grant", "grant");
            return read_code(select);
        });
}

Result<bool> SqliteStore::redeem_code(const Id& code_id, Timestamp now,
                                      const core::Session& session,
                                      const std::optional<core::RefreshToken>& refresh,
                                      const core::AccessToken& access) {
    return database_.transaction([&](Connection& connection) -> Result<bool> {
        {
            TESSERA_TRY_ASSIGN(Statement consume, connection.prepare(kConsumeCode));
            consume.bind_id(1, code_id).bind_int(2, now).bind_id(3, session.id);
            TESSERA_TRY(consume.run());
            if (connection.changes() == 0) return false;  // gone, or another exchange won
        }
        TESSERA_TRY(insert_session(connection, session));
        if (refresh) TESSERA_TRY(insert_refresh_token(connection, *refresh, session.id));
        TESSERA_TRY(insert_session_access_token(connection, access, session.id));
        return true;
    });
}

Result<bool> SqliteStore::revoke_code_session(const Id& code_id) {
    return database_.transaction(
        [&](Connection& connection) { return run_on_id(connection, kDeleteCodeSession, code_id); });
}

Result<core::Session> SqliteStore::find_session(const Id& id) {
    return database_.with_connection([&](Connection& connection) -> Result<core::Session> {
        TESSERA_TRY_ASSIGN(Statement select, connection.prepare(kSelectSession));
        select.bind_id(1, id);
        TESSERA_TRY_ASSIGN(bool found, select.step());
        if (!found) return not_found("session", "session");
        return read_session(select);
    });
}

Result<core::RefreshToken> SqliteStore::find_refresh_token(const std::string& digest) {
    return database_.with_connection([&](Connection& connection) -> Result<core::RefreshToken> {
        TESSERA_TRY_ASSIGN(Statement select, connection.prepare(kSelectRefreshTokenByDigest));
        select.bind_blob(1, digest);
        TESSERA_TRY_ASSIGN(bool found, select.step());
        if (!found) return not_found("token", "token");
        return read_refresh_token(select);
    });
}

Result<core::Rotation> SqliteStore::rotate_refresh_token(const Id& presented, Timestamp now,
                                                         Timestamp grace_since,
                                                         const core::RefreshToken& successor,
                                                         const core::AccessToken& access) {
    using core::Rotation;
    return database_.transaction([&](Connection& connection) -> Result<Rotation> {
        bool spent_now = false;
        {
            TESSERA_TRY_ASSIGN(Statement spend, connection.prepare(kSpendRefreshToken));
            spend.bind_id(1, presented).bind_int(2, now).bind_id(3, successor.id);
            TESSERA_TRY(spend.run());
            spent_now = connection.changes() > 0;
        }
        TESSERA_TRY_ASSIGN(std::optional<RefreshState> state,
                           read_refresh_state(connection, presented));
        if (!state) return Rotation::gone;
        if (spent_now) {
            TESSERA_TRY(issue_in_session(connection, state->session_id, now, successor, access));
            return Rotation::rotated;
        }
        // Spent before: only the grace rule can still issue, and only while
        // the successor it named is unused (the conditional DELETE decides).
        if (state->spent_at && *state->spent_at >= grace_since && state->successor_id) {
            TESSERA_TRY_ASSIGN(bool unused, run_on_id(connection, kDeleteUnusedRefreshToken,
                                                      *state->successor_id));
            if (unused) {
                TESSERA_TRY_ASSIGN(Statement repoint, connection.prepare(kSetSuccessor));
                repoint.bind_id(1, presented).bind_id(2, successor.id);
                TESSERA_TRY(repoint.run());
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

Result<bool> SqliteStore::add_session_access_token(const core::AccessToken& access, Timestamp now) {
    if (!access.session_id) {
        return make_error(Code::internal, "the database failed",
                          "add_session_access_token: the token names no session");
    }
    return database_.transaction([&](Connection& connection) -> Result<bool> {
        TESSERA_TRY_ASSIGN(bool live, touch_session(connection, *access.session_id, now));
        if (!live) return false;
        TESSERA_TRY(insert_access_token(connection, access));
        return true;
    });
}

Result<bool> SqliteStore::delete_session(const Id& id) {
    return database_.transaction(
        [&](Connection& connection) { return run_on_id(connection, kDeleteSession, id); });
}

Result<core::Page<core::Session>> SqliteStore::list_sessions_by_user(const Id& user_id,
                                                                     const core::PageQuery& query) {
    using SessionPage = core::Page<core::Session>;
    // Sessions are listed by id only; any other field is read as id.
    core::PageQuery by_id = query;
    by_id.field = core::SortField::id;
    return database_.with_connection([&](Connection& connection) -> Result<SessionPage> {
        TESSERA_TRY_ASSIGN(KeyRange range, key_range(by_id));
        int max = std::clamp(by_id.max, 1, kMaxPageSize);
        TESSERA_TRY_ASSIGN(Statement select,
                           connection.prepare(by_id.descending ? kListSessionsDescending
                                                               : kListSessionsAscending));
        select.bind_id(1, user_id);
        bind_key(select, 2, range.low);
        bind_key(select, 3, range.high);
        select.bind_int(4, max + 1);  // one more than asked tells whether more follow
        SessionPage page;
        for (;;) {
            TESSERA_TRY_ASSIGN(bool has_row, select.step());
            if (!has_row) return page;
            TESSERA_TRY_ASSIGN(core::Session session, read_session(select));
            if (static_cast<int>(page.items.size()) == max) {
                page.has_more = true;
                return page;
            }
            page.items.push_back(std::move(session));
        }
    });
}

Result<std::optional<core::SessionWithRefresh>> SqliteStore::find_latest_session(
    const Id& authorization_id) {
    using Latest = std::optional<core::SessionWithRefresh>;
    // Two reads; the second is keyed by the session the first found.
    return database_.with_connection([&](Connection& connection) -> Result<Latest> {
        TESSERA_TRY_ASSIGN(Statement select, connection.prepare(kSelectLatestSession));
        select.bind_id(1, authorization_id);
        TESSERA_TRY_ASSIGN(bool found, select.step());
        if (!found) return Latest();
        TESSERA_TRY_ASSIGN(core::Session session, read_session(select));
        TESSERA_TRY_ASSIGN(Statement refresh, connection.prepare(kSelectUnspentRefreshToken));
        refresh.bind_id(1, session.id);
        TESSERA_TRY_ASSIGN(bool has_refresh, refresh.step());
        std::optional<core::RefreshToken> token;
        if (has_refresh) {
            TESSERA_TRY_ASSIGN(token, read_refresh_token(refresh));
        }
        return Latest(core::SessionWithRefresh{std::move(session), std::move(token)});
    });
}

Result<void> SqliteStore::create_browser_session(const core::BrowserSession& session) {
    return database_.transaction(
        [&](Connection& connection) { return insert_browser_session(connection, session); });
}

Result<core::BrowserSession> SqliteStore::find_browser_session(const std::string& digest) {
    return database_.with_connection([&](Connection& connection) -> Result<core::BrowserSession> {
        TESSERA_TRY_ASSIGN(Statement select, connection.prepare(kSelectBrowserSession));
        select.bind_blob(1, digest);
        TESSERA_TRY_ASSIGN(bool found, select.step());
        if (!found) return not_found("session", "session");
        return read_browser_session(select);
    });
}

Result<void> SqliteStore::delete_browser_session(const std::string& digest) {
    return database_.transaction([&](Connection& connection) -> Result<void> {
        TESSERA_TRY_ASSIGN(Statement remove, connection.prepare(kDeleteBrowserSession));
        remove.bind_blob(1, digest);
        return remove.run();
    });
}

Result<int> SqliteStore::purge_expired_grants(Timestamp now, int limit) {
    // SQLite reads a negative LIMIT as none at all.
    if (limit < 1) return 0;
    return database_.transaction([&](Connection& connection) -> Result<int> {
        TESSERA_TRY_ASSIGN(int codes, purge(connection, kPurgeCodes, now, limit));
        TESSERA_TRY_ASSIGN(int sessions, purge(connection, kPurgeSessions, now, limit));
        TESSERA_TRY_ASSIGN(int browsers, purge(connection, kPurgeBrowserSessions, now, limit));
        return codes + sessions + browsers;
    });
}

}  // namespace tessera::storage::sqlite
