#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "core/model/authorization.hpp"
#include "core/model/grant.hpp"
#include "core/model/page.hpp"

namespace tessera::core {

// What rotate_refresh_token() did.
enum class Rotation {
    rotated,   // the token was live: now spent, successor issued
    reissued,  // spent within the grace window and its successor never used:
               // the successor deleted, a new one issued
    reused,    // spent and outside that exception: the session was deleted
    gone,      // no such token (never issued, or its session was deleted)
};

// A session with the refresh token that currently continues it (Heroku spec
// §3.1 shows both on a client's authorization).
struct SessionWithRefresh {
    Session session;
    // The session's unspent refresh token: a stable client's only one, a
    // rotating client's newest. nullopt when none is unspent (a client
    // without the refresh_token grant).
    std::optional<RefreshToken> refresh_token;
};

// The authorization code flow: standing grants of clients, codes, sessions
// (refresh-token families) and browser sign-ins. Implementations are
// thread-safe; every call is atomic. Store failures return `unavailable` or
// `internal`.
class GrantStore {
public:
    virtual ~GrantStore() = default;

    // -- Standing grants of a client (authorizations with a client_id).

    // The user's authorizations for this client, oldest first (empty if none).
    virtual Result<std::vector<Authorization>> find_client_authorizations(const Id& user_id,
                                                                          const Id& client_id) = 0;
    // Inserts an authorization with no token yet. `conflict` if the id exists;
    // `internal` if the user or the client does not exist.
    virtual Result<void> create_client_authorization(const Authorization& authorization) = 0;
    // Sets scope, declined_scope and updated_at. `not_found` (subject
    // "authorization") when absent.
    virtual Result<void> update_authorization_scope(const Id& id,
                                                    const std::vector<std::string>& scope,
                                                    const std::vector<std::string>& declined,
                                                    Timestamp updated_at) = 0;

    // -- Authorization codes.

    // `conflict` if the id or digest exists; `internal` if the authorization,
    // client or user does not exist.
    virtual Result<void> create_code(const AuthorizationCode& code) = 0;
    // The code with this digest, consumed or not, expired or not (those are
    // rules). `not_found` (subject "grant") when absent.
    virtual Result<AuthorizationCode> find_code(const std::string& digest) = 0;
    // In one transaction, if the code is not consumed: marks it consumed at
    // `now` with session_id = session.id, inserts the session, its first
    // refresh token (when given) and `access` (whose session_id is the
    // session's). Returns false, writing nothing, when the code is gone or was
    // consumed already (the loser of a race). `conflict` on a duplicate id or
    // digest (nothing written).
    virtual Result<bool> redeem_code(const Id& code_id, Timestamp now, const Session& session,
                                     const std::optional<RefreshToken>& refresh,
                                     const AccessToken& access) = 0;
    // A replayed code: deletes the session its exchange started, with every
    // token in it. Returns whether there was one.
    virtual Result<bool> revoke_code_session(const Id& code_id) = 0;

    // -- Sessions and refresh tokens.

    // `not_found` (subject "session") when absent.
    virtual Result<Session> find_session(const Id& id) = 0;
    // The refresh token with this digest, spent or not. `not_found` (subject
    // "token") when absent.
    virtual Result<RefreshToken> find_refresh_token(const std::string& digest) = 0;
    // One atomic step of the rotation rules, on the refresh token `presented`:
    //  - live (not spent): mark it spent at `now` with successor_id =
    //    successor.id, insert `successor` and `access` → rotated;
    //  - spent at or after `grace_since` while its successor was never spent:
    //    delete that successor, point it at `successor` instead, insert
    //    `successor` and `access` → reissued;
    //  - spent otherwise: delete the session with every token in it → reused;
    //  - absent → gone.
    // `successor` and `access` belong to the presented token's session; the
    // session's updated_at becomes `now` when tokens are issued.
    virtual Result<Rotation> rotate_refresh_token(const Id& presented, Timestamp now,
                                                  Timestamp grace_since,
                                                  const RefreshToken& successor,
                                                  const AccessToken& access) = 0;
    // Inserts `access` into its (live) session and sets the session's
    // updated_at: a stable refresh token's use. false, writing nothing, when
    // the session is gone.
    virtual Result<bool> add_session_access_token(const AccessToken& access, Timestamp now) = 0;
    // Deletes the session with every refresh and access token in it. Returns
    // whether it existed.
    virtual Result<bool> delete_session(const Id& id) = 0;
    // The user's sessions, one page in id order (as list_authorizations_by_user).
    virtual Result<Page<Session>> list_sessions_by_user(const Id& user_id,
                                                        const PageQuery& query) = 0;
    // The authorization's newest session (by created_at, then id), expired or
    // not (expiry is a rule), with its unspent refresh token; nullopt when
    // the authorization has no session (or does not exist).
    virtual Result<std::optional<SessionWithRefresh>> find_latest_session(
        const Id& authorization_id) = 0;

    // -- Browser sign-ins.

    // `conflict` if the id or digest exists.
    virtual Result<void> create_browser_session(const BrowserSession& session) = 0;
    // `not_found` (subject "session") when absent; expiry is a rule.
    virtual Result<BrowserSession> find_browser_session(const std::string& digest) = 0;
    // Deletes it if present.
    virtual Result<void> delete_browser_session(const std::string& digest) = 0;

    // -- The janitor.

    // Deletes, in one short transaction, at most `limit` rows of each of:
    // codes that expired before `now` (a consumed code is kept until then, so
    // a replay is still recognised), sessions that expired, browser sessions
    // that expired. Returns how many rows it deleted in all.
    virtual Result<int> purge_expired_grants(Timestamp now, int limit) = 0;
};

}  // namespace tessera::core
