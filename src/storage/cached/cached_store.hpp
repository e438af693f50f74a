#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <functional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/store/authorization_store.hpp"
#include "core/store/client_store.hpp"
#include "core/store/grant_store.hpp"
#include "core/store/registration_store.hpp"
#include "core/store/token_store.hpp"
#include "core/store/verification_store.hpp"

namespace tessera::storage {

// Keeps hot reads in memory: clients by id and access tokens by digest
// (DESIGN.md "Choices that decide speed"). Every write through this decorator
// invalidates what it touches; an entry also lives at most `ttl`, which bounds
// how stale a node can be after a write made by another process. Other
// nodes on the same PostgreSQL usually say what they dropped at once
// (set_publisher, apply_remote); the lifetime is what holds when such a
// message is lost or a writer sends none. The default, kDefaultTtl, is the
// bound README "Many nodes on PostgreSQL" promises: a client updated, a
// secret rotated or a token revoked on one node is enforced on every node
// within one second.
// Thread-safe; forwards everything else to the wrapped stores, which must
// outlive it.
class CachedStore final : public core::ClientStore,
                          public core::AuthorizationStore,
                          public core::TokenStore,
                          public core::GrantStore,
                          public core::RegistrationStore,
                          public core::VerificationStore {
public:
    static constexpr std::chrono::milliseconds kDefaultTtl{900};

    CachedStore(core::ClientStore& clients, core::AuthorizationStore& authorizations,
                core::TokenStore& tokens, core::GrantStore& grants,
                core::RegistrationStore& registrations, core::VerificationStore& verifications,
                std::chrono::milliseconds ttl = kDefaultTtl,
                std::size_t max_entries = 100'000)
        : clients_(clients),
          authorizations_(authorizations),
          tokens_(tokens),
          grants_(grants),
          registrations_(registrations),
          verifications_(verifications),
          ttl_(ttl),
          max_entries_(max_entries) {}

    // Other nodes on the same database (PostgreSQL's ChangeChannel). Every
    // write that drops a client or tokens from this node's memory hands
    // `publisher` a message naming them; the same messages from any node go
    // to apply_remote(), which drops them here too. Call before the store is
    // used (not thread-safe itself); without a publisher nothing is sent.
    void set_publisher(std::function<void(std::string_view message)> publisher) {
        publisher_ = std::move(publisher);
    }
    // Drops what `message` names; a message it does not know drops all.
    void apply_remote(std::string_view message);
    // Drops every entry (messages may have been missed).
    void forget_all();

    // ClientStore
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

    // AuthorizationStore
    Result<void> create_authorization(const core::Authorization& authorization,
                                      const core::AccessToken& token) override;
    Result<core::Authorization> find_authorization(const Id& id) override;
    // Cached by digest (the id, when given, only guides a miss).
    Result<core::AccessToken> find_access_token(
        const std::string& digest, const std::optional<Id>& id = std::nullopt) override;
    Result<void> delete_authorization(const Id& id) override;
    Result<core::Page<core::Authorization>> list_authorizations_by_user(
        const Id& user_id, const core::PageQuery& query) override;
    Result<core::Authorization> find_api_key_authorization(const Id& user_id) override;
    Result<std::vector<core::AccessToken>> list_access_tokens(const Id& authorization_id) override;
    Result<void> update_authorization(const core::Authorization& authorization) override;
    // Drops every cached token (the cache is keyed by digest, not by
    // authorization), so the replaced tokens stop working at once.
    Result<void> replace_access_tokens(const Id& authorization_id, const core::AccessToken& token,
                                       Timestamp updated_at) override;

    // TokenStore. revoke_access_token() drops that digest from the cache, so
    // this node stops accepting the token at once.
    Result<void> create_access_token(const core::AccessToken& token) override;
    void create_access_token_async(const core::AccessToken& token,
                                   std::function<void(Result<void>)> done) override;
    Result<core::AccessToken> find_access_token_by_id(const Id& id) override;
    Result<bool> revoke_access_token(const std::string& digest,
                                     const std::optional<Id>& id = std::nullopt) override;
    // Expired tokens fail the expiry check wherever they are cached, so the
    // cache needs no invalidation here.
    Result<int> purge_expired_access_tokens(Timestamp now, int limit) override;

    // GrantStore: forwarded, nothing cached. Every call that can delete
    // access tokens (delete_session, revoke_code_session, rotate_refresh_token
    // when it returns reused or reissued, purge_expired_grants) drops every
    // cached token, also when it fails, so a revoked token stops working on
    // this node at once.
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

    // RegistrationStore: forwarded. create_registered_client() erases the
    // client's id, like every client write (a fresh id is never cached, but
    // the invalidation keeps a racing read of it from caching anything).
    Result<void> create_initial_access_token(const core::InitialAccessToken& token) override;
    Result<core::InitialAccessToken> find_initial_access_token(const std::string& digest) override;
    Result<void> create_registered_client(const core::Client& client,
                                          const std::optional<std::string>& initial_token_digest,
                                          Timestamp now) override;

    // VerificationStore: forwarded; a written verification erases its
    // client, so the API shows the verifier's result at once.
    Result<std::vector<std::pair<Id, core::UriVerification>>> list_open_verifications(
        Timestamp checked_before, int limit) override;
    Result<bool> update_uri_verification(const Id& client_id,
                                         const core::UriVerification& expected,
                                         const core::UriVerification& next) override;

private:
    using Clock = std::chrono::steady_clock;
    template <typename V>
    struct Entry {
        V value;
        Clock::time_point expires;
    };
    // Sharded so the I/O threads do not contend on one lock's cache line.
    template <typename K, typename V>
    struct Shard {
        std::shared_mutex mutex;
        std::unordered_map<K, Entry<V>> entries;  // guarded by mutex
    };
    template <typename K, typename V>
    struct Map {
        static constexpr std::size_t kShards = 16;
        std::array<Shard<K, V>, kShards> shards;
        // Counts invalidations. A read that raced with one (it looked in the
        // store before the write and would cache afterwards) must not cache:
        // a revoked token would come back for a whole ttl.
        std::atomic<std::uint64_t> invalidations{0};
        Shard<K, V>& shard_for(const K& key) { return shards[std::hash<K>{}(key) % kShards]; }
    };

    template <typename K, typename V>
    std::optional<V> get(Map<K, V>& map, const K& key);
    template <typename K, typename V>
    void put(Map<K, V>& map, const K& key, const V& value, std::uint64_t seen_invalidations);
    template <typename K, typename V>
    void erase(Map<K, V>& map, const K& key);
    template <typename K, typename V>
    void clear(Map<K, V>& map);

    // Drop entries here and tell the other nodes.
    void drop_client(const Id& id);
    void drop_token(const std::string& digest);
    void drop_tokens();
    void publish(std::string message);

    core::ClientStore& clients_;
    core::AuthorizationStore& authorizations_;
    core::TokenStore& tokens_;
    core::GrantStore& grants_;
    core::RegistrationStore& registrations_;
    core::VerificationStore& verifications_;
    const std::chrono::milliseconds ttl_;
    const std::size_t max_entries_;
    Map<Id, core::Client> client_cache_;
    Map<std::string, core::AccessToken> token_cache_;
    std::function<void(std::string_view)> publisher_;
};

}  // namespace tessera::storage
