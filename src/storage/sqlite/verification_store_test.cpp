#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "storage/sqlite/sqlite_test_fixture.hpp"

namespace tessera::storage::sqlite {
namespace {

using Status = core::UriVerification::Status;

// The client store does not write verification columns yet: these tests set
// and read them with SQL of their own.
class SqliteVerificationStore : public StoreTest {
protected:
    void SetUp() override {
        StoreTest::SetUp();
        if (HasFatalFailure()) return;
        owner_ = create_user("owner@example.com");
    }

    static core::UriVerification verification(Status status, std::string host, Timestamp checked_at,
                                              std::string token = std::string(32, 'a')) {
        return {status, std::move(host), std::move(token), 5000, checked_at};
    }

    // A new client whose verification columns hold `v` (all NULL for nullopt).
    Id client_with(const std::optional<core::UriVerification>& v) {
        Id id = create_client(owner_, "app").id;
        if (v) set_columns(id, *v);
        return id;
    }

    void set_columns(const Id& id, const core::UriVerification& v) {
        auto done = database_->with_connection([&](Connection& c) -> Result<void> {
            TESSERA_TRY_ASSIGN(Statement s,
                               c.prepare("UPDATE clients SET verification_status = ?2,"
                                         " verification_host = ?3, verification_token = ?4,"
                                         " verification_deadline = ?5,"
                                         " verification_checked_at = ?6 WHERE id = ?1"));
            s.bind_id(1, id)
                .bind_text(2, core::to_string(v.status))
                .bind_text(3, v.host)
                .bind_text(4, v.token)
                .bind_int(5, v.deadline)
                .bind_int(6, v.checked_at);
            return s.run();
        });
        ASSERT_TRUE(done.has_value()) << done.error().log_detail;
    }

    // The verification columns of `id`, as "status host token deadline checked_at".
    std::string columns(const Id& id) {
        auto row = database_->with_connection([&](Connection& c) -> Result<std::string> {
            TESSERA_TRY_ASSIGN(Statement s,
                               c.prepare("SELECT verification_status || ' ' || verification_host"
                                         " || ' ' || verification_token || ' ' ||"
                                         " verification_deadline || ' ' ||"
                                         " verification_checked_at FROM clients WHERE id = ?1"));
            s.bind_id(1, id);
            TESSERA_TRY_ASSIGN(bool found, s.step());
            if (!found) return make_error(Code::not_found, "no client");
            return s.column_text(0);
        });
        EXPECT_TRUE(row.has_value()) << row.error().log_detail;
        return row.has_value() ? *row : std::string();
    }

    std::vector<Id> open_ids(Timestamp checked_before, int limit) {
        auto open = store_->list_open_verifications(checked_before, limit);
        EXPECT_TRUE(open.has_value()) << open.error().log_detail;
        std::vector<Id> ids;
        if (open)
            for (const auto& [id, v] : *open) ids.push_back(id);
        return ids;
    }

