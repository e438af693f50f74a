#include "storage/cached/cached_store.hpp"

#include <functional>
#include <thread>

#include <gtest/gtest.h>

#include "base/encoding.hpp"
#include "base/random.hpp"
#include "storage/sqlite/memory_store.hpp"

namespace tessera::storage {
namespace {

// Counts the reads that reach the real store.
class CountingStore final : public core::ClientStore,
                            public core::AuthorizationStore,
                            public core::TokenStore {
public:
    explicit CountingStore(sqlite::SqliteStore& inner) : inner_(inner) {}
    int client_reads = 0, token_reads = 0;
    // Runs after a token read has reached the store, before the caller caches it.
    std::function<void()> after_token_read;

    Result<void> create_client(const core::Client& c) override { return inner_.create_client(c); }
    Result<core::Client> find_client(const Id& id) override {
        ++client_reads;
        return inner_.find_client(id);
    }
    Result<core::Page<core::Client>> list_clients_by_owner(const Id& o,
                                                           const core::PageQuery& q) override {
        return inner_.list_clients_by_owner(o, q);
    }
    Result<bool> create_client_within_limit(const core::Client& c, int max) override {
        return inner_.create_client_within_limit(c, max);
    }
    Result<std::vector<core::Client>> list_account_clients(const Id& a, int limit) override {
        return inner_.list_account_clients(a, limit);
    }
    Result<void> update_client(const core::Client& c) override { return inner_.update_client(c); }
    Result<void> update_client_and_verification(const core::Client& c) override {
        return inner_.update_client_and_verification(c);
    }
    Result<bool> rotate_client_secret(const Id& id, const std::string& d,
                                      const std::optional<std::string>& ct, Timestamp t) override {
        return inner_.rotate_client_secret(id, d, ct, t);
    }
    Result<bool> drop_previous_secret(const Id& id, Timestamp t) override {
        return inner_.drop_previous_secret(id, t);
    }
    Result<void> set_client_secrets(const Id& id, const std::string& cur,
                                    const std::optional<std::string>& prev,
                                    const std::optional<std::string>& ct, Timestamp t) override {
        return inner_.set_client_secrets(id, cur, prev, ct, t);
    }
    Result<core::Client> delete_client(const Id& id) override { return inner_.delete_client(id); }
    Result<void> create_authorization(const core::Authorization& a,
                                      const core::AccessToken& t) override {
        return inner_.create_authorization(a, t);
    }
    Result<core::Authorization> find_authorization(const Id& id) override {
        return inner_.find_authorization(id);
    }
    Result<core::AccessToken> find_access_token(
        const std::string& d, const std::optional<Id>& id = std::nullopt) override {
        ++token_reads;
        auto found = inner_.find_access_token(d, id);
        if (after_token_read) after_token_read();
        return found;
    }
    Result<void> delete_authorization(const Id& id) override {
        return inner_.delete_authorization(id);
    }
    Result<core::Page<core::Authorization>> list_authorizations_by_user(
        const Id& u, const core::PageQuery& q) override {
        return inner_.list_authorizations_by_user(u, q);
    }
    Result<core::Authorization> find_api_key_authorization(const Id& u) override {
        return inner_.find_api_key_authorization(u);
    }
    Result<std::vector<core::AccessToken>> list_access_tokens(const Id& a) override {
        return inner_.list_access_tokens(a);
    }
    Result<void> update_authorization(const core::Authorization& a) override {
        return inner_.update_authorization(a);
    }
    Result<void> replace_access_tokens(const Id& a, const core::AccessToken& t,
                                       Timestamp u) override {
        return inner_.replace_access_tokens(a, t, u);
    }
    Result<void> create_access_token(const core::AccessToken& t) override {
        return inner_.create_access_token(t);
    }
    Result<bool> revoke_access_token(const std::string& d,
                                     const std::optional<Id>& id = std::nullopt) override {
        return inner_.revoke_access_token(d, id);
    }
    Result<core::AccessToken> find_access_token_by_id(const Id& id) override {
        return inner_.find_access_token_by_id(id);
    }
    Result<int> purge_expired_access_tokens(Timestamp now, int limit) override {
        return inner_.purge_expired_access_tokens(now, limit);
    }

private:
    sqlite::SqliteStore& inner_;
};

class CachedStoreTest : public ::testing::Test {
protected:
    CachedStoreTest()
        : counting_(store_), cached_(counting_, counting_, counting_, store_, store_, store_) {
        core::Account account{Id::generate(random_), "a", 0};
        user_ = core::User{Id::generate(random_), "u@example.com", "", "", account.id, 0, 0};
        EXPECT_TRUE(store_.create_user(user_, account).has_value());
        client_.id = Id::generate(random_);
        client_.account_id = account.id;
        client_.owner_id = user_.id;
        client_.name = "app";
        client_.redirect_uris = {"https://example.com/cb"};
        client_.grant_types = {"authorization_code", "client_credentials"};
        client_.secret_digest = std::string(32, 's');
        EXPECT_TRUE(cached_.create_client(client_).has_value());
        authorization_ = core::Authorization{
            Id::generate(random_), user_.id, client_.id, {"global"}, "", false, 0, 0};
        token_ = core::AccessToken{Id::generate(random_),
                                   authorization_.id,
                                   user_.id,
                                   client_.id,
                                   std::string(32, 'd'),
                                   "HRKU-abcd**********wxyz",
                                   {"global"},
                                   {},
                                   0,
                                   std::nullopt};
        EXPECT_TRUE(cached_.create_authorization(authorization_, token_).has_value());
    }

