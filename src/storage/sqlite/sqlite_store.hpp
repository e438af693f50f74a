#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/store/account_store.hpp"
#include "core/store/authorization_store.hpp"
#include "core/store/client_store.hpp"
#include "core/store/grant_store.hpp"
#include "core/store/key_store.hpp"
#include "core/store/registration_store.hpp"
#include "core/store/setting_store.hpp"
#include "core/store/store.hpp"
#include "core/store/token_store.hpp"
#include "core/store/user_store.hpp"
#include "core/store/verification_store.hpp"
#include "storage/sqlite/database.hpp"
#include "storage/sqlite/write_batcher.hpp"

namespace tessera::storage::sqlite {

// The SQLite implementation of the core store interfaces. Each method follows
// its interface's contract; the implementation is split by concern across
// user_store.cpp, client_store.cpp, authorization_store.cpp, token_store.cpp,
// grant_store.cpp, setting_store.cpp, key_store.cpp and registration_store.cpp, each holding its
// SQL as named constants.
//
// Precondition: migrate(database) has succeeded. `database` must outlive the
// store. Thread-safe (see Database). No exception escapes a method: failures
// of SQLite, and exceptions such as bad_alloc, come back as `unavailable`,
// `conflict` or `internal` (see database_error()).
class SqliteStore final : public core::Store {
public:
    explicit SqliteStore(Database& database) : database_(database) {}

    // UserStore. Emails are stored and matched lowercased (ASCII letters).
    Result<void> create_user(const core::User& user, const core::Account& account) override;
    Result<core::User> find_user_by_email(std::string_view email) override;
    Result<core::User> find_user(const Id& id) override;
    Result<void> set_api_key_digest(const Id& user_id, const std::string& digest,
                                    Timestamp updated_at) override;

    // AccountStore (account_store.cpp).
    Result<void> create_account(const core::Account& account,
                                const core::Membership& first_member) override;
    Result<core::Account> find_account(const Id& id) override;
    Result<void> put_member(const core::Membership& membership) override;
    Result<core::Membership> find_membership(const Id& account_id, const Id& user_id) override;
    Result<std::vector<core::Membership>> list_memberships(const Id& user_id) override;

    // ClientStore. grant_types and scopes are stored space-joined, so their
    // items must hold no space (true of RFC 7591 grant types and RFC 6749
    // scope tokens); empty items are dropped.
    // list_clients_by_owner(): `max` is clamped to 1..1000;
    // `invalid_request` ("the Range start is not a valid id", likewise "end")
    // if a key of an `id` query does not parse. A page ordered by name that
    // would end inside a run of equal names ends before that run instead
    // (fewer than `max` items, has_more set), so that paging on with an
    // exclusive start at the last name returned skips nothing; only a run
    // longer than the whole page is cut.
    Result<void> create_client(const core::Client& client) override;
    Result<core::Client> find_client(const Id& id) override;
    Result<core::Page<core::Client>> list_clients_by_owner(const Id& owner,
                                                           const core::PageQuery& query) override;
    Result<bool> create_client_within_limit(const core::Client& client, int max) override;
    Result<std::vector<core::Client>> list_account_clients(const Id& account_id,
                                                           int limit) override;
    Result<void> update_client(const core::Client& client) override;
    Result<void> update_client_and_verification(const core::Client& client) override;
    Result<bool> rotate_client_secret(const Id& id, const std::string& new_digest,
                                      const std::optional<std::string>& new_ciphertext,
                                      Timestamp now) override;
    Result<bool> drop_previous_secret(const Id& id, Timestamp now) override;
    Result<void> set_client_secrets(const Id& id, const std::string& current_digest,
                                    const std::optional<std::string>& previous_digest,
                                    const std::optional<std::string>& current_ciphertext,
                                    Timestamp updated_at) override;
    Result<core::Client> delete_client(const Id& id) override;

    // AuthorizationStore. list_authorizations_by_user() pages like
    // list_clients_by_owner() by id (any other SortField is read as id):
    // `max` clamped to 1..1000, `invalid_request` if a key is not an id.
    // replace_access_tokens(): `internal` (nothing written) if the token's
    // authorization_id is not `authorization_id`.
    Result<void> create_authorization(const core::Authorization& authorization,
                                      const core::AccessToken& token) override;
    Result<core::Authorization> find_authorization(const Id& id) override;
    Result<core::AccessToken> find_access_token(
        const std::string& digest, const std::optional<Id>& id = std::nullopt) override;
    Result<void> delete_authorization(const Id& id) override;
    Result<core::Page<core::Authorization>> list_authorizations_by_user(
        const Id& user_id, const core::PageQuery& query) override;
    Result<core::Authorization> find_api_key_authorization(const Id& user_id) override;
    Result<std::vector<core::AccessToken>> list_access_tokens(const Id& authorization_id) override;
    Result<void> update_authorization(const core::Authorization& authorization) override;
    Result<void> replace_access_tokens(const Id& authorization_id, const core::AccessToken& token,
                                       Timestamp updated_at) override;