    core::User owner_;
};

TEST_P(SqliteVerificationStore, ListsOpenOnesCheckedBeforeTheTimeLongestUncheckedFirst) {
    Id late = client_with(verification(Status::in_progress, "c.example", 200));
    Id never = client_with(verification(Status::pending, "a.example", 0));
    Id earlier = client_with(verification(Status::in_progress, "b.example", 100));
    client_with(verification(Status::verified, "v.example", 50));
    client_with(verification(Status::failed, "f.example", 10));
    client_with(std::nullopt);

    EXPECT_EQ(open_ids(150, 10), (std::vector<Id>{never, earlier}));
    EXPECT_EQ(open_ids(201, 10), (std::vector<Id>{never, earlier, late}));
    EXPECT_EQ(open_ids(201, 2), (std::vector<Id>{never, earlier}));
    EXPECT_EQ(open_ids(0, 10), std::vector<Id>{});
    EXPECT_EQ(open_ids(201, 0), std::vector<Id>{});

    auto open = store_->list_open_verifications(101, 10);
    ASSERT_TRUE(open.has_value());
    ASSERT_EQ(open->size(), 2u);
    const core::UriVerification& v = (*open)[1].second;
    EXPECT_EQ(v.status, Status::in_progress);
    EXPECT_EQ(v.host, "b.example");
    EXPECT_EQ(v.token, std::string(32, 'a'));
    EXPECT_EQ(v.deadline, 5000);
    EXPECT_EQ(v.checked_at, 100);
}

TEST_P(SqliteVerificationStore, ANullCheckedAtIsNeverChecked) {
    Id id = client_with(verification(Status::pending, "a.example", 0));
    ASSERT_EQ(query_int("SELECT count(*) FROM clients WHERE verification_checked_at = 0"), 1);
    auto cleared = database_->with_connection([](Connection& c) {
        return c.execute("UPDATE clients SET verification_checked_at = NULL");
    });
    ASSERT_TRUE(cleared.has_value());
    auto open = store_->list_open_verifications(1, 10);
    ASSERT_TRUE(open.has_value()) << open.error().log_detail;
    ASSERT_EQ(open->size(), 1u);
    EXPECT_EQ((*open)[0].first, id);
    EXPECT_EQ((*open)[0].second.checked_at, 0);
}

TEST_P(SqliteVerificationStore, AnOpenRowWithoutItsHostIsMalformed) {
    client_with(verification(Status::pending, "a.example", 0));
    auto cleared = database_->with_connection(
        [](Connection& c) { return c.execute("UPDATE clients SET verification_host = NULL"); });
    ASSERT_TRUE(cleared.has_value());
    auto open = store_->list_open_verifications(1, 10);
    ASSERT_FALSE(open.has_value());
    EXPECT_EQ(open.error().code, Code::internal);
}

TEST_P(SqliteVerificationStore, ListingUsesThePartialIndex) {
    auto plan = database_->with_connection([](Connection& c) -> Result<std::string> {
        TESSERA_TRY_ASSIGN(
            Statement s,
            c.prepare("EXPLAIN QUERY PLAN SELECT id FROM clients"
                      " WHERE verification_status IN ('pending', 'in_progress')"
                      " AND (verification_checked_at < ?1 OR verification_checked_at IS NULL)"
                      " ORDER BY verification_checked_at, id LIMIT ?2"));
        std::string text;
        while (true) {
            TESSERA_TRY_ASSIGN(bool row, s.step());
            if (!row) return text;
            text += s.column_text(3) + "\n";
        }
    });
    ASSERT_TRUE(plan.has_value()) << plan.error().log_detail;
    EXPECT_NE(plan->find("clients_verification_open"), std::string::npos) << *plan;
    EXPECT_EQ(plan->find("TEMP B-TREE"), std::string::npos) << *plan;
}

TEST_P(SqliteVerificationStore, UpdateWritesEveryFieldWhenUnchangedAndNothingElse) {
    auto before = verification(Status::pending, "a.example", 0);
    Id id = client_with(before);
    Timestamp updated_at = query_int("SELECT updated_at FROM clients LIMIT 1");  // the only client
    core::UriVerification next{Status::in_progress, "a.example", before.token, 7000, 1234};
    auto written = store_->update_uri_verification(id, before, next);
    ASSERT_TRUE(written.has_value()) << written.error().log_detail;
    EXPECT_TRUE(*written);
    EXPECT_EQ(columns(id), "in_progress a.example " + before.token + " 7000 1234");
    EXPECT_EQ(query_int("SELECT updated_at FROM clients LIMIT 1"), updated_at);

    // The next poll works from the row it just wrote.
    core::UriVerification verified = next;
    verified.status = Status::verified;
    ASSERT_TRUE(*store_->update_uri_verification(id, next, verified));
    EXPECT_EQ(columns(id), "verified a.example " + before.token + " 7000 1234");
}

TEST_P(SqliteVerificationStore, UpdateLeavesAChangedVerificationAlone) {
    auto stored = verification(Status::pending, "a.example", 0);
    Id id = client_with(stored);
    std::string original = columns(id);
    core::UriVerification next = stored;
    next.status = Status::verified;

    auto other_status = stored;
    other_status.status = Status::in_progress;
    auto other_host = stored;
    other_host.host = "b.example";
    auto other_token = stored;
    other_token.token = std::string(32, 'b');
    for (const auto& expected : {other_status, other_host, other_token}) {
        auto written = store_->update_uri_verification(id, expected, next);
        ASSERT_TRUE(written.has_value()) << written.error().log_detail;
        EXPECT_FALSE(*written);
        EXPECT_EQ(columns(id), original);
    }
    // A client without a verification, and one that is gone.
    Id bare = client_with(std::nullopt);
    EXPECT_FALSE(*store_->update_uri_verification(bare, stored, next));
    EXPECT_EQ(query_int("SELECT count(*) FROM clients WHERE verification_status IS NOT NULL"), 1);
    EXPECT_FALSE(*store_->update_uri_verification(new_id(), stored, next));
}

INSTANTIATE_TEST_SUITE_P(Backends, SqliteVerificationStore, kBothBackends, backend_name);

}  // namespace
}  // namespace tessera::storage::sqlite
