#pragma once

// The fixture of the GrantStore tests (grant_store_test.cpp and
// grant_race_test.cpp): a user, a client and a standing grant, and factories
// for codes, sessions and tokens under it.

#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "conformance_test.hpp"

namespace tessera::store_conformance {

// A session as redeem_code() starts it: the session, its first refresh token
// and its first access token.
struct Family {
    core::Session session;
    core::RefreshToken refresh;
    core::AccessToken access;
};

class GrantStoreConformance : public StoreConformance {
protected:
    void SetUp() override {
        StoreConformance::SetUp();
        if (HasFatalFailure()) return;
        user_ = create_user("alice@example.com");
        client_ = create_client(user_, "App");
        authorization_ = client_authorization_for(user_, client_.id);
        auto created = grants().create_client_authorization(authorization_);
        ASSERT_TRUE(created.has_value()) << created.error().log_detail;
    }

    core::Authorization client_authorization_for(const core::User& user, const Id& client_id) {
        core::Authorization authorization;
        authorization.id = new_id();
        authorization.user_id = user.id;
        authorization.client_id = client_id;
        authorization.scope = {"global"};
        authorization.created_at = authorization.updated_at = clock_.now();
        return authorization;
    }

    core::AuthorizationCode code_for(const core::Authorization& authorization) {
        core::AuthorizationCode code;
        code.id = new_id();
        code.digest = new_digest();
        code.authorization_id = authorization.id;
        code.client_id = *authorization.client_id;
        code.user_id = authorization.user_id;
        code.redirect_uri = "https://app.example/callback";
        code.code_challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        code.scope = {"global", "read"};
        code.nonce = "n-0S6_WzA2Mj";
        code.auth_time = clock_.now() - 30;
        code.expires_at = clock_.now() + 60;
        code.created_at = clock_.now();
        return code;
    }

    core::AuthorizationCode create_code() {
        core::AuthorizationCode code = code_for(authorization_);
        auto created = grants().create_code(code);
        EXPECT_TRUE(created.has_value()) << created.error().log_detail;
        return code;
    }

    core::Session session_for(const core::Authorization& authorization) {
        core::Session session;
        session.id = new_id();
        session.authorization_id = authorization.id;
        session.user_id = authorization.user_id;
        session.client_id = authorization.client_id;
        session.nonce = "0123456789abcdef";
        session.description = "laptop";
        session.scope = {"global", "read"};
        session.expires_at = clock_.now() + 86400;
        session.created_at = session.updated_at = clock_.now();
        return session;
    }

    // session_id is left empty: the store fills it in.
    core::RefreshToken refresh_token() {
        core::RefreshToken token;
        token.id = new_id();
        token.digest = new_digest();
        token.redacted = "trt_abcde**********wxyz";
        token.created_at = clock_.now();
        return token;
    }

    // An access token of the session `session_id`; redeem_code() and
    // rotate_refresh_token() fill in session_id themselves.
    core::AccessToken session_access(std::optional<Id> session_id = std::nullopt) {
        core::AccessToken token;
        token.id = new_id();
        token.authorization_id = authorization_.id;
        token.user_id = user_.id;
        token.client_id = client_.id;
        token.digest = new_digest();
        token.redacted = "tat_abcde**********wxyz";
        token.scope = {"global", "read"};
        token.expires_at = clock_.now() + 3600;
        token.created_at = clock_.now();
        token.session_id = session_id;
        return token;
    }

    // Redeems `code`, as the first exchange does.
    Family redeem(const core::AuthorizationCode& code) {
        Family family{session_for(authorization_), refresh_token(), session_access()};
        auto redeemed = grants().redeem_code(code.id, clock_.now(), family.session, family.refresh,
                                             family.access);
        EXPECT_TRUE(redeemed.has_value()) << redeemed.error().log_detail;
        EXPECT_TRUE(redeemed.has_value() && *redeemed);
        family.refresh.session_id = family.session.id;
        family.access.session_id = family.session.id;
        return family;
    }

    Family start_family() { return redeem(create_code()); }

    Result<core::Rotation> rotate(const Id& presented, Timestamp grace_since,
                                  const core::RefreshToken& successor,
                                  const core::AccessToken& access) {
        return grants().rotate_refresh_token(presented, clock_.now(), grace_since, successor,
                                             access);
    }

    // The refresh and access tokens of the session, counted in the tables.
    std::int64_t tokens_of(const core::Session& session) {
        const std::string id = id_literal(session.id);
        return query_int("SELECT (SELECT count(*) FROM refresh_tokens WHERE session_id = " + id +
                         ") + (SELECT count(*) FROM access_tokens WHERE session_id = " + id + ")");
    }

    void expect_gone(const Family& family) {
        auto session = grants().find_session(family.session.id);
        ASSERT_FALSE(session.has_value());
        EXPECT_EQ(session.error().code, Code::not_found);
        EXPECT_EQ(session.error().subject, "session");
        EXPECT_FALSE(grants().find_refresh_token(family.refresh.digest).has_value());
        EXPECT_FALSE(authorizations().find_access_token(family.access.digest).has_value());
        EXPECT_EQ(tokens_of(family.session), 0);
    }

    core::User user_;
    core::Client client_;
    core::Authorization authorization_;
};

void expect_same_code(const core::AuthorizationCode& actual,
                      const core::AuthorizationCode& expected);
void expect_same_session(const core::Session& actual, const core::Session& expected);
void expect_same_refresh(const core::RefreshToken& actual, const core::RefreshToken& expected);

}  // namespace tessera::store_conformance