    // A session started by redeeming a fresh code through the cache.
    struct Family {
        core::AuthorizationCode code;
        core::Session session;
        core::RefreshToken refresh;
        core::AccessToken access;
    };
    Family start_session(std::optional<Timestamp> expires_at = std::nullopt) {
        Family f;
        f.code.id = Id::generate(random_);
        f.code.digest = "code-" + f.code.id.hex();
        f.code.authorization_id = authorization_.id;
        f.code.client_id = client_.id;
        f.code.user_id = user_.id;
        f.code.expires_at = 60;
        EXPECT_TRUE(cached_.create_code(f.code).has_value());
        f.session = core::Session{Id::generate(random_),
                                  authorization_.id,
                                  user_.id,
                                  client_.id,
                                  "0123456789abcdef",
                                  "",
                                  {"global"},
                                  expires_at,
                                  0,
                                  0};
        f.refresh.id = Id::generate(random_);
        f.refresh.digest = "refresh-" + f.refresh.id.hex();
        f.access = session_access();
        auto redeemed = cached_.redeem_code(f.code.id, 0, f.session, f.refresh, f.access);
        EXPECT_TRUE(redeemed.has_value() && *redeemed);
        return f;
    }
    core::AccessToken session_access() {
        core::AccessToken access = token_;
        access.id = Id::generate(random_);
        access.digest = "access-" + access.id.hex();
        return access;
    }

