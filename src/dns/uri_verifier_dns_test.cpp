// core::UriVerifier against a real DNS server (dnsmasq), a real resolver and
// a SqliteStore on ":memory:"; time moves by FakeClock only.
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "base/fake_clock.hpp"
#include "base/random.hpp"
#include "core/clients/uri_verification.hpp"
#include "dns/dnsmasq_fixture.hpp"
#include "dns/txt_resolver.hpp"
#include "storage/sqlite/database.hpp"
#include "storage/sqlite/migrate.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace tessera::dns {
namespace {

using namespace std::chrono_literals;
using core::UriVerification;
using Status = UriVerification::Status;
using storage::sqlite::Connection;
using storage::sqlite::Statement;

// Runs `after` once each lookup has answered: a change made there lands
// between the verifier's read and its write.
class LookupWithHook final : public core::TxtLookup {
public:
    LookupWithHook(core::TxtLookup& inner, std::function<void()> after)
        : inner_(inner), after_(std::move(after)) {}
    Result<std::vector<std::string>> lookup_txt(const std::string& host) override {
        auto records = inner_.lookup_txt(host);
        after_();
        return records;
    }

private:
    core::TxtLookup& inner_;
    std::function<void()> after_;
};

class UriVerifierDns : public testing::DnsmasqTest {
protected:
    void SetUp() override {
        DnsmasqTest::SetUp();
        if (HasFatalFailure()) return;
        auto opened = storage::sqlite::Database::open(":memory:");
        ASSERT_TRUE(opened.has_value());
        database_ = std::move(*opened);
        ASSERT_TRUE(storage::sqlite::migrate(*database_).has_value());
        store_ = std::make_unique<storage::sqlite::SqliteStore>(*database_);
        core::Account account{.id = Id::generate(random_), .name = "personal"};
        owner_.id = Id::generate(random_);
        owner_.email = "owner@example.com";
        owner_.account_id = account.id;
        ASSERT_TRUE(store_->create_user(owner_, account).has_value());
    }

    void serve(const testing::Zone& zone) { ASSERT_EQ(dns_.start(zone), ""); }

    // A client with `v` as its verification. The client store does not
    // write these columns yet, so plain SQL does.
    Id client_with(const UriVerification& v) {
        core::Client client;
        client.id = Id::generate(random_);
        client.account_id = owner_.account_id;
        client.owner_id = owner_.id;
        client.name = "app";
        client.secret_digest = std::string(32, 's');
        EXPECT_TRUE(store_->create_client(client).has_value());
        overwrite(client.id, v);
        return client.id;
    }

