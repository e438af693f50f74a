// Field-by-field comparisons of the models (conformance_test.hpp,
// grant_conformance_test.hpp).
#include "conformance_test.hpp"
#include "grant_conformance_test.hpp"

namespace tessera::store_conformance {

void expect_same_client(const core::Client& actual, const core::Client& expected) {
    EXPECT_EQ(actual.id, expected.id);
    EXPECT_EQ(actual.account_id, expected.account_id);
    EXPECT_EQ(actual.owner_id, expected.owner_id);
    EXPECT_EQ(actual.name, expected.name);
    EXPECT_EQ(actual.redirect_uris, expected.redirect_uris);
    EXPECT_EQ(actual.post_logout_redirect_uris, expected.post_logout_redirect_uris);
    EXPECT_EQ(actual.grant_types, expected.grant_types);
    EXPECT_EQ(actual.scopes, expected.scopes);
    EXPECT_EQ(actual.token_endpoint_auth_method, expected.token_endpoint_auth_method);
    EXPECT_EQ(actual.refresh_policy, expected.refresh_policy);
    EXPECT_EQ(actual.secret_digest, expected.secret_digest);
    EXPECT_EQ(actual.previous_secret_digest, expected.previous_secret_digest);
    EXPECT_EQ(actual.secret_ciphertext, expected.secret_ciphertext);
    EXPECT_EQ(actual.registration_token_digest, expected.registration_token_digest);
    EXPECT_EQ(actual.created_at, expected.created_at);
    EXPECT_EQ(actual.updated_at, expected.updated_at);
    EXPECT_EQ(actual.response_types, expected.response_types);
    EXPECT_EQ(actual.optional_scopes, expected.optional_scopes);
    EXPECT_EQ(actual.allowed_cors_origins, expected.allowed_cors_origins);
    EXPECT_EQ(actual.client_uri, expected.client_uri);
    EXPECT_EQ(actual.logo_uri, expected.logo_uri);
    EXPECT_EQ(actual.policy_uri, expected.policy_uri);
    EXPECT_EQ(actual.tos_uri, expected.tos_uri);
    EXPECT_EQ(actual.visibility, expected.visibility);
    EXPECT_EQ(actual.promoted_at, expected.promoted_at);
    EXPECT_EQ(actual.id_token_signed_response_alg, expected.id_token_signed_response_alg);
    EXPECT_EQ(actual.access_token_format, expected.access_token_format);
    ASSERT_EQ(actual.uri_verification.has_value(), expected.uri_verification.has_value());
    if (expected.uri_verification) {
        const auto& a = *actual.uri_verification;
        const auto& e = *expected.uri_verification;
        EXPECT_EQ(a.status, e.status);
        EXPECT_EQ(a.host, e.host);
        EXPECT_EQ(a.token, e.token);
        EXPECT_EQ(a.deadline, e.deadline);
        EXPECT_EQ(a.checked_at, e.checked_at);
    }
}

void expect_same_token(const core::AccessToken& actual, const core::AccessToken& expected) {
    EXPECT_EQ(actual.id, expected.id);
    EXPECT_EQ(actual.authorization_id, expected.authorization_id);
    EXPECT_EQ(actual.user_id, expected.user_id);
    EXPECT_EQ(actual.client_id, expected.client_id);
    EXPECT_EQ(actual.digest, expected.digest);
    EXPECT_EQ(actual.redacted, expected.redacted);
    EXPECT_EQ(actual.scope, expected.scope);
    EXPECT_EQ(actual.expires_at, expected.expires_at);
    EXPECT_EQ(actual.created_at, expected.created_at);
    EXPECT_EQ(actual.session_id, expected.session_id);
    EXPECT_EQ(actual.id_in_token, expected.id_in_token);
}

void expect_same_authorization(const core::Authorization& actual,
                               const core::Authorization& expected) {
    EXPECT_EQ(actual.id, expected.id);
    EXPECT_EQ(actual.user_id, expected.user_id);
    EXPECT_EQ(actual.client_id, expected.client_id);
    EXPECT_EQ(actual.scope, expected.scope);
    EXPECT_EQ(actual.description, expected.description);
    EXPECT_EQ(actual.is_api_key, expected.is_api_key);
    EXPECT_EQ(actual.created_at, expected.created_at);
    EXPECT_EQ(actual.updated_at, expected.updated_at);
    EXPECT_EQ(actual.declined_scope, expected.declined_scope);
}

void expect_same_code(const core::AuthorizationCode& actual,
                      const core::AuthorizationCode& expected) {
    EXPECT_EQ(actual.id, expected.id);
    EXPECT_EQ(actual.digest, expected.digest);
    EXPECT_EQ(actual.authorization_id, expected.authorization_id);
    EXPECT_EQ(actual.client_id, expected.client_id);
    EXPECT_EQ(actual.user_id, expected.user_id);
    EXPECT_EQ(actual.redirect_uri, expected.redirect_uri);
    EXPECT_EQ(actual.code_challenge, expected.code_challenge);
    EXPECT_EQ(actual.scope, expected.scope);
    EXPECT_EQ(actual.nonce, expected.nonce);
    EXPECT_EQ(actual.auth_time, expected.auth_time);
    EXPECT_EQ(actual.expires_at, expected.expires_at);
    EXPECT_EQ(actual.created_at, expected.created_at);
    EXPECT_EQ(actual.consumed_at, expected.consumed_at);
    EXPECT_EQ(actual.session_id, expected.session_id);
}

void expect_same_session(const core::Session& actual, const core::Session& expected) {
    EXPECT_EQ(actual.id, expected.id);
    EXPECT_EQ(actual.authorization_id, expected.authorization_id);
    EXPECT_EQ(actual.user_id, expected.user_id);
    EXPECT_EQ(actual.client_id, expected.client_id);
    EXPECT_EQ(actual.nonce, expected.nonce);
    EXPECT_EQ(actual.description, expected.description);
    EXPECT_EQ(actual.scope, expected.scope);
    EXPECT_EQ(actual.expires_at, expected.expires_at);
    EXPECT_EQ(actual.created_at, expected.created_at);
    EXPECT_EQ(actual.updated_at, expected.updated_at);
}

void expect_same_refresh(const core::RefreshToken& actual, const core::RefreshToken& expected) {
    EXPECT_EQ(actual.id, expected.id);
    EXPECT_EQ(actual.session_id, expected.session_id);
    EXPECT_EQ(actual.digest, expected.digest);
    EXPECT_EQ(actual.redacted, expected.redacted);
    EXPECT_EQ(actual.spent_at, expected.spent_at);
    EXPECT_EQ(actual.successor_id, expected.successor_id);
    EXPECT_EQ(actual.created_at, expected.created_at);
}

}  // namespace tessera::store_conformance