    SystemRandom random_;
    sqlite::MemoryStore memory_;
    sqlite::SqliteStore& store_ = memory_.store();
    CountingStore counting_;
    CachedStore cached_;
    core::User user_;
    core::Client client_;
    core::Authorization authorization_;
    core::AccessToken token_;
};

TEST_F(CachedStoreTest, RepeatedReadsAreServedFromMemory) {
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(cached_.find_client(client_.id)->name, "app");
        EXPECT_EQ(cached_.find_access_token(token_.digest)->id, token_.id);
    }
    EXPECT_EQ(counting_.client_reads, 1);
    EXPECT_EQ(counting_.token_reads, 1);
}

TEST_F(CachedStoreTest, WritesInvalidateWhatTheyTouch) {
    ASSERT_TRUE(cached_.find_client(client_.id).has_value());
    auto renamed = client_;
    renamed.name = "renamed";
    ASSERT_TRUE(cached_.update_client(renamed).has_value());
    EXPECT_EQ(cached_.find_client(client_.id)->name, "renamed");
    ASSERT_TRUE(
        cached_.set_client_secrets(client_.id, std::string(32, 'n'), {}, {}, 5).has_value());
    EXPECT_EQ(cached_.find_client(client_.id)->secret_digest, std::string(32, 'n'));
}

TEST_F(CachedStoreTest, RevocationIsSeenAtOnce) {
    ASSERT_TRUE(cached_.find_access_token(token_.digest).has_value());
    ASSERT_TRUE(cached_.delete_authorization(authorization_.id).has_value());
    EXPECT_EQ(cached_.find_access_token(token_.digest).error().code, Code::not_found);
}

TEST_F(CachedStoreTest, DeletingAClientRevokesItsCachedTokens) {
    ASSERT_TRUE(cached_.find_access_token(token_.digest).has_value());
    ASSERT_TRUE(cached_.find_client(client_.id).has_value());
    ASSERT_TRUE(cached_.delete_client(client_.id).has_value());
    EXPECT_EQ(cached_.find_access_token(token_.digest).error().code, Code::not_found);
    EXPECT_EQ(cached_.find_client(client_.id).error().code, Code::not_found);
}

TEST_F(CachedStoreTest, RevokedTokenIsGoneFromTheCacheAtOnce) {
    core::AccessToken standalone{
        Id::generate(random_),     std::nullopt, std::nullopt, client_.id, std::string(32, 'c'),
        "HRKU-efgh**********stuv", {"read"},     {},           0,          std::nullopt};
    ASSERT_TRUE(cached_.create_access_token(standalone).has_value());
    ASSERT_TRUE(cached_.find_access_token(standalone.digest).has_value());
    ASSERT_TRUE(cached_.find_access_token(token_.digest).has_value());
    ASSERT_EQ(counting_.token_reads, 2);

    auto revoked = cached_.revoke_access_token(standalone.digest);
    ASSERT_TRUE(revoked.has_value());
    EXPECT_TRUE(*revoked);
    auto gone = cached_.find_access_token(standalone.digest);
    ASSERT_FALSE(gone.has_value());
    EXPECT_EQ(gone.error().code, Code::not_found);
    EXPECT_EQ(counting_.token_reads, 3);
    // Only that digest was dropped: the other token is still served from memory.
    EXPECT_EQ(cached_.find_access_token(token_.digest)->id, token_.id);
    EXPECT_EQ(counting_.token_reads, 3);
    auto again = cached_.revoke_access_token(standalone.digest);
    ASSERT_TRUE(again.has_value());
    EXPECT_FALSE(*again);
}

TEST_F(CachedStoreTest, ReplacedTokensAreGoneFromTheCacheAtOnce) {
    ASSERT_TRUE(cached_.find_access_token(token_.digest).has_value());
    ASSERT_TRUE(cached_.find_access_token(token_.digest).has_value());
    ASSERT_EQ(counting_.token_reads, 1);  // the second read was served from memory

    core::AccessToken replacement = token_;
    replacement.id = Id::generate(random_);
    replacement.digest = std::string(32, 'r');
    ASSERT_TRUE(cached_.replace_access_tokens(authorization_.id, replacement, 42).has_value());

    auto gone = cached_.find_access_token(token_.digest);
    ASSERT_FALSE(gone.has_value());
    EXPECT_EQ(gone.error().code, Code::not_found);
    EXPECT_EQ(counting_.token_reads, 2);
    auto found = cached_.find_access_token(replacement.digest);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->id, replacement.id);
    EXPECT_EQ(cached_.find_authorization(authorization_.id)->updated_at, 42);
}

TEST_F(CachedStoreTest, AuthorizationReadsAndUpdatesAreForwarded) {
    auto described = authorization_;
    described.description = "laptop";
    described.updated_at = 7;
    ASSERT_TRUE(cached_.update_authorization(described).has_value());
    auto found = cached_.find_authorization(authorization_.id);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->description, "laptop");
    EXPECT_EQ(found->updated_at, 7);

    auto page = cached_.list_authorizations_by_user(user_.id, core::PageQuery{});
    ASSERT_TRUE(page.has_value());
    ASSERT_EQ(page->items.size(), 1u);
    EXPECT_EQ(page->items[0].id, authorization_.id);
    EXPECT_FALSE(page->has_more);

    auto tokens = cached_.list_access_tokens(authorization_.id);
    ASSERT_TRUE(tokens.has_value());
    ASSERT_EQ(tokens->size(), 1u);
    EXPECT_EQ((*tokens)[0].digest, token_.digest);

    auto api_key = cached_.find_api_key_authorization(user_.id);
    ASSERT_FALSE(api_key.has_value());
    EXPECT_EQ(api_key.error().code, Code::not_found);
}

