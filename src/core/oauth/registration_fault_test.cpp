// Every store failure in registration surfaces as a clean error (never as a
// bad token) and leaves no partial write (STYLE.md §7: loop N up from 0).
#include <gtest/gtest.h>

#include "base/fake_clock.hpp"
#include "core/oauth/registration.hpp"
#include "core/testing/faulty_client_store.hpp"
#include "storage/sqlite/memory_store.hpp"

namespace tessera::core {
namespace {

// Forwards the calls registration makes to a real store and fails the Nth
// (0-based) with `unavailable`, client calls included.
class FaultyRegistrationStore final : public testing::FaultyClientStore,
                                      public RegistrationStore {
public:
    FaultyRegistrationStore(storage::sqlite::SqliteStore& inner, int fail_at)
        : FaultyClientStore(inner, fail_at), inner_(inner) {}

    Result<void> create_initial_access_token(const InitialAccessToken& t) override {
        TESSERA_TRY(step());
        return inner_.create_initial_access_token(t);
    }
    Result<InitialAccessToken> find_initial_access_token(const std::string& d) override {
        TESSERA_TRY(step());
        return inner_.find_initial_access_token(d);
    }
    Result<void> create_registered_client(const Client& c, const std::optional<std::string>& d,
                                          Timestamp now) override {
        TESSERA_TRY(step());
        return inner_.create_registered_client(c, d, now);
    }

private:
    storage::sqlite::SqliteStore& inner_;
};

class RegistrationFaults : public ::testing::Test {
protected:
    RegistrationFaults() : digester_(Secret(std::string(32, 'k'))) {
        Account account{Id::generate(random_), "a", 0};
        User user{Id::generate(random_), "o@example.com", "", "", account.id, 0, 0};
        EXPECT_TRUE(store_.create_user(user, account).has_value());
        policy_ = {RegistrationMode::token, user.id, account.id};
        metadata_.redirect_uris = std::vector<std::string>{"https://app.example/cb"};
        ClientService clients(store_, clock_, random_, digester_);
        RegistrationService setup(clients, store_, store_, catalog_, clock_, random_, digester_,
                                  policy_);
        initial_ = setup.issue_initial_token(std::nullopt, 1)->value;
        existing_ = *setup.register_client(metadata_, setup.issue_initial_token(60, 1)->value);
    }

    // Runs `operation` against a store failing at call N, for N = 0, 1, ...
    // until a run makes no failing call; a failed run must fail with the
    // store's error and leave the client and the initial token as they were.
    template <typename Operation>
    void for_each_fault(Operation operation) {
        for (int n = 0;; ++n) {
            FaultyRegistrationStore faulty(store_, n);
            ClientService clients(faulty, clock_, random_, digester_);
            RegistrationService service(clients, faulty, faulty, catalog_, clock_, random_,
                                        digester_, policy_);
            auto error = operation(service);
            if (n >= faulty.calls()) {
                EXPECT_FALSE(error.has_value()) << "no fault was injected, yet it failed";
                return;
            }
            ASSERT_TRUE(error.has_value()) << "fault " << n << " was swallowed";
            EXPECT_EQ(error->code, Code::unavailable) << "fault " << n;
            auto stored = store_.find_client(existing_.client.id);
            ASSERT_TRUE(stored.has_value()) << "fault " << n;
            EXPECT_EQ(stored->name, existing_.client.name);
            EXPECT_EQ(store_.find_initial_access_token(digester_.digest(initial_.reveal()))->uses,
                      0);
        }
    }

    template <typename T>
    static std::optional<Error> error_of(Result<T> result) {
        if (result) return std::nullopt;
        return result.error();
    }

    FakeClock clock_;
    SeededRandom random_{7592};
    storage::sqlite::MemoryStore memory_;
    storage::sqlite::SqliteStore& store_ = memory_.store();
    crypto::Digester digester_;
    ScopeCatalog catalog_ = ScopeCatalog::heroku_default();
    RegistrationPolicy policy_;
    ClientMetadata metadata_;
    Secret initial_;
    RegisteredClient existing_;
};

TEST_F(RegistrationFaults, RegisterSpendsNothingWhenTheStoreFails) {
    int runs = 0;
    for_each_fault([&](RegistrationService& service) {
        ++runs;
        auto result = service.register_client(metadata_, initial_);
        // Undo a success so the next run starts from the same state.
        if (result) {
            EXPECT_TRUE(store_.delete_client(result->client.id).has_value());
        }
        return error_of(std::move(result));
    });
    EXPECT_GT(runs, 1);
}

TEST_F(RegistrationFaults, ReadUpdateAndRemoveReportTheStoreError) {
    const auto id = existing_.client.id.uuid();
    const auto& token = existing_.registration_access_token;
    for_each_fault([&](RegistrationService& service) { return error_of(service.read(id, token)); });
    ClientMetadata same = metadata_;
    same.client_id = id;
    for_each_fault(
        [&](RegistrationService& service) { return error_of(service.update(id, token, same)); });
    // Last, as its success deletes the client the checks look at.
    int n = 0;
    for (;; ++n) {
        FaultyRegistrationStore faulty(store_, n);
        ClientService clients(faulty, clock_, random_, digester_);
        RegistrationService service(clients, faulty, faulty, catalog_, clock_, random_, digester_,
                                    policy_);
        auto removed = service.remove(id, token);
        if (n >= faulty.calls()) {
            EXPECT_TRUE(removed.has_value());
            break;
        }
        ASSERT_FALSE(removed.has_value());
        EXPECT_EQ(removed.error().code, Code::unavailable);
        EXPECT_TRUE(store_.find_client(existing_.client.id).has_value());
    }
    EXPECT_EQ(n, 2);  // the lookup and the delete
}

}  // namespace
}  // namespace tessera::core
