// Every store failure surfaces as a clean error and leaves no partial write
// (STYLE.md §7: FaultyStore, loop N up from 0).
#include <gtest/gtest.h>

#include "base/fake_clock.hpp"
#include "core/clients/client_service.hpp"
#include "core/testing/faulty_client_store.hpp"
#include "storage/sqlite/memory_store.hpp"

namespace tessera::core {
namespace {

using testing::FaultyClientStore;

class ClientServiceFaults : public ::testing::Test {
protected:
    ClientServiceFaults() {
        Account account{Id::generate(random_), "a", 0};
        User user{Id::generate(random_), "o@example.com", "", "", account.id, 0, 0};
        EXPECT_TRUE(store_.create_user(user, account).has_value());
        owner_ = user.id;
        ClientService setup(store_, clock_, random_, digester_);
        existing_ =
            setup.create({owner_, account.id, "Existing", "https://example.com/cb"})->client;
    }

    // Runs `operation` against a store failing at call N, for N = 0, 1, ...
    // until a run makes no failing call; each failed run must leave the
    // stored client exactly as it was.
    template <typename Operation>
    void for_each_fault(Operation operation) {
        for (int n = 0;; ++n) {
            FaultyClientStore faulty(store_, n);
            ClientService service(faulty, clock_, random_, digester_);
            bool failed = !operation(service);
            if (n >= faulty.calls()) {
                EXPECT_FALSE(failed) << "no fault was injected, yet it failed";
                return;
            }
            EXPECT_TRUE(failed) << "fault at call " << n << " was swallowed";
            auto stored = store_.find_client(existing_.id);
            ASSERT_TRUE(stored.has_value());
            EXPECT_EQ(stored->name, existing_.name);
            EXPECT_EQ(stored->secret_digest, existing_.secret_digest);
            EXPECT_EQ(count(), 1u);
        }
    }
    std::size_t count() {
        return store_.list_clients_by_owner(owner_, PageQuery{.max = 1000})->items.size();
    }

    FakeClock clock_;
    SeededRandom random_{3};
    crypto::Digester digester_{Secret(std::string(32, 'k'))};
    storage::sqlite::MemoryStore memory_;
    storage::sqlite::SqliteStore& store_ = memory_.store();
    Id owner_;
    Client existing_;
};

// True when `r` succeeded; a failure must be the injected `unavailable`.
template <typename R>
bool succeeded(const R& r) {
    if (!r) {
        EXPECT_EQ(r.error().code, Code::unavailable);
    }
    return r.has_value();
}

TEST_F(ClientServiceFaults, CreateFailsCleanly) {
    for_each_fault([&](ClientService& s) {
        return succeeded(s.create({owner_, Id{}, "New", "https://example.com/new"}));
    });
}

TEST_F(ClientServiceFaults, UpdateAndInfoFailCleanly) {
    for_each_fault([&](ClientService& s) {
        return succeeded(s.update(owner_, existing_.id, {std::string("Existing"), {}}));
    });
    for_each_fault([&](ClientService& s) { return succeeded(s.info(owner_, existing_.id)); });
}

TEST_F(ClientServiceFaults, RotateFailsCleanly) {
    for_each_fault(
        [&](ClientService& s) { return succeeded(s.rotate_secret_now(owner_, existing_.id)); });
}

TEST_F(ClientServiceFaults, DeleteFailsCleanly) {
    for_each_fault([&](ClientService& s) {
        auto r = s.remove(owner_, existing_.id);
        // The successful run deletes it: put it back for the fixture's checks.
        if (r) {
            EXPECT_TRUE(store_.create_client(existing_).has_value());
        }
        return succeeded(r);
    });
}

}  // namespace
}  // namespace tessera::core
