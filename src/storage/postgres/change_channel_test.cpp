#include "storage/postgres/change_channel.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "storage/postgres/postgres_test_fixture.hpp"

namespace tessera::storage::postgres {
namespace {

using namespace std::chrono_literals;

// What one channel heard: messages and resyncs, waited on with a deadline.
struct Inbox {
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<std::string> messages;  // guarded by mutex
    int resyncs = 0;                    // guarded by mutex

    void deliver(std::string_view message) {
        std::lock_guard lock(mutex);
        messages.emplace_back(message);
        changed.notify_all();
    }
    void resync() {
        std::lock_guard lock(mutex);
        ++resyncs;
        changed.notify_all();
    }
    bool heard(const std::string& message, std::chrono::milliseconds within = 5s) {
        std::unique_lock lock(mutex);
        return changed.wait_for(lock, within, [&] {
            return std::find(messages.begin(), messages.end(), message) != messages.end();
        });
    }
    bool resynced(std::chrono::milliseconds within = 10s) {
        std::unique_lock lock(mutex);
        return changed.wait_for(lock, within, [&] { return resyncs > 0; });
    }
};

std::string random_word() {
    std::random_device device;
    return std::to_string(device()) + std::to_string(device());
}

// `conninfo` with application_name set, as a URL query or as words.
std::string named(const std::string& conninfo, const std::string& name) {
    if (!conninfo.starts_with("postgres://") && !conninfo.starts_with("postgresql://"))
        return conninfo + " application_name=" + name;
    return conninfo + (conninfo.find('?') == std::string::npos ? '?' : '&') +
           "application_name=" + name;
}

class PostgresChangeChannel : public SchemaTest {
protected:
    void SetUp() override {
        SchemaTest::SetUp();
        if (HasFatalFailure()) return;
        database_ = SchemaTest::open();
        ASSERT_TRUE(database_);
    }

    std::unique_ptr<ChangeChannel> listen(Inbox& inbox, const std::string& conninfo) {
        auto channel = std::make_unique<ChangeChannel>(
            *database_, conninfo, [&inbox](std::string_view m) { inbox.deliver(m); },
            [&inbox] { inbox.resync(); });
        EXPECT_TRUE(channel->listening()) << "the constructor listens before it returns";
        return channel;
    }

    std::unique_ptr<Database> database_;
};

TEST_F(PostgresChangeChannel, EveryNodeHearsWhatAnyNodePublishes) {
    Inbox first, second;
    auto a = listen(first, schema_->conninfo());
    auto b = listen(second, schema_->conninfo());
    const std::string message = "c:" + random_word();
    ASSERT_TRUE(a->publish(message).has_value());
    EXPECT_TRUE(first.heard(message));
    EXPECT_TRUE(second.heard(message));
}

TEST_F(PostgresChangeChannel, ALostListenerReconnectsResyncsAndHearsAgain) {
    const std::string name = "tessera_channel_" + random_word();
    Inbox inbox;
    auto channel = listen(inbox, named(schema_->conninfo(), name));
    auto killed = schema_->sql().run(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
        " WHERE application_name = $1",
        Params().text(name));
    ASSERT_TRUE(killed.has_value()) << killed.error().log_detail;
    ASSERT_EQ(killed->row(0).int64(0), 1);

    // Messages sent while it was away may be lost: it says so by resyncing.
    EXPECT_TRUE(inbox.resynced());
    EXPECT_TRUE(channel->listening());
    const std::string message = "t:" + random_word();
    ASSERT_TRUE(channel->publish(message).has_value());
    EXPECT_TRUE(inbox.heard(message));
}

TEST_F(PostgresChangeChannel, StopsPromptlyWhileWaiting) {
    Inbox inbox;
    auto channel = listen(inbox, schema_->conninfo());
    auto started = std::chrono::steady_clock::now();
    channel.reset();
    EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);  // not a hang in poll()
}

}  // namespace
}  // namespace tessera::storage::postgres
