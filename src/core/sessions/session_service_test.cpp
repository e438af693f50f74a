// SessionService (Heroku spec §5): ownership, `~`, and ending a session; on a
// real SqliteStore(":memory:") with sessions started by the code flow.
#include "core/sessions/session_service.hpp"

#include <gtest/gtest.h>

#include "base/fake_clock.hpp"
#include "core/accounts/user_service.hpp"
#include "core/auth/token_authenticator.hpp"
#include "core/authorizations/authorization_service.hpp"
#include "core/clients/client_service.hpp"
#include "core/oauth/authorize/authorization_endpoint.hpp"
#include "core/oauth/token/token_service.hpp"
#include "crypto/digest.hpp"
#include "storage/sqlite/memory_store.hpp"

namespace tessera::core {
namespace {

class SessionServiceTest : public ::testing::Test {
protected:
    SessionServiceTest() {
        ada_ = *users_.create({"ada@example.com", "correct horse battery", "Ada"});
        bob_ = *users_.create({"bob@example.com", "another good password", "Bob"});
        auto created = clients_.register_client({ada_.id,
                                                 ada_.account_id,
                                                 "App",
                                                 {"https://app.example.com/cb"},
                                                 {"authorization_code", "refresh_token"},
                                                 {},
                                                 "client_secret_basic",
                                                 "stable"},
                                                catalog_);
        EXPECT_TRUE(created.has_value());
        client_ = created->client;
    }

    // A session of `user` through the API form of the code flow; returns the
    // caller its access token authenticates as.
    Caller start_session(const User& user) {
        auto grant = endpoint_.grant_directly(user.id, {"global"}, client_.id, {});
        EXPECT_TRUE(grant.has_value());
        TokenRequest request{"authorization_code"};
        request.code = std::string(grant->code.reveal());
        auto issued = tokens_.exchange(client_, request);
        EXPECT_TRUE(issued.has_value()) << issued.error().description;
        auto caller = authenticator_.authenticate(issued->access_token.reveal());
        EXPECT_TRUE(caller.has_value());
        EXPECT_EQ(caller->session_id, issued->session->id);
        return *caller;
    }

    FakeClock clock_;
    SeededRandom random_{5};
    crypto::Digester digester_{Secret(std::string(32, 'k'))};
    ScopeCatalog catalog_ = ScopeCatalog::heroku_default();
    storage::sqlite::MemoryStore memory_;
    storage::sqlite::SqliteStore& store_ = memory_.store();
    UserService users_{store_, clock_, random_};
    ClientService clients_{store_, clock_, random_, digester_};
    AuthorizationService authorizations_{store_, store_, catalog_, clock_, random_, digester_};
    AuthorizationEndpoint endpoint_{
        "https://id.example.com", store_, store_, catalog_, clock_, random_, digester_};
    TokenService tokens_{store_, store_, catalog_, clock_, random_, digester_};
    TokenAuthenticator authenticator_{store_, clock_, digester_};
    SessionService sessions_{store_};
    User ada_, bob_;
    Client client_;
};

void expect_session_not_found(const Result<Session>& result) {
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, Code::not_found);
    EXPECT_EQ(result.error().subject, "session");
    EXPECT_EQ(result.error().description, "Couldn't find that session.");
}

TEST_F(SessionServiceTest, ListsOnlyTheCallersSessions) {
    Caller first = start_session(ada_);
    Caller second = start_session(ada_);
    Caller bobs = start_session(bob_);
    auto page = sessions_.list(first, PageQuery{});
    ASSERT_TRUE(page.has_value());
    ASSERT_EQ(page->items.size(), 2u);
    for (const auto& session : page->items) {
        EXPECT_EQ(session.user_id, ada_.id);
        EXPECT_EQ(session.description, "App");  // named after its client
    }
    EXPECT_EQ(sessions_.list(bobs, PageQuery{})->items.size(), 1u);
    EXPECT_NE(*first.session_id, *second.session_id);
}

TEST_F(SessionServiceTest, InfoAndTildeNameTheCallersOwnSession) {
    Caller ada = start_session(ada_);
    Caller bob = start_session(bob_);
    auto info = sessions_.info(ada, *ada.session_id);
    ASSERT_TRUE(info.has_value());
    EXPECT_EQ(info->id, *ada.session_id);
    auto current = sessions_.current(ada);
    ASSERT_TRUE(current.has_value());
    EXPECT_EQ(current->id, *ada.session_id);
    // Someone else's session is indistinguishable from an unknown one.
    expect_session_not_found(sessions_.info(ada, *bob.session_id));
    expect_session_not_found(sessions_.info(ada, Id::generate(random_)));
}

TEST_F(SessionServiceTest, ADirectTokenHasNoCurrentSession) {
    auto minted = authorizations_.create_direct({ada_.id, {}, "cli", std::nullopt, false});
    ASSERT_TRUE(minted.has_value());
    auto caller = authenticator_.authenticate(minted->raw_access_token.reveal());
    ASSERT_TRUE(caller.has_value());
    expect_session_not_found(sessions_.current(*caller));
    expect_session_not_found(sessions_.remove_current(*caller));
}

TEST_F(SessionServiceTest, RemoveEndsTheSessionAndItsTokens) {
    Caller doomed = start_session(ada_);
    Caller kept = start_session(ada_);
    auto removed = sessions_.remove(kept, *doomed.session_id);
    ASSERT_TRUE(removed.has_value());
    EXPECT_EQ(removed->id, *doomed.session_id);
    expect_session_not_found(sessions_.info(kept, *doomed.session_id));
    expect_session_not_found(sessions_.remove(kept, *doomed.session_id));
    EXPECT_TRUE(sessions_.info(kept, *kept.session_id).has_value());
}

TEST_F(SessionServiceTest, RemoveCurrentEndsTheCallersOwnSession) {
    Caller ada = start_session(ada_);
    auto removed = sessions_.remove_current(ada);
    ASSERT_TRUE(removed.has_value());
    EXPECT_EQ(removed->id, *ada.session_id);
    expect_session_not_found(sessions_.current(ada));
}

TEST_F(SessionServiceTest, AnotherUsersSessionCannotBeEnded) {
    Caller ada = start_session(ada_);
    Caller bob = start_session(bob_);
    expect_session_not_found(sessions_.remove(bob, *ada.session_id));
    EXPECT_TRUE(sessions_.info(ada, *ada.session_id).has_value());
}

}  // namespace
}  // namespace tessera::core
