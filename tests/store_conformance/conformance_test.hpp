#pragma once

// The fixture of the store conformance suite: each TEST_P runs once on every
// backend (kBackends), on a fresh database of its own, against the store
// interfaces only. The contract under test is the interface headers in
// src/core/store/; the scenarios follow the SQLite store's tests.

#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <utility>

#include <gtest/gtest.h>

#include "backend.hpp"
#include "base/fake_clock.hpp"
#include "base/random.hpp"

namespace tessera {

// Failure messages show ids as uuids.
inline void PrintTo(const Id& id, std::ostream* out) { *out << id.uuid(); }

}  // namespace tessera

namespace tessera::store_conformance {

class StoreConformance : public ::testing::TestWithParam<BackendKind> {
protected:
    void SetUp() override {
        auto opened = open_backend(GetParam());
        ASSERT_TRUE(opened.has_value())
            << opened.error().description << " " << opened.error().log_detail;
        backend_ = std::move(opened).value();
    }

    void TearDown() override { backend_.reset(); }

    core::UserStore& users() { return backend_->stores().users; }
    core::AccountStore& accounts() { return backend_->stores().accounts; }
    core::ClientStore& clients() { return backend_->stores().clients; }
    core::AuthorizationStore& authorizations() { return backend_->stores().authorizations; }
    core::TokenStore& tokens() { return backend_->stores().tokens; }
    core::GrantStore& grants() { return backend_->stores().grants; }
    core::SettingStore& settings() { return backend_->stores().settings; }
    core::KeyStore& keys() { return backend_->stores().keys; }
    core::RegistrationStore& registrations() { return backend_->stores().registrations; }
    core::VerificationStore& verifications() { return backend_->stores().verifications; }

    // The first column of the first row of `sql` as an integer; -1 (and a
    // failure) when it cannot be read.
    std::int64_t query_int(const std::string& sql) {
        auto value = backend_->query_int(sql);
        EXPECT_TRUE(value.has_value()) << sql << ": " << value.error().log_detail;
        return value.has_value() ? *value : -1;
    }
    std::int64_t count(const std::string& table) {
        return query_int("SELECT count(*) FROM " + table);
    }
    void execute(const std::string& sql) {
        auto done = backend_->execute(sql);
        ASSERT_TRUE(done.has_value()) << sql << ": " << done.error().log_detail;
    }
    std::string id_literal(const Id& id) const { return backend_->id_literal(id); }

    Id new_id() { return Id::generate(random_); }

    // 32 random bytes, as a keyed digest is; holds a NUL byte.
    std::string new_digest() {
        std::string digest(32, '\0');
        random_.fill({reinterpret_cast<std::uint8_t*>(digest.data()), digest.size()});
        digest[7] = '\0';
        return digest;
    }

    // A user with a personal account named "personal".
    core::User create_user(const std::string& email) {
        core::Account account{.id = new_id(), .name = "personal", .created_at = clock_.now()};
        core::User user;
        user.id = new_id();
        user.email = email;
        user.name = "Alice";
        user.password_hash = "$argon2id$v=19$stub";
        user.account_id = account.id;
        user.created_at = user.updated_at = clock_.now();
        auto created = users().create_user(user, account);
        EXPECT_TRUE(created.has_value()) << created.error().log_detail;
        return user;
    }

    // A client of `owner` with one redirect URI, the Heroku metadata and a
    // current secret digest.
    core::Client client_for(const core::User& owner, const std::string& name) {
        core::Client client;
        client.id = new_id();
        client.account_id = owner.account_id;
        client.owner_id = owner.id;
        client.name = name;
        client.redirect_uris = {"https://app.example/callback"};
        client.grant_types = {"authorization_code", "refresh_token"};
        client.scopes = {"global", "read"};
        client.secret_digest = new_digest();
        client.created_at = client.updated_at = clock_.now();
        return client;
    }

    core::Client create_client(const core::User& owner, const std::string& name) {
        core::Client client = client_for(owner, name);
        auto created = clients().create_client(client);
        EXPECT_TRUE(created.has_value()) << created.error().log_detail;
        return client;
    }

    // An authorization of `user` (for `client_id`, or direct) and its first token.
    std::pair<core::Authorization, core::AccessToken> authorization_for(
        const core::User& user, std::optional<Id> client_id) {
        core::Authorization authorization;
        authorization.id = new_id();
        authorization.user_id = user.id;
        authorization.client_id = client_id;
        authorization.scope = {"global"};
        authorization.created_at = authorization.updated_at = clock_.now();
        core::AccessToken token;
        token.id = new_id();
        token.authorization_id = authorization.id;
        token.user_id = user.id;
        token.client_id = client_id;
        token.digest = new_digest();
        token.redacted = "tat_abcde**********wxyz";
        token.scope = authorization.scope;
        token.expires_at = clock_.now() + 3600;
        token.created_at = clock_.now();
        return {authorization, token};
    }

    std::pair<core::Authorization, core::AccessToken> create_authorization(
        const core::User& user, std::optional<Id> client_id) {
        auto pair = authorization_for(user, client_id);
        auto created = authorizations().create_authorization(pair.first, pair.second);
        EXPECT_TRUE(created.has_value()) << created.error().log_detail;
        return pair;
    }

    // A client_credentials token of `client_id`: no authorization, no user.
    core::AccessToken standalone_token_for(std::optional<Id> client_id) {
        core::AccessToken token;
        token.id = new_id();
        token.client_id = client_id;
        token.digest = new_digest();
        token.redacted = "tat_abcde**********wxyz";
        token.scope = {"read"};
        token.expires_at = clock_.now() + 3600;
        token.created_at = clock_.now();
        return token;
    }

    SeededRandom random_{20260101};
    FakeClock clock_;
    std::unique_ptr<Backend> backend_;
};

// Field-by-field comparisons (the models have no operator==).
void expect_same_client(const core::Client& actual, const core::Client& expected);
void expect_same_token(const core::AccessToken& actual, const core::AccessToken& expected);
void expect_same_authorization(const core::Authorization& actual,
                               const core::Authorization& expected);

// The error of a Result of any type, for tables of failing calls.
template <typename T>
Result<void> as_void(const Result<T>& result) {
    if (result.has_value()) return {};
    return result.error();
}

}  // namespace tessera::store_conformance
