#include "storage/cached/cached_store.hpp"

#include <gtest/gtest.h>

#include "base/random.hpp"
#include "storage/sqlite/memory_store.hpp"

namespace tessera::storage {
namespace {

// Counts the reads that reach the real store.
class CountingStore final : public core::ClientStore, public core::AuthorizationStore {
public:
    explicit CountingStore(sqlite::SqliteStore& inner) : inner_(inner) {}
    int client_reads = 0, token_reads = 0;

    Result<void> create_client(const core::Client& c) override { return inner_.create_client(c); }
    Result<core::Client> find_client(const Id& id) override {
        ++client_reads;
        return inner_.find_client(id);
    }
    Result<core::Page<core::Client>> list_clients_by_owner(const Id& o,
                                                           const core::PageQuery& q) override {
        return inner_.list_clients_by_owner(o, q);
    }
    Result<void> update_client(const core::Client& c) override { return inner_.update_client(c); }
    Result<void> set_client_secrets(const Id& id, const std::string& cur,
                                    const std::optional<std::string>& prev, Timestamp t) override {
        return inner_.set_client_secrets(id, cur, prev, t);
    }
    Result<core::Client> delete_client(const Id& id) override { return inner_.delete_client(id); }
    Result<void> create_authorization(const core::Authorization& a,
                                      const core::AccessToken& t) override {
        return inner_.create_authorization(a, t);
    }
    Result<core::Authorization> find_authorization(const Id& id) override {
        return inner_.find_authorization(id);
    }
    Result<core::AccessToken> find_access_token(const std::string& d) override {
        ++token_reads;
        return inner_.find_access_token(d);
    }
    Result<void> delete_authorization(const Id& id) override {
        return inner_.delete_authorization(id);
    }

private:
    sqlite::SqliteStore& inner_;
};

class CachedStoreTest : public ::testing::Test {
protected:
    CachedStoreTest() : counting_(store_), cached_(counting_, counting_) {
        core::Account account{Id::generate(random_), "a", 0};
        user_ = core::User{Id::generate(random_), "u@example.com", "", "", account.id, 0, 0};
        EXPECT_TRUE(store_.create_user(user_, account).has_value());
        client_ = core::Client{
            Id::generate(random_), account.id, user_.id, "app", {"https://example.com/cb"},
            std::string(32, 's'),  {},         0,        0};
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
                                   0};
        EXPECT_TRUE(cached_.create_authorization(authorization_, token_).has_value());
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
    ASSERT_TRUE(cached_.set_client_secrets(client_.id, std::string(32, 'n'), {}, 5).has_value());
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

TEST_F(CachedStoreTest, EntriesExpireSoOtherWritersAreSeen) {
    CachedStore short_lived(counting_, counting_, std::chrono::milliseconds(0));
    ASSERT_TRUE(short_lived.find_access_token(token_.digest).has_value());
    ASSERT_TRUE(store_.delete_authorization(authorization_.id).has_value());  // behind its back
    EXPECT_EQ(short_lived.find_access_token(token_.digest).error().code, Code::not_found);
}

}  // namespace
}  // namespace tessera::storage
