#include "storage/cached/cached_store.hpp"

#include <mutex>

#include "base/encoding.hpp"

namespace tessera::storage {

template <typename K, typename V>
std::optional<V> CachedStore::get(Map<K, V>& map, const K& key) {
    auto& shard = map.shard_for(key);
    std::shared_lock lock(shard.mutex);
    auto it = shard.entries.find(key);
    if (it == shard.entries.end() || it->second.expires <= Clock::now()) return std::nullopt;
    return it->second.value;
}

template <typename K, typename V>
void CachedStore::put(Map<K, V>& map, const K& key, const V& value,
                      std::uint64_t seen_invalidations) {
    auto& shard = map.shard_for(key);
    std::unique_lock lock(shard.mutex);
    if (map.invalidations.load() != seen_invalidations) return;
    // Crude but bounded: start the shard over rather than track recency.
    if (shard.entries.size() >= max_entries_ / Map<K, V>::kShards) shard.entries.clear();
    shard.entries.insert_or_assign(key, Entry<V>{value, Clock::now() + ttl_});
}

template <typename K, typename V>
void CachedStore::erase(Map<K, V>& map, const K& key) {
    auto& shard = map.shard_for(key);
    std::unique_lock lock(shard.mutex);
    shard.entries.erase(key);
    ++map.invalidations;
}

template <typename K, typename V>
void CachedStore::clear(Map<K, V>& map) {
    for (auto& shard : map.shards) {
        std::unique_lock lock(shard.mutex);
        shard.entries.clear();
        ++map.invalidations;
    }
}

void CachedStore::publish(std::string message) {
    if (publisher_) publisher_(message);
}

void CachedStore::drop_client(const Id& id) {
    erase(client_cache_, id);
    publish("c:" + id.uuid());
}

void CachedStore::drop_token(const std::string& digest) {
    erase(token_cache_, digest);
    publish("t:" + hex_encode({reinterpret_cast<const std::uint8_t*>(digest.data()), digest.size()}));
}

void CachedStore::drop_tokens() {
    clear(token_cache_);
    publish("T");
}

void CachedStore::apply_remote(std::string_view message) {
    if (message == "T") return clear(token_cache_);
    if (message.starts_with("c:")) {
        if (auto id = Id::parse(message.substr(2))) return erase(client_cache_, *id);
    } else if (message.starts_with("t:")) {
        if (auto digest = hex_decode(message.substr(2)))
            return erase(token_cache_, std::string(digest->begin(), digest->end()));
    }
    forget_all();  // a message this release does not know: the safe answer
}

void CachedStore::forget_all() {
    clear(client_cache_);
    clear(token_cache_);
}

Result<void> CachedStore::create_client(const core::Client& client) {
    return clients_.create_client(client);
}

Result<core::Client> CachedStore::find_client(const Id& id) {
    if (auto hit = get(client_cache_, id)) return std::move(*hit);
    auto seen = client_cache_.invalidations.load();
    auto found = clients_.find_client(id);
    if (found) put(client_cache_, id, *found, seen);
    return found;
}

Result<core::Page<core::Client>> CachedStore::list_clients_by_owner(const Id& owner,
                                                                    const core::PageQuery& query) {
    return clients_.list_clients_by_owner(owner, query);
}

Result<bool> CachedStore::create_client_within_limit(const core::Client& client, int max) {
    return clients_.create_client_within_limit(client, max);
}

Result<std::vector<core::Client>> CachedStore::list_account_clients(const Id& account_id,
                                                                    int limit) {
    return clients_.list_account_clients(account_id, limit);
}

Result<void> CachedStore::update_client_and_verification(const core::Client& client) {
    auto result = clients_.update_client_and_verification(client);
    drop_client(client.id);
    return result;
}

Result<bool> CachedStore::rotate_client_secret(const Id& id, const std::string& new_digest,
                                               const std::optional<std::string>& new_ciphertext,
                                               Timestamp now) {
    auto result = clients_.rotate_client_secret(id, new_digest, new_ciphertext, now);
    drop_client(id);
    return result;
}

Result<bool> CachedStore::drop_previous_secret(const Id& id, Timestamp now) {
    auto result = clients_.drop_previous_secret(id, now);
    drop_client(id);
    return result;
}

Result<void> CachedStore::update_client(const core::Client& client) {
    auto result = clients_.update_client(client);
    drop_client(client.id);
    return result;
}

Result<void> CachedStore::set_client_secrets(const Id& id, const std::string& current_digest,
                                             const std::optional<std::string>& previous_digest,
                                             const std::optional<std::string>& current_ciphertext,
                                             Timestamp updated_at) {
    auto result = clients_.set_client_secrets(id, current_digest, previous_digest,
                                              current_ciphertext, updated_at);
    drop_client(id);
    return result;
}

Result<core::Client> CachedStore::delete_client(const Id& id) {
    auto result = clients_.delete_client(id);
    drop_client(id);
    drop_tokens();  // every token issued under the client is revoked
    return result;
}

Result<void> CachedStore::create_authorization(const core::Authorization& authorization,
                                               const core::AccessToken& token) {
    return authorizations_.create_authorization(authorization, token);
}

Result<core::Authorization> CachedStore::find_authorization(const Id& id) {
    return authorizations_.find_authorization(id);
}

Result<core::AccessToken> CachedStore::find_access_token(const std::string& digest,
                                                         const std::optional<Id>& id) {
    if (auto hit = get(token_cache_, digest)) return std::move(*hit);
    auto seen = token_cache_.invalidations.load();
    auto found = authorizations_.find_access_token(digest, id);
    if (found) put(token_cache_, digest, *found, seen);
    return found;
}

Result<void> CachedStore::delete_authorization(const Id& id) {
    auto result = authorizations_.delete_authorization(id);
    drop_tokens();  // revocation must be seen at once
    return result;
}

Result<core::Page<core::Authorization>> CachedStore::list_authorizations_by_user(
    const Id& user_id, const core::PageQuery& query) {
    return authorizations_.list_authorizations_by_user(user_id, query);
}

Result<core::Authorization> CachedStore::find_api_key_authorization(const Id& user_id) {
    return authorizations_.find_api_key_authorization(user_id);
}

Result<std::vector<core::AccessToken>> CachedStore::list_access_tokens(const Id& authorization_id) {
    return authorizations_.list_access_tokens(authorization_id);
}

Result<void> CachedStore::update_authorization(const core::Authorization& authorization) {
    auto result = authorizations_.update_authorization(authorization);
    drop_tokens();  // its tokens' client may have changed
    return result;
}

Result<void> CachedStore::replace_access_tokens(const Id& authorization_id,
                                                const core::AccessToken& token,
                                                Timestamp updated_at) {
    auto result = authorizations_.replace_access_tokens(authorization_id, token, updated_at);
    // Cleared even on failure, as revoke_access_token() erases: the old
    // tokens must not outlive the call in this node's memory.
    drop_tokens();
    return result;
}

void CachedStore::create_access_token_async(const core::AccessToken& token,
                                            std::function<void(Result<void>)> done) {
    // A new token is not cached until it is first looked up.
    tokens_.create_access_token_async(token, std::move(done));
}

Result<void> CachedStore::create_access_token(const core::AccessToken& token) {
    return tokens_.create_access_token(token);
}

Result<bool> CachedStore::revoke_access_token(const std::string& digest,
                                              const std::optional<Id>& id) {
    auto result = tokens_.revoke_access_token(digest, id);
    // Erased even on failure: the row may be gone although the call failed.
    drop_token(digest);
    return result;
}

Result<core::AccessToken> CachedStore::find_access_token_by_id(const Id& id) {
    return tokens_.find_access_token_by_id(id);
}

Result<int> CachedStore::purge_expired_access_tokens(Timestamp now, int limit) {
    return tokens_.purge_expired_access_tokens(now, limit);
}

Result<std::vector<core::Authorization>> CachedStore::find_client_authorizations(
    const Id& user_id, const Id& client_id) {
    return grants_.find_client_authorizations(user_id, client_id);
}

Result<void> CachedStore::create_client_authorization(const core::Authorization& authorization) {
    return grants_.create_client_authorization(authorization);
}

Result<void> CachedStore::update_authorization_scope(const Id& id,
                                                     const std::vector<std::string>& scope,
                                                     const std::vector<std::string>& declined,
                                                     Timestamp updated_at) {
    return grants_.update_authorization_scope(id, scope, declined, updated_at);
}

Result<void> CachedStore::create_code(const core::AuthorizationCode& code) {
    return grants_.create_code(code);
}

Result<core::AuthorizationCode> CachedStore::find_code(const std::string& digest) {
    return grants_.find_code(digest);
}

Result<bool> CachedStore::redeem_code(const Id& code_id, Timestamp now,
                                      const core::Session& session,
                                      const std::optional<core::RefreshToken>& refresh,
                                      const core::AccessToken& access) {
    return grants_.redeem_code(code_id, now, session, refresh, access);
}

Result<bool> CachedStore::revoke_code_session(const Id& code_id) {
    auto result = grants_.revoke_code_session(code_id);
    drop_tokens();  // the session's access tokens are revoked
    return result;
}

Result<core::Session> CachedStore::find_session(const Id& id) { return grants_.find_session(id); }

Result<core::RefreshToken> CachedStore::find_refresh_token(const std::string& digest) {
    return grants_.find_refresh_token(digest);
}

Result<core::Rotation> CachedStore::rotate_refresh_token(const Id& presented, Timestamp now,
                                                         Timestamp grace_since,
                                                         const core::RefreshToken& successor,
                                                         const core::AccessToken& access) {
    auto result = grants_.rotate_refresh_token(presented, now, grace_since, successor, access);
    // reused deletes the session's tokens; reissued deletes a refresh token.
    // A failed call may have committed either.
    if (!result || *result == core::Rotation::reused || *result == core::Rotation::reissued) {
        drop_tokens();
    }
    return result;
}

Result<bool> CachedStore::add_session_access_token(const core::AccessToken& access, Timestamp now) {
    return grants_.add_session_access_token(access, now);
}

Result<bool> CachedStore::delete_session(const Id& id) {
    auto result = grants_.delete_session(id);
    drop_tokens();  // the session's access tokens are revoked
    return result;
}

Result<core::Page<core::Session>> CachedStore::list_sessions_by_user(const Id& user_id,
                                                                     const core::PageQuery& query) {
    return grants_.list_sessions_by_user(user_id, query);
}

Result<std::optional<core::SessionWithRefresh>> CachedStore::find_latest_session(
    const Id& authorization_id) {
    return grants_.find_latest_session(authorization_id);
}

Result<void> CachedStore::create_browser_session(const core::BrowserSession& session) {
    return grants_.create_browser_session(session);
}

Result<core::BrowserSession> CachedStore::find_browser_session(const std::string& digest) {
    return grants_.find_browser_session(digest);
}

Result<void> CachedStore::delete_browser_session(const std::string& digest) {
    return grants_.delete_browser_session(digest);
}

Result<int> CachedStore::purge_expired_grants(Timestamp now, int limit) {
    auto result = grants_.purge_expired_grants(now, limit);
    // Expired sessions take their access tokens with them, and those may
    // not have expired yet. Other nodes hear of it only when rows went (or
    // may have gone): a node that skipped or found nothing has nothing to say.
    clear(token_cache_);
    if (!result || *result > 0) publish("T");
    return result;
}

Result<void> CachedStore::create_initial_access_token(const core::InitialAccessToken& token) {
    return registrations_.create_initial_access_token(token);
}

Result<core::InitialAccessToken> CachedStore::find_initial_access_token(const std::string& digest) {
    return registrations_.find_initial_access_token(digest);
}

Result<void> CachedStore::create_registered_client(
    const core::Client& client, const std::optional<std::string>& initial_token_digest,
    Timestamp now) {
    auto result = registrations_.create_registered_client(client, initial_token_digest, now);
    erase(client_cache_, client.id);  // a new id: no other node has it
    return result;
}

Result<std::vector<std::pair<Id, core::UriVerification>>> CachedStore::list_open_verifications(
    Timestamp checked_before, int limit) {
    return verifications_.list_open_verifications(checked_before, limit);
}

Result<bool> CachedStore::update_uri_verification(const Id& client_id,
                                                  const core::UriVerification& expected,
                                                  const core::UriVerification& next) {
    auto result = verifications_.update_uri_verification(client_id, expected, next);
    drop_client(client_id);
    return result;
}

}  // namespace tessera::storage
