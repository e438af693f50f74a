#pragma once

#include "base/result.hpp"
#include "core/auth/caller.hpp"
#include "core/model/grant.hpp"
#include "core/model/page.hpp"
#include "core/store/grant_store.hpp"

namespace tessera::core {

// A user's OAuth sessions (Heroku spec §5): each one refresh-token family
// with the access tokens issued under it. Every call acts for `caller` and
// sees only the caller's sessions: someone else's, like an unknown one, is
// `not_found` (subject "session"), so ids do not leak. Store failures return
// `unavailable` or `internal`. Thread-safe.
class SessionService {
public:
    explicit SessionService(GrantStore& grants) : grants_(grants) {}

    // One page of the caller's sessions, in id order (PageQuery as for
    // authorizations). `invalid_request` for a malformed range start or end.
    Result<Page<Session>> list(const Caller& caller, const PageQuery& query);

    Result<Session> info(const Caller& caller, const Id& id);
    // Heroku spec §5.2 `~`: the session of the token the caller presented.
    // `not_found` (subject "session") when that token belongs to none (a
    // direct authorization's token) or the session ended meanwhile.
    Result<Session> current(const Caller& caller);

    // Ends the session: every refresh and access token in it stops working at
    // once. Returns the session as it was.
    Result<Session> remove(const Caller& caller, const Id& id);
    // remove() of current(): the CLI's logout (`DELETE /oauth/sessions/~`).
    Result<Session> remove_current(const Caller& caller);

private:
    Result<Session> find_owned(const Caller& caller, const Id& id);

    GrantStore& grants_;
};

}  // namespace tessera::core
