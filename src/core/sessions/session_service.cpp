#include "core/sessions/session_service.hpp"

namespace tessera::core {
namespace {

Error session_not_found() {
    return make_error(Code::not_found, "Couldn't find that session.", {}, "session");
}

}  // namespace

Result<Page<Session>> SessionService::list(const Caller& caller, const PageQuery& query) {
    return grants_.list_sessions_by_user(caller.user_id, query);
}

Result<Session> SessionService::find_owned(const Caller& caller, const Id& id) {
    auto found = grants_.find_session(id);
    if (!found) {
        if (found.error().code == Code::not_found) return session_not_found();
        return found;
    }
    // Heroku spec §1.4: another user's session is not there for this caller.
    if (found->user_id != caller.user_id) return session_not_found();
    return found;
}

Result<Session> SessionService::info(const Caller& caller, const Id& id) {
    return find_owned(caller, id);
}

Result<Session> SessionService::current(const Caller& caller) {
    if (!caller.session_id) return session_not_found();
    return find_owned(caller, *caller.session_id);
}

Result<Session> SessionService::remove(const Caller& caller, const Id& id) {
    TESSERA_TRY_ASSIGN(Session session, find_owned(caller, id));
    TESSERA_TRY_ASSIGN(bool deleted, grants_.delete_session(session.id));
    // Ended by another request between the read and the delete.
    if (!deleted) return session_not_found();
    return session;
}

Result<Session> SessionService::remove_current(const Caller& caller) {
    if (!caller.session_id) return session_not_found();
    return remove(caller, *caller.session_id);
}

}  // namespace tessera::core