TEST_F(CachedStoreTest, DeletingASessionRevokesItsCachedTokensAtOnce) {
    Family family = start_session();
    ASSERT_TRUE(cached_.find_access_token(family.access.digest).has_value());
    ASSERT_TRUE(cached_.find_access_token(family.access.digest).has_value());
    ASSERT_EQ(counting_.token_reads, 1);  // now served from memory

    auto deleted = cached_.delete_session(family.session.id);
    ASSERT_TRUE(deleted.has_value());
    EXPECT_TRUE(*deleted);
    auto gone = cached_.find_access_token(family.access.digest);
    ASSERT_FALSE(gone.has_value());
    EXPECT_EQ(gone.error().code, Code::not_found);
    EXPECT_EQ(counting_.token_reads, 2);
}

TEST_F(CachedStoreTest, EveryCallThatEndsASessionDropsCachedTokens) {
    const std::function<void(const Family&)> ends[] = {
        [&](const Family& f) { EXPECT_TRUE(cached_.revoke_code_session(f.code.id).value()); },
        [&](const Family& f) {  // a replayed refresh token
            core::RefreshToken next{.id = Id::generate(random_),
                                    .digest = "next-" + f.refresh.id.hex()};
            ASSERT_EQ(
                cached_.rotate_refresh_token(f.refresh.id, 5, 0, next, session_access()).value(),
                core::Rotation::rotated);
            ASSERT_TRUE(cached_.find_access_token(f.access.digest).has_value());  // cached again
            core::RefreshToken again{.id = Id::generate(random_),
                                     .digest = "again-" + f.refresh.id.hex()};
            EXPECT_EQ(cached_.rotate_refresh_token(f.refresh.id, 100, 50, again, session_access())
                          .value(),
                      core::Rotation::reused);
        },
        [&](const Family&) { EXPECT_EQ(cached_.purge_expired_grants(20, 10).value(), 1); },
    };
    for (const auto& end : ends) {
        Family family = start_session(10);
        ASSERT_TRUE(cached_.find_access_token(family.access.digest).has_value());
        int reads = counting_.token_reads;
        ASSERT_TRUE(cached_.find_access_token(family.access.digest).has_value());
        ASSERT_EQ(counting_.token_reads, reads);  // served from memory
        end(family);
        auto gone = cached_.find_access_token(family.access.digest);
        ASSERT_FALSE(gone.has_value());
        EXPECT_EQ(gone.error().code, Code::not_found);
        EXPECT_FALSE(cached_.find_session(family.session.id).has_value());
    }
    // The authorization's own token outlives its sessions.
    EXPECT_EQ(cached_.find_access_token(token_.digest)->id, token_.id);
}

TEST_F(CachedStoreTest, GrantReadsAndWritesAreForwarded) {
    Family family = start_session();
    auto code = cached_.find_code(family.code.digest);
    ASSERT_TRUE(code.has_value());
    EXPECT_EQ(code->session_id, family.session.id);
    EXPECT_EQ(cached_.find_session(family.session.id)->nonce, "0123456789abcdef");
    EXPECT_EQ(cached_.find_refresh_token(family.refresh.digest)->session_id, family.session.id);
    EXPECT_EQ(cached_.find_client_authorizations(user_.id, client_.id)->size(), 1u);
    ASSERT_TRUE(cached_.update_authorization_scope(authorization_.id, {"read"}, {}, 9).has_value());
    EXPECT_EQ(cached_.find_authorization(authorization_.id)->scope,
              std::vector<std::string>{"read"});
    core::AccessToken more = session_access();
    more.session_id = family.session.id;
    EXPECT_TRUE(cached_.add_session_access_token(more, 7).value());
    EXPECT_EQ(cached_.list_sessions_by_user(user_.id, core::PageQuery{})->items.size(), 1u);
    auto latest = cached_.find_latest_session(authorization_.id);
    ASSERT_TRUE(latest.has_value() && latest->has_value());
    EXPECT_EQ((*latest)->session.id, family.session.id);
    EXPECT_EQ((*latest)->refresh_token->id, family.refresh.id);

    core::Authorization second{
        Id::generate(random_), user_.id, client_.id, {"global"}, "", false, 1, 1};
    ASSERT_TRUE(cached_.create_client_authorization(second).has_value());
    EXPECT_EQ(cached_.find_client_authorizations(user_.id, client_.id)->size(), 2u);

    core::BrowserSession browser{Id::generate(random_), std::string(32, 'b'), user_.id, 1, 2, 1};
    ASSERT_TRUE(cached_.create_browser_session(browser).has_value());
    EXPECT_EQ(cached_.find_browser_session(browser.digest)->id, browser.id);
    ASSERT_TRUE(cached_.delete_browser_session(browser.digest).has_value());
    EXPECT_FALSE(cached_.find_browser_session(browser.digest).has_value());
}

