#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/store/store.hpp"
#include "storage/postgres/database.hpp"

namespace tessera::storage::postgres {

// The PostgreSQL implementation of the core store interfaces, for several
// nodes sharing one database. Each method follows its interface's contract
// and behaves as SqliteStore's does (the store conformance suite runs both);
// the implementation is split by concern across user_store.cpp,
// account_store.cpp, client_store.cpp, authorization_store.cpp,
// token_store.cpp, grant_store.cpp, setting_store.cpp, key_store.cpp,
// registration_store.cpp and verification_store.cpp, each holding its SQL as
// named constants (prepared once per connection).
//
// Where SqliteStore relies on its one writer at a time, this store makes the
// decision inside the database, so that it holds across nodes:
//  - a conditional UPDATE or DELETE decides redeem_code(),
//    rotate_client_secret(), drop_previous_secret(), the use of an initial
//    access token and update_uri_verification(): under READ COMMITTED a
//    concurrent caller waits on the row lock and re-checks the condition;
//  - rotate_refresh_token() locks the presented token (SELECT ... FOR UPDATE)
//    before deciding, so rotations of one token run one after the other;
//  - create_client_within_limit() counts and inserts in a SERIALIZABLE
//    transaction (against other such calls);
//  - create_first_key() and rotate_keys() lock signing_keys against other
//    writers (a rare event; readers are not blocked);
//  - a transaction that fails with a serialization failure or a deadlock runs
//    again (Database::transaction()).
//
// Differences from SqliteStore, none of which the interfaces promise either
// way:
//  - text must be valid UTF-8 without NUL bytes (PostgreSQL's text type);
//    other text is refused with `internal`;
//  - lists are stored as text[] as given: scope and grant type items are not
//    split on spaces, and empty items are kept;
//  - create_access_token_async() does not batch: it inserts on the calling
//    thread and calls `done` before returning (TokenStore's default), as
//    PostgreSQL commits concurrent transactions in parallel.
//
// Precondition: migrate(database) has succeeded. `database` must outlive the
// store. Thread-safe (see Database). No exception escapes a method: failures
// of libpq and the server, and exceptions such as bad_alloc, come back as
// `unavailable`, `conflict` or `internal` (see database_error()).
class PostgresStore final : public core::Store {
public:
    explicit PostgresStore(Database& database) : database_(database) {}

    // UserStore. Emails are stored and matched lowercased (ASCII letters).
    Result<void> create_user(const core::User& user, const core::Account& account) override;
    Result<core::User> find_user_by_email(std::string_view email) override;
    Result<core::User> find_user(const Id& id) override;
    Result<void> set_api_key_digest(const Id& user_id, const std::string& digest,
                                    Timestamp updated_at) override;

    // AccountStore.
    Result<void> create_account(const core::Account& account,
                                const core::Membership& first_member) override;
    Result<core::Account> find_account(const Id& id) override;
    Result<void> put_member(const core::Membership& membership) override;
    Result<core::Membership> find_membership(const Id& account_id, const Id& user_id) override;
    Result<std::vector<core::Membership>> list_memberships(const Id& user_id) override;

    // ClientStore. list_clients_by_owner() as SqliteStore's: `max` clamped
    // to 1..1000; `invalid_request` ("the Range start is not a valid id",
    // likewise "end") if a key of an `id` query does not parse; names
    // compare as bytes; a page ordered by name ends before a run of equal
    // names that it would cut, unless the run fills the whole page.
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

    // AuthorizationStore, as SqliteStore's: list_authorizations_by_user()
    // pages by id whatever the SortField; replace_access_tokens() is
    // `internal` (nothing written) if the token's authorization_id is not
    // `authorization_id`.
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

    // TokenStore. create_access_token(): `internal` if authorization_id,
    // client_id or session_id names no row. create_access_token_async() is
    // TokenStore's synchronous default (see above).
    Result<void> create_access_token(const core::AccessToken& token) override;
    Result<core::AccessToken> find_access_token_by_id(const Id& id) override;
    Result<bool> revoke_access_token(const std::string& digest,
                                     const std::optional<Id>& id = std::nullopt) override;
    Result<int> purge_expired_access_tokens(Timestamp now, int limit) override;

    // GrantStore, as SqliteStore's: redeem_code() and rotate_refresh_token()
    // store their tokens in the session they name whatever the tokens'
    // session_id fields hold; a spent refresh token whose successor row is
    // missing counts as one whose successor was used (→ reused);
    // add_session_access_token() is `internal` if the token has no
    // session_id; purge_expired_grants() deletes nothing for a `limit` below
    // 1, and its count excludes cascaded rows.
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

    // KeyStore. A unique index allows one next and one current key per
    // algorithm (migration 0004).
    Result<bool> create_first_key(const core::SigningKey& key) override;
    Result<core::SigningKey> find_current_key() override;
    Result<core::SigningKey> find_current_key_of(const std::string& algorithm) override;
    Result<std::vector<core::SigningKey>> list_published_keys(Timestamp now) override;
    Result<core::KeyRotation> rotate_keys(const core::SigningKey& key, Timestamp now,
                                          Timestamp retired_until) override;
    Result<int> purge_retired_keys(Timestamp now, int limit) override;

    // RegistrationStore.
    Result<void> create_initial_access_token(const core::InitialAccessToken& token) override;
    Result<core::InitialAccessToken> find_initial_access_token(const std::string& digest) override;
    Result<void> create_registered_client(const core::Client& client,
                                          const std::optional<std::string>& initial_token_digest,
                                          Timestamp now) override;

    // VerificationStore. Rows whose status is set hold host, token and
    // deadline (else `internal`); a NULL checked_at reads as 0.
    Result<std::vector<std::pair<Id, core::UriVerification>>> list_open_verifications(
        Timestamp checked_before, int limit) override;
    Result<bool> update_uri_verification(const Id& client_id, const core::UriVerification& expected,
                                         const core::UriVerification& next) override;

private:
    Database& database_;
};

// The janitor's turn: every node runs the janitor, and each purge batch first
// asks for a transaction-scoped advisory lock (pg_try_advisory_xact_lock, per
// schema). One node gets it and deletes; the others get false, purge nothing
// and count 0, so they skip this run instead of deleting the same rows under
// each other's locks. Call inside the purge's transaction.
Result<bool> take_janitor_turn(Connection& connection);

}  // namespace tessera::storage::postgres
