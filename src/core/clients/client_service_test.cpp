#include "core/clients/client_service.hpp"

#include <gtest/gtest.h>

#include "base/fake_clock.hpp"
#include "storage/sqlite/memory_store.hpp"

namespace tessera::core {
namespace {

class ClientServiceTest : public ::testing::Test {
protected:
    ClientServiceTest()
        : digester_(Secret(std::string(32, 'k'))), service_(store_, clock_, random_, digester_) {
        owner_ = add_user("owner@example.com");
        stranger_ = add_user("stranger@example.com");
    }

    Id add_user(const std::string& email) {
        Account account{Id::generate(random_), email, clock_.now()};
        User user{Id::generate(random_), email, "", "", account.id, clock_.now(), clock_.now()};
        EXPECT_TRUE(store_.create_user(user, account).has_value());
        return user.id;
    }
    ClientWithSecret create(const std::string& name = "App") {
        auto created = service_.create({owner_, Id{}, name, "https://example.com/cb"});
        EXPECT_TRUE(created.has_value());
        return std::move(*created);
    }

    FakeClock clock_;
    SeededRandom random_{42};
    storage::sqlite::MemoryStore memory_;
    storage::sqlite::SqliteStore& store_ = memory_.store();
    crypto::Digester digester_;
    ClientService service_;
    Id owner_, stranger_;
};

TEST_F(ClientServiceTest, CreateStoresOnlyTheSecretDigest) {
    auto created = create();
    EXPECT_TRUE(created.secret.reveal().starts_with("tcs_"));
    auto stored = store_.find_client(created.client.id);
    ASSERT_TRUE(stored.has_value());
    EXPECT_EQ(stored->secret_digest, digester_.digest(created.secret.reveal()));
    EXPECT_NE(stored->secret_digest, created.secret.reveal());
    EXPECT_EQ(stored->redirect_uris, std::vector<std::string>{"https://example.com/cb"});
    EXPECT_EQ(stored->response_types, std::vector<std::string>{"code"});  // the code flow only
}

TEST_F(ClientServiceTest, ClientsOfOtherOwnersAreNotFound) {
    auto created = create();
    for (auto result : {service_.info(stranger_, created.client.id),
                        service_.update(stranger_, created.client.id, {std::string("x"), {}}),
                        service_.remove(stranger_, created.client.id)}) {
        ASSERT_FALSE(result.has_value());
        EXPECT_EQ(result.error().code, Code::not_found);
        EXPECT_EQ(result.error().subject, "client");
    }
    EXPECT_EQ(service_.info(owner_, created.client.id)->name, "App");
}

TEST_F(ClientServiceTest, UpdateValidatesAndTouchesUpdatedAt) {
    auto created = create();
    clock_.advance(60);
    auto same = service_.update(owner_, created.client.id, {});
    EXPECT_EQ(same->updated_at, created.client.updated_at);
    auto renamed = service_.update(owner_, created.client.id, {std::string(" New "), {}});
    ASSERT_TRUE(renamed.has_value());
    EXPECT_EQ(renamed->name, "New");
    EXPECT_EQ(renamed->updated_at, created.client.updated_at + 60);
    auto bad = service_.update(owner_, created.client.id, {{}, std::string("http://evil.com/")});
    EXPECT_EQ(bad.error().subject, "redirect_uri");
    EXPECT_EQ(store_.find_client(created.client.id)->redirect_uris.front(),
              "https://example.com/cb");
}

TEST_F(ClientServiceTest, RotateReplacesTheSecretAtOnce) {
    auto created = create();
    auto rotated = service_.rotate_secret_now(owner_, created.client.id);
    ASSERT_TRUE(rotated.has_value());
    EXPECT_FALSE(rotated->secret == created.secret);
    auto stored = store_.find_client(created.client.id);
    EXPECT_EQ(stored->secret_digest, digester_.digest(rotated->secret.reveal()));
    EXPECT_FALSE(stored->previous_secret_digest.has_value());
}

TEST_F(ClientServiceTest, RemoveDeletesAndReturnsTheClient) {
    auto created = create("Gone");
    auto removed = service_.remove(owner_, created.client.id);
    ASSERT_TRUE(removed.has_value());
    EXPECT_EQ(removed->name, "Gone");
    EXPECT_EQ(service_.info(owner_, created.client.id).error().code, Code::not_found);
}

}  // namespace
}  // namespace tessera::core