TEST_F(CachedStoreTest, RegistrationCallsAreForwardedAndARegisteredClientIsFresh) {
    core::InitialAccessToken token{
        Id::generate(random_), std::string(32, 'i'), 1, 0, std::nullopt, 0};
    ASSERT_TRUE(cached_.create_initial_access_token(token).has_value());
    EXPECT_EQ(cached_.find_initial_access_token(token.digest)->id, token.id);
    core::Client registered = client_;
    registered.id = Id::generate(random_);
    registered.registration_token_digest = std::string(32, 'r');
    // A lookup before it exists caches nothing, so the new client is seen at once.
    EXPECT_EQ(cached_.find_client(registered.id).error().code, Code::not_found);
    ASSERT_TRUE(cached_.create_registered_client(registered, token.digest, 0).has_value());
    EXPECT_EQ(cached_.find_client(registered.id)->registration_token_digest,
              registered.registration_token_digest);
    EXPECT_EQ(cached_.find_initial_access_token(token.digest)->uses, 1);
    EXPECT_EQ(cached_.create_registered_client(registered, token.digest, 0).error().code,
              Code::invalid_token);
    // An RFC 7592 update or delete through the cache is seen at once.
    registered.name = "renamed";
    ASSERT_TRUE(cached_.update_client(registered).has_value());
    EXPECT_EQ(cached_.find_client(registered.id)->name, "renamed");
    ASSERT_TRUE(cached_.delete_client(registered.id).has_value());
    EXPECT_EQ(cached_.find_client(registered.id).error().code, Code::not_found);
}

TEST_F(CachedStoreTest, EntriesExpireSoOtherWritersAreSeen) {
    CachedStore short_lived(counting_, counting_, counting_, store_, store_, store_,
                            std::chrono::milliseconds(0));
    ASSERT_TRUE(short_lived.find_access_token(token_.digest).has_value());
    ASSERT_TRUE(store_.delete_authorization(authorization_.id).has_value());  // behind its back
    EXPECT_EQ(short_lived.find_access_token(token_.digest).error().code, Code::not_found);
}

TEST_F(CachedStoreTest, ARevocationRacingAReadIsNotUndoneByTheCache) {
    // The read reaches the store before the revocation and would cache after it.
    counting_.after_token_read = [&] {
        counting_.after_token_read = nullptr;
        ASSERT_TRUE(cached_.delete_authorization(authorization_.id).has_value());
    };
    EXPECT_TRUE(cached_.find_access_token(token_.digest).has_value());  // the racing read
    EXPECT_EQ(cached_.find_access_token(token_.digest).error().code, Code::not_found);
}

TEST_F(CachedStoreTest, AVerifierWriteErasesTheCachedClient) {
    core::Client client = store_.find_client(client_.id).value();
    client.client_uri = "https://app.example";
    client.uri_verification = core::UriVerification{core::UriVerification::Status::pending,
                                                    "app.example", std::string(32, 'b'), 100, 0};
    ASSERT_TRUE(store_.update_client_and_verification(client).has_value());
    ASSERT_TRUE(cached_.find_client(client_.id).has_value());  // cached now
    core::UriVerification verified = *client.uri_verification;
    verified.status = core::UriVerification::Status::verified;
    auto written = cached_.update_uri_verification(client_.id, *client.uri_verification, verified);
    ASSERT_TRUE(written.has_value());
    EXPECT_TRUE(*written);
    auto seen = cached_.find_client(client_.id);
    ASSERT_TRUE(seen.has_value());
    EXPECT_EQ(seen->uri_verification->status, core::UriVerification::Status::verified);
}

