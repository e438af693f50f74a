// core::VerificationStore on every backend.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "conformance_test.hpp"

namespace tessera::store_conformance {
namespace {

using Status = core::UriVerification::Status;

class VerificationStoreConformance : public StoreConformance {
protected:
    void SetUp() override {
        StoreConformance::SetUp();
        if (HasFatalFailure()) return;
        owner_ = create_user("owner@example.com");
    }

    static core::UriVerification verification(Status status, std::string host, Timestamp checked_at,
                                              std::string token = std::string(32, 'a')) {
        return {status, std::move(host), std::move(token), 5000, checked_at};
    }

    // A new client whose verification is `v` (none for nullopt).
    Id client_with(const std::optional<core::UriVerification>& v) {
        core::Client client = client_for(owner_, "app");
        if (v) client.client_uri = "https://" + v->host + "/";
        client.uri_verification = v;
        auto created = clients().create_client(client);
        EXPECT_TRUE(created.has_value()) << created.error().log_detail;
        return client.id;
    }

    std::optional<core::UriVerification> stored(const Id& id) {
        auto client = clients().find_client(id);
        EXPECT_TRUE(client.has_value()) << client.error().log_detail;
        return client.has_value() ? client->uri_verification : std::nullopt;
    }

    std::vector<Id> open_ids(Timestamp checked_before, int limit) {
        auto open = verifications().list_open_verifications(checked_before, limit);
        EXPECT_TRUE(open.has_value()) << open.error().log_detail;
        std::vector<Id> ids;
        if (open)
            for (const auto& [id, v] : *open) ids.push_back(id);
        return ids;
    }

    core::User owner_;
};

void expect_same_verification(const std::optional<core::UriVerification>& actual,
                              const core::UriVerification& expected) {
    ASSERT_TRUE(actual.has_value());
    EXPECT_EQ(actual->status, expected.status);
    EXPECT_EQ(actual->host, expected.host);
    EXPECT_EQ(actual->token, expected.token);
    EXPECT_EQ(actual->deadline, expected.deadline);
    EXPECT_EQ(actual->checked_at, expected.checked_at);
}

TEST_P(VerificationStoreConformance, ListsOpenOnesCheckedBeforeTheTimeLongestUncheckedFirst) {
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
    EXPECT_EQ(open_ids(201, -1), std::vector<Id>{});

    auto open = verifications().list_open_verifications(101, 10);
    ASSERT_TRUE(open.has_value());
    ASSERT_EQ(open->size(), 2u);
    EXPECT_EQ((*open)[1].first, earlier);
    expect_same_verification((*open)[1].second,
                             verification(Status::in_progress, "b.example", 100));
}

TEST_P(VerificationStoreConformance, TiesOnCheckedAtAreBrokenByClientId) {
    std::vector<Id> ids;
    for (int i = 0; i < 5; ++i) ids.push_back(client_with(verification(Status::pending, "x", 7)));
    std::sort(ids.begin(), ids.end());
    EXPECT_EQ(open_ids(8, 10), ids);
    EXPECT_EQ(open_ids(8, 3), std::vector<Id>(ids.begin(), ids.begin() + 3));
}

TEST_P(VerificationStoreConformance, ANullCheckedAtIsNeverCheckedAndComesFirst) {
    Id checked = client_with(verification(Status::pending, "b.example", 0));
    Id id = client_with(verification(Status::pending, "a.example", 0));
    execute("UPDATE clients SET verification_checked_at = NULL WHERE id = " + id_literal(id));
    auto open = verifications().list_open_verifications(1, 10);
    ASSERT_TRUE(open.has_value()) << open.error().log_detail;
    ASSERT_EQ(open->size(), 2u);
    EXPECT_EQ((*open)[0].first, id);
    EXPECT_EQ((*open)[0].second.checked_at, 0);
    EXPECT_EQ((*open)[1].first, checked);
    EXPECT_EQ(stored(id)->checked_at, 0);
}

TEST_P(VerificationStoreConformance, AnOpenRowWithoutItsHostIsMalformed) {
    client_with(verification(Status::pending, "a.example", 0));
    execute("UPDATE clients SET verification_host = NULL");
    auto open = verifications().list_open_verifications(1, 10);
    ASSERT_FALSE(open.has_value());
    EXPECT_EQ(open.error().code, Code::internal);
}

TEST_P(VerificationStoreConformance, UpdateWritesEveryFieldWhenUnchangedAndNothingElse) {
    auto before = verification(Status::pending, "a.example", 0);
    Id id = client_with(before);
    auto client = clients().find_client(id);
    ASSERT_TRUE(client.has_value());
    core::UriVerification next{Status::in_progress, "a.example", before.token, 7000, 1234};
    auto written = verifications().update_uri_verification(id, before, next);
    ASSERT_TRUE(written.has_value()) << written.error().log_detail;
    EXPECT_TRUE(*written);
    expect_same_verification(stored(id), next);
    core::Client expected = *client;
    expected.uri_verification = next;  // updated_at included, nothing else changes
    expect_same_client(*clients().find_client(id), expected);

    // The next poll works from the row it just wrote.
    core::UriVerification verified = next;
    verified.status = Status::verified;
    ASSERT_TRUE(*verifications().update_uri_verification(id, next, verified));
    expect_same_verification(stored(id), verified);
    EXPECT_EQ(open_ids(10000, 10), std::vector<Id>{});
}

TEST_P(VerificationStoreConformance, UpdateLeavesAChangedVerificationAlone) {
    auto current = verification(Status::pending, "a.example", 0);
    Id id = client_with(current);
    core::UriVerification next = current;
    next.status = Status::verified;

    auto other_status = current;
    other_status.status = Status::in_progress;
    auto other_host = current;
    other_host.host = "b.example";
    auto other_token = current;
    other_token.token = std::string(32, 'b');
    for (const auto& expected : {other_status, other_host, other_token}) {
        auto written = verifications().update_uri_verification(id, expected, next);
        ASSERT_TRUE(written.has_value()) << written.error().log_detail;
        EXPECT_FALSE(*written);
        expect_same_verification(stored(id), current);
    }
    // A client without a verification, and one that is gone.
    Id bare = client_with(std::nullopt);
    EXPECT_FALSE(*verifications().update_uri_verification(bare, current, next));
    EXPECT_FALSE(stored(bare).has_value());
    EXPECT_FALSE(*verifications().update_uri_verification(new_id(), current, next));
}

INSTANTIATE_TEST_SUITE_P(Backends, VerificationStoreConformance, kBackends, backend_name);

}  // namespace
}  // namespace tessera::store_conformance