    // What an API call does to the row, bypassing the verifier.
    void overwrite(const Id& id, const UriVerification& v) {
        auto done = database_->with_connection([&](Connection& c) -> Result<void> {
            TESSERA_TRY_ASSIGN(Statement s,
                               c.prepare("UPDATE clients SET verification_status ="
                                         " ?2, verification_host = ?3,"
                                         " verification_token = ?4,"
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

    UriVerification stored(const Id& id) {
        auto row = database_->with_connection([&](Connection& c) -> Result<UriVerification> {
            TESSERA_TRY_ASSIGN(Statement s, c.prepare("SELECT verification_status,"
                                                      " verification_host, verification_token,"
                                                      " verification_deadline,"
                                                      " verification_checked_at FROM clients"
                                                      " WHERE id = ?1"));
            s.bind_id(1, id);
            TESSERA_TRY_ASSIGN(bool found, s.step());
            if (!found) return make_error(Code::not_found, "no client");
            UriVerification v;
            std::string status = s.column_text(0);
            for (Status candidate :
                 {Status::pending, Status::in_progress, Status::verified, Status::failed})
                if (core::to_string(candidate) == status) v.status = candidate;
            v.host = s.column_text(1);
            v.token = s.column_text(2);
            v.deadline = s.column_int(3);
            v.checked_at = s.column_int(4);
            return v;
        });
        EXPECT_TRUE(row.has_value()) << row.error().log_detail;
        return row.has_value() ? *row : UriVerification{};
    }

    int run(core::TxtLookup& lookup, core::UriVerifierOptions options = {}) {
        core::UriVerifier verifier(*store_, lookup, clock_, options);
        auto settled = verifier.run_once();
        EXPECT_TRUE(settled.has_value()) << settled.error().log_detail;
        return settled.has_value() ? *settled : -1;
    }
    int run(core::UriVerifierOptions options = {}) { return run(resolver_, options); }

    SeededRandom random_{46};
    FakeClock clock_;
    std::unique_ptr<storage::sqlite::Database> database_;
    std::unique_ptr<storage::sqlite::SqliteStore> store_;
    core::User owner_;
    TxtResolver resolver_{dns_.server(), 2s};
};

TEST_F(UriVerifierDns, PendingGoesInProgressThenVerifiedOnceTheRecordIsPublished) {
    UriVerification started = core::start_uri_verification("app.test", random_, clock_.now());
    Id id = client_with(started);
    serve({.a_names = {"app.test"}});

    EXPECT_EQ(run(), 0);
    UriVerification polled = stored(id);
    EXPECT_EQ(polled.status, Status::in_progress);
    EXPECT_EQ(polled.checked_at, clock_.now());
    EXPECT_EQ(polled.token, started.token);
    EXPECT_EQ(polled.deadline, started.deadline);

    // The publisher adds the record next to others that do not match.
    serve({.txt = {{"app.test", {"v=spf1 -all"}},
                   {"app.test", {"cloudflare_oauth_client_publisher=" + std::string(32, '0')}},
                   {"app.test", {started.record()}}}});
    clock_.advance(300);
    EXPECT_EQ(run(), 1);
    UriVerification verified = stored(id);
    EXPECT_EQ(verified.status, Status::verified);
    EXPECT_EQ(verified.checked_at, clock_.now());
    EXPECT_EQ(verified.host, "app.test");

    clock_.advance(3600);  // a verified one is never looked at again
    EXPECT_EQ(run(), 0);
    EXPECT_EQ(stored(id).checked_at, verified.checked_at);
}

TEST_F(UriVerifierDns, OnlyTheExactRecordVerifies) {
    UriVerification started = core::start_uri_verification("app.test", random_, clock_.now());
    Id id = client_with(started);
    std::string upper = started.record();
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    serve({.txt = {{"app.test", {upper}},
                   {"app.test", {started.record() + " "}},
                   {"www.app.test", {started.record()}}}});
    EXPECT_EQ(run(), 0);
    EXPECT_EQ(stored(id).status, Status::in_progress);
}

TEST_F(UriVerifierDns, TwoDaysWithoutTheRecordFail) {
    UriVerification started = core::start_uri_verification("app.test", random_, clock_.now());
    Id id = client_with(started);
    serve({.a_names = {"app.test"}});
    EXPECT_EQ(run(), 0);
    clock_.advance(core::kUriVerificationWindow - 300);  // the last check before the deadline
    EXPECT_EQ(run(), 0);
    EXPECT_EQ(stored(id).status, Status::in_progress);
    clock_.advance(300);  // the deadline itself
    EXPECT_EQ(run(), 1);
    EXPECT_EQ(stored(id).status, Status::failed);
    clock_.advance(3600);  // failed is final until restarted
    EXPECT_EQ(run(), 0);
    EXPECT_EQ(stored(id).status, Status::failed);
}

TEST_F(UriVerifierDns, ARestartAfterFailureVerifiesWithTheSameRecord) {
    UriVerification started = core::start_uri_verification("app.test", random_, clock_.now());
    Id id = client_with(started);
    serve({.a_names = {"app.test"}});
    clock_.advance(core::kUriVerificationWindow);
    EXPECT_EQ(run(), 1);
    UriVerification failed = stored(id);
    ASSERT_EQ(failed.status, Status::failed);

    UriVerification restarted = core::restart_uri_verification(failed, clock_.now());
    ASSERT_TRUE(*store_->update_uri_verification(id, failed, restarted));
    serve({.txt = {{"app.test", {started.record()}}}});
    EXPECT_EQ(run(), 1);
    UriVerification verified = stored(id);
    EXPECT_EQ(verified.status, Status::verified);
    EXPECT_EQ(verified.token, started.token);
    EXPECT_EQ(verified.deadline, clock_.now() + core::kUriVerificationWindow);
}

TEST_F(UriVerifierDns, AHostChangedDuringTheLookupIsNotOverwritten) {
    UriVerification old_host = core::start_uri_verification("app.test", random_, clock_.now());
    Id id = client_with(old_host);
    serve({.txt = {{"app.test", {old_host.record()}}}});
    // The owner sets a client_uri on another host while the lookup runs.
    UriVerification new_host = core::start_uri_verification("other.test", random_, clock_.now());
    LookupWithHook racing(resolver_, [&] { overwrite(id, new_host); });

    EXPECT_EQ(run(racing), 0);
    UriVerification after = stored(id);
    EXPECT_EQ(after.status, Status::pending);
    EXPECT_EQ(after.host, "other.test");
    EXPECT_EQ(after.token, new_host.token);
    EXPECT_EQ(after.checked_at, 0);
}

TEST_F(UriVerifierDns, AVerificationIsLookedUpAgainOnlyAfterRecheckAfter) {
    UriVerification started = core::start_uri_verification("app.test", random_, clock_.now());
    Id id = client_with(started);
    serve({.a_names = {"app.test"}});
    core::UriVerifierOptions every_ten_minutes{.recheck_after = 600};
    EXPECT_EQ(run(every_ten_minutes), 0);
    Timestamp first_check = stored(id).checked_at;

    serve({.txt = {{"app.test", {started.record()}}}});
    clock_.advance(599);
    EXPECT_EQ(run(every_ten_minutes), 0);
    EXPECT_EQ(stored(id).status, Status::in_progress);
    EXPECT_EQ(stored(id).checked_at, first_check);
    clock_.advance(1);
    EXPECT_EQ(run(every_ten_minutes), 1);
    EXPECT_EQ(stored(id).status, Status::verified);
}

TEST_F(UriVerifierDns, AnUnansweredLookupIsRetriedOnALaterRun) {
    UriVerification started = core::start_uri_verification("app.test", random_, clock_.now());
    Id id = client_with(started);
    TxtResolver quick(dns_.server(), 300ms);  // nothing listens yet
    EXPECT_EQ(run(quick), 0);
    EXPECT_EQ(stored(id).status, Status::in_progress);
    EXPECT_EQ(stored(id).checked_at, clock_.now());

    serve({.txt = {{"app.test", {started.record()}}}});
    clock_.advance(300);
    EXPECT_EQ(run(quick), 1);
    EXPECT_EQ(stored(id).status, Status::verified);
}

TEST_F(UriVerifierDns, OneRunTakesOneBatchLongestUncheckedFirst) {
    serve({.a_names = {"a.test", "b.test", "c.test"}});
    std::vector<Id> ids;
    for (const char* host : {"a.test", "b.test", "c.test"})
        ids.push_back(client_with(core::start_uri_verification(host, random_, clock_.now())));
    core::UriVerifierOptions two{.recheck_after = 300, .batch = 2};
    EXPECT_EQ(run(two), 0);
    int checked = 0;
    for (const Id& id : ids) checked += stored(id).checked_at == clock_.now();
    EXPECT_EQ(checked, 2);
    clock_.advance(10);  // the third is still due; the other two are not
    EXPECT_EQ(run(two), 0);
    for (const Id& id : ids) EXPECT_EQ(stored(id).status, Status::in_progress);
}

TEST_F(UriVerifierDns, AStopRequestEndsTheBatchBeforeTheNextLookup) {
    serve({.a_names = {"app.test"}});
    Id id = client_with(core::start_uri_verification("app.test", random_, clock_.now()));
    std::stop_source stop;
    stop.request_stop();
    core::UriVerifier verifier(*store_, resolver_, clock_);
    auto settled = verifier.run_once(stop.get_token());
    ASSERT_TRUE(settled.has_value());
    EXPECT_EQ(*settled, 0);
    EXPECT_EQ(stored(id).status, Status::pending);
}

}  // namespace
}  // namespace tessera::dns