// A digest as the channel's messages spell it.
std::string hex_of(const std::string& digest) {
    return hex_encode({reinterpret_cast<const std::uint8_t*>(digest.data()), digest.size()});
}

// What another node's writes look like here: messages from the channel.
TEST_F(CachedStoreTest, WritesPublishWhatTheyDrop) {
    std::vector<std::string> sent;
    cached_.set_publisher([&sent](std::string_view message) { sent.emplace_back(message); });
    auto renamed = client_;
    renamed.name = "renamed";
    ASSERT_TRUE(cached_.update_client(renamed).has_value());
    const std::string unknown(32, 'x');
    ASSERT_TRUE(cached_.revoke_access_token(unknown).has_value());
    ASSERT_TRUE(cached_.purge_expired_grants(0, 10).has_value());  // nothing purged: silent
    ASSERT_TRUE(cached_.delete_authorization(authorization_.id).has_value());
    EXPECT_EQ(sent, (std::vector<std::string>{"c:" + client_.id.uuid(), "t:" + hex_of(unknown),
                                              "T"}));
}

TEST_F(CachedStoreTest, RemoteMessagesDropWhatTheyName) {
    // Cached here, then changed behind the cache, as another node would.
    ASSERT_TRUE(cached_.find_client(client_.id).has_value());
    ASSERT_TRUE(cached_.find_access_token(token_.digest).has_value());
    auto renamed = client_;
    renamed.name = "renamed elsewhere";
    ASSERT_TRUE(store_.update_client(renamed).has_value());
    ASSERT_TRUE(store_.revoke_access_token(token_.digest).has_value());
    EXPECT_EQ(cached_.find_client(client_.id)->name, "app");  // stale until told
    EXPECT_TRUE(cached_.find_access_token(token_.digest).has_value());

    cached_.apply_remote("c:" + client_.id.uuid());
    EXPECT_EQ(cached_.find_client(client_.id)->name, "renamed elsewhere");
    EXPECT_TRUE(cached_.find_access_token(token_.digest).has_value());  // not named yet
    cached_.apply_remote("t:" + hex_of(token_.digest));
    EXPECT_EQ(cached_.find_access_token(token_.digest).error().code, Code::not_found);
}

// Without any message, the default lifetime alone makes a write by another
// process visible within one second (the bound README promises).
TEST_F(CachedStoreTest, WithoutMessagesAnEntryIsReadAgainWithinOneSecond) {
    CachedStore cached(store_, store_, store_, store_, store_, store_);
    ASSERT_TRUE(cached.find_client(client_.id).has_value());
    auto renamed = client_;
    renamed.name = "renamed elsewhere";
    ASSERT_TRUE(store_.update_client(renamed).has_value());
    EXPECT_EQ(cached.find_client(client_.id)->name, "app");  // served from memory
    std::this_thread::sleep_for(std::chrono::seconds(1));
    EXPECT_EQ(cached.find_client(client_.id)->name, "renamed elsewhere");
}

TEST_F(CachedStoreTest, AllTokensOrAnUnknownMessageDropMore) {
    core::AccessToken other = session_access();
    ASSERT_TRUE(store_.create_access_token(other).has_value());
    ASSERT_TRUE(cached_.find_access_token(other.digest).has_value());
    ASSERT_TRUE(cached_.find_client(client_.id).has_value());
    ASSERT_TRUE(store_.revoke_access_token(other.digest).has_value());
    cached_.apply_remote("T");
    EXPECT_EQ(cached_.find_access_token(other.digest).error().code, Code::not_found);

    const int reads = counting_.client_reads;
    cached_.apply_remote("x:from a newer release");
    ASSERT_TRUE(cached_.find_client(client_.id).has_value());
    EXPECT_EQ(counting_.client_reads, reads + 1);  // the client was dropped too
}

}  // namespace
}  // namespace tessera::storage