    // TokenStore. create_access_token(): `internal` if authorization_id or
    // client_id names no row. delete_client() removes the client's tokens
    // (foreign key cascade).
    Result<void> create_access_token(const core::AccessToken& token) override;
    // Group commit through a WriteBatcher (started on first use).
    void create_access_token_async(const core::AccessToken& token,
                                   std::function<void(Result<void>)> done) override;
    Result<core::AccessToken> find_access_token_by_id(const Id& id) override;
    Result<bool> revoke_access_token(const std::string& digest,
                                     const std::optional<Id>& id = std::nullopt) override;
    Result<int> purge_expired_access_tokens(Timestamp now, int limit) override;

    // GrantStore. Every write runs in one transaction; redeem_code() and
    // rotate_refresh_token() decide with a conditional UPDATE, so of two
    // racing callers exactly one wins.
    // redeem_code() stores `refresh` and `access` with session_id = session.id,
    // and rotate_refresh_token() stores `successor` and `access` with the
    // presented token's session_id, whatever those fields held.
    // rotate_refresh_token(): a spent token whose successor row is missing
    // counts as one whose successor was used (→ reused).
    // add_session_access_token(): `internal` (nothing written) if the token
    // has no session_id.
    // list_sessions_by_user() pages like list_authorizations_by_user().
    // purge_expired_grants(): a `limit` below 1 deletes nothing; the count
    // excludes the tokens that die with their sessions (cascades).
    Result<std::vector<core::Authorization>> find_client_authorizations(
        const Id& user_id, const Id& client_id) override;
    Result<void> create_client_authorization(const core::Authorization& authorization) override;
    Result<void> update_authorization_scope(const Id& id, const std::vector<std::string>& scope,
                                            const std::vector<std::string>& declined,
                                            Timestamp updated_at) override;
    Result<void> create_code(const core::AuthorizationCode& code) override;
    Result<core::AuthorizationCode> find_code(const std::string& digest) override;
    Result<bool> redeem_code(const Id& code_id, Timestamp now, const core::Session& session,
                             const std::optional<core::RefreshToken>& refresh,
                             const core::AccessToken& access) override;
    Result<bool> revoke_code_session(const Id& code_id) override;
    Result<core::Session> find_session(const Id& id) override;
    Result<core::RefreshToken> find_refresh_token(const std::string& digest) override;
    Result<core::Rotation> rotate_refresh_token(const Id& presented, Timestamp now,
                                                Timestamp grace_since,
                                                const core::RefreshToken& successor,
                                                const core::AccessToken& access) override;
    Result<bool> add_session_access_token(const core::AccessToken& access, Timestamp now) override;
    Result<bool> delete_session(const Id& id) override;
    Result<core::Page<core::Session>> list_sessions_by_user(const Id& user_id,
                                                            const core::PageQuery& query) override;
    Result<std::optional<core::SessionWithRefresh>> find_latest_session(
        const Id& authorization_id) override;
    Result<void> create_browser_session(const core::BrowserSession& session) override;
    Result<core::BrowserSession> find_browser_session(const std::string& digest) override;
    Result<void> delete_browser_session(const std::string& digest) override;
    Result<int> purge_expired_grants(Timestamp now, int limit) override;

    // SettingStore.
    Result<std::string> get_or_put_setting(const std::string& name,
                                           const std::string& value) override;

    // KeyStore (key_store.cpp). A unique index allows one next and one
    // current key per algorithm, so a racing rotation fails with `conflict`
    // instead of leaving two.
    Result<bool> create_first_key(const core::SigningKey& key) override;
    Result<core::SigningKey> find_current_key() override;
    Result<core::SigningKey> find_current_key_of(const std::string& algorithm) override;
    Result<std::vector<core::SigningKey>> list_published_keys(Timestamp now) override;
    Result<core::KeyRotation> rotate_keys(const core::SigningKey& key, Timestamp now,
                                          Timestamp retired_until) override;
    Result<int> purge_retired_keys(Timestamp now, int limit) override;

    // RegistrationStore (registration_store.cpp).
    Result<void> create_initial_access_token(const core::InitialAccessToken& token) override;
    Result<core::InitialAccessToken> find_initial_access_token(const std::string& digest) override;
    Result<void> create_registered_client(const core::Client& client,
                                          const std::optional<std::string>& initial_token_digest,
                                          Timestamp now) override;

    // VerificationStore (verification_store.cpp). Rows whose status is set
    // hold host, token and deadline (else `internal`); a NULL checked_at
    // reads as 0.
    Result<std::vector<std::pair<Id, core::UriVerification>>> list_open_verifications(
        Timestamp checked_before, int limit) override;
    Result<bool> update_uri_verification(const Id& client_id, const core::UriVerification& expected,
                                         const core::UriVerification& next) override;

private:
    WriteBatcher& batcher();
    // Runs the single-client UPDATE `sql` (bound by `bind`) in a transaction:
    // whether it changed the row, `not_found` when the client is absent.
    Result<bool> update_if(std::string_view sql, const Id& id,
                           const std::function<void(Statement&)>& bind);

    Database& database_;
    std::once_flag batcher_started_;
    std::unique_ptr<WriteBatcher> batcher_;
};

}  // namespace tessera::storage::sqlite
