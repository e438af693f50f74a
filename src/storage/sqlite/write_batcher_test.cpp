// Group commit of access tokens (SqliteStore::create_access_token_async over
// a WriteBatcher): every write is reported once, concurrent writers share
// transactions, and a bad write fails alone.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

#include "storage/sqlite/access_token_rows.hpp"
#include "storage/sqlite/sqlite_test_fixture.hpp"

namespace tessera::storage::sqlite {
namespace {

class SqliteWriteBatcher : public StoreTest {
protected:
    void SetUp() override {
        StoreTest::SetUp();
        if (HasFatalFailure()) return;
        client_ = create_client(create_user("alice@example.com"), "Machine");
    }
    core::Client client_;
};

TEST_P(SqliteWriteBatcher, ReportsEachWriteOnceAfterItIsCommitted) {
    constexpr int kThreads = 4, kEach = 250;
    std::vector<std::vector<core::AccessToken>> tokens(kThreads);
    for (auto& list : tokens)
        for (int i = 0; i < kEach; ++i) list.push_back(standalone_token_for(client_.id));
    std::atomic<int> ok{0}, failed{0};
    std::promise<void> all_done;
    std::atomic<int> remaining{kThreads * kEach};
    std::vector<std::thread> writers;
    for (int t = 0; t < kThreads; ++t) {
        writers.emplace_back([&, t] {
            for (const auto& token : tokens[t]) {
                store_->create_access_token_async(token, [&](Result<void> r) {
                    (r.has_value() ? ok : failed)++;
                    if (--remaining == 0) all_done.set_value();
                });
            }
        });
    }
    for (auto& w : writers) w.join();
    all_done.get_future().wait();
    EXPECT_EQ(ok.load(), kThreads * kEach);
    EXPECT_EQ(failed.load(), 0);
    EXPECT_EQ(query_int("SELECT count(*) FROM access_tokens"), kThreads * kEach);
    for (const auto& list : tokens)
        for (const auto& token : list) EXPECT_TRUE(store_->find_access_token(token.digest));
}

TEST_P(SqliteWriteBatcher, ABadWriteFailsAloneAndTheOthersAreWritten) {
    core::AccessToken first = standalone_token_for(client_.id);
    core::AccessToken duplicate = standalone_token_for(client_.id);
    duplicate.digest = first.digest;                                         // UNIQUE: must fail
    core::AccessToken orphan = standalone_token_for(Id::generate(random_));  // no such client
    core::AccessToken last = standalone_token_for(client_.id);
    std::vector<std::promise<Result<void>>> results(4);
    const core::AccessToken* order[] = {&first, &duplicate, &orphan, &last};
    for (int i = 0; i < 4; ++i)
        store_->create_access_token_async(
            *order[i], [&, i](Result<void> r) { results[i].set_value(std::move(r)); });
    EXPECT_TRUE(results[0].get_future().get().has_value());
    auto dup = results[1].get_future().get();
    ASSERT_FALSE(dup.has_value());
    EXPECT_EQ(dup.error().code, Code::conflict);
    auto orphaned = results[2].get_future().get();
    ASSERT_FALSE(orphaned.has_value());
    EXPECT_EQ(orphaned.error().code, Code::internal);
    EXPECT_TRUE(results[3].get_future().get().has_value());
    EXPECT_EQ(query_int("SELECT count(*) FROM access_tokens"), 2);
}

TEST_P(SqliteWriteBatcher, DestroyingTheBatcherFinishesWhatWasSubmitted) {
    std::atomic<int> reported{0};
    std::vector<core::AccessToken> tokens;
    for (int i = 0; i < 100; ++i) tokens.push_back(standalone_token_for(client_.id));
    {
        WriteBatcher batcher(*database_, 8);
        for (const auto& token : tokens)
            batcher.submit([&token](Connection& c) { return insert_access_token(c, token); },
                           [&](Result<void> r) { reported += r.has_value() ? 1 : 1000; });
    }
    EXPECT_EQ(reported.load(), 100);
    EXPECT_EQ(query_int("SELECT count(*) FROM access_tokens"), 100);
}

INSTANTIATE_TEST_SUITE_P(Backends, SqliteWriteBatcher, kBothBackends, backend_name);

}  // namespace
}  // namespace tessera::storage::sqlite
