// The Cloudflare-surface client rules that need time or a verified domain:
// verification start, failure, restart and promotion (Cloudflare spec §2.4,
// §4.6, §4.7), on a real SqliteStore with a FakeClock. The DNS side is a
// TxtLookup that answers from a map (src/dns tests the real resolver).
#include "core/clients/account_client_service.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <utility>

#include "base/fake_clock.hpp"
#include "core/clients/account_client_rules.hpp"
#include "core/clients/uri_verification.hpp"
#include "core/testing/faulty_client_store.hpp"
#include "storage/sqlite/memory_store.hpp"

namespace tessera::core {
namespace {

using Status = UriVerification::Status;

class MapLookup final : public TxtLookup {
public:
    std::map<std::string, std::vector<std::string>> records;
    Result<std::vector<std::string>> lookup_txt(const std::string& host) override {
        auto found = records.find(host);
        if (found == records.end()) return std::vector<std::string>{};
        return found->second;
    }
};

class AccountClients : public ::testing::Test {
protected:
    AccountClients()
        : digester_(Secret(std::string(32, 'k'))),
          access_(store_),
          catalog_(ScopeCatalog::combined(ScopeCatalog::heroku_default(),
                                          ScopeCatalog::account_default())),
          service_(store_, access_, catalog_, clock_, random_, digester_),
          verifier_(store_, dns_, clock_) {
        Account account{Id::generate(random_), "personal", clock_.now()};
        User owner{Id::generate(random_), "owner@example.com", "", "", account.id, 0, 0};
        EXPECT_TRUE(store_.create_user(owner, account).has_value());
        owner_ = Caller{owner.id, Id{}, {"global"}, std::nullopt};
        account_ = account.id;
    }

    ClientMetadataPatch valid(std::string client_uri = "https://app.example/home") {
        ClientMetadataPatch p;
        p.client_name = "App";
        p.grant_types = {{"authorization_code", "refresh_token"}};
        p.redirect_uris = {{"https://app.example/cb"}};
        p.response_types = {{"code"}};
        p.scopes = {{"account.read"}};
        p.token_endpoint_auth_method = "client_secret_post";
        p.logo_uri = std::optional<std::string>("https://app.example/logo.png");
        p.client_uri = std::optional<std::string>(std::move(client_uri));
        return p;
    }

    Client create(ClientMetadataPatch patch) {
        auto created = service_.create(owner_, account_, patch);
        EXPECT_TRUE(created.has_value()) << created.error().description;
        return created->client;
    }

    Result<Client> patch(const Client& client, ClientMetadataPatch p) {
        return service_.update(owner_, account_, client.id, p);
    }

    Client reload(const Client& client) { return *service_.get(owner_, account_, client.id); }

    void publish(const Client& client) {
        dns_.records[client.uri_verification->host] = {client.uri_verification->record()};
    }

    storage::sqlite::MemoryStore memory_;
    storage::sqlite::SqliteStore& store_ = memory_.store();
    FakeClock clock_;
    SeededRandom random_{7};
    crypto::Digester digester_;
    AccountAccess access_;
    ScopeCatalog catalog_;
    AccountClientService service_;
    MapLookup dns_;
    UriVerifier verifier_;
    Caller owner_;
    Id account_;
};

ClientMetadataPatch with_visibility(std::string visibility) {
    ClientMetadataPatch p;
    p.visibility = std::move(visibility);
    return p;
}

ClientMetadataPatch with_client_uri(std::optional<std::string> uri) {
    ClientMetadataPatch p;
    p.client_uri = std::move(uri);
    return p;
}

TEST(AccountClientRules, ProtocolScopesFollowGrantAndResponseTypes) {
    auto catalog =
        ScopeCatalog::combined(ScopeCatalog::heroku_default(), ScopeCatalog::account_default());
    Client client;
    client.name = "App";
    client.grant_types = {"authorization_code", "refresh_token", "authorization_code"};
    client.redirect_uris = {"com.example.app:/cb", "http://[::1]:8080/cb"};
    client.response_types = {"code", "id_token"};
    client.scopes = {"offline_access", "account.read", "openid", "email", "account.read"};
    ASSERT_TRUE(normalize_account_client(client, catalog).has_value());
    EXPECT_EQ(client.grant_types, (std::vector<std::string>{"authorization_code", "refresh_token"}));
    EXPECT_EQ(client.scopes,
              (std::vector<std::string>{"account.read", "email", "offline_access", "openid"}));
    client.grant_types = {"authorization_code"};
    client.response_types = {"code"};
    ASSERT_TRUE(normalize_account_client(client, catalog).has_value());
    EXPECT_EQ(client.scopes, (std::vector<std::string>{"account.read", "email"}));
}

TEST_F(AccountClients, AClientUriStartsAPendingVerification) {
    Client client = create(valid());
    ASSERT_TRUE(client.uri_verification.has_value());
    EXPECT_EQ(client.uri_verification->status, Status::pending);
    EXPECT_EQ(client.uri_verification->host, "app.example");
    EXPECT_EQ(client.uri_verification->token.size(), 32u);
    EXPECT_EQ(client.uri_verification->deadline, clock_.now() + kUriVerificationWindow);
    EXPECT_EQ(client.visibility, "private");
    EXPECT_FALSE(client.promoted_at.has_value());
}

TEST_F(AccountClients, PromotionNeedsAVerifiedDomainThenSetsPromotedAt) {
    Client client = create(valid());
    auto early = patch(client, with_visibility("public"));
    ASSERT_FALSE(early.has_value());
    ASSERT_EQ(early.error().violations.size(), 1u);
    EXPECT_EQ(early.error().violations[0].pointer, "/client_uri");

    publish(client);
    clock_.advance(10);
    ASSERT_EQ(*verifier_.run_once(), 1);
    EXPECT_EQ(reload(client).uri_verification->status, Status::verified);
    clock_.advance(5);
    auto promoted = patch(client, with_visibility("public"));
    ASSERT_TRUE(promoted.has_value()) << promoted.error().description;
    EXPECT_EQ(promoted->visibility, "public");
    EXPECT_EQ(promoted->promoted_at, clock_.now());
    clock_.advance(5);
    auto again = patch(client, with_visibility("public"));  // a no-op
    ASSERT_TRUE(again.has_value());
    EXPECT_EQ(reload(client).promoted_at, clock_.now() - 5);
}

TEST_F(AccountClients, AVerifiedHostCannotChangeButItsPathCan) {
    Client client = create(valid());
    publish(client);
    ASSERT_EQ(*verifier_.run_once(), 1);
    auto moved = patch(client, with_client_uri("https://elsewhere.example/home"));
    ASSERT_FALSE(moved.has_value());
    EXPECT_EQ(moved.error().violations.at(0).kind, Violation::Kind::rule);
    auto new_path = patch(client, with_client_uri("https://app.example/about"));
    ASSERT_TRUE(new_path.has_value());
    EXPECT_EQ(new_path->uri_verification->status, Status::verified);
    EXPECT_EQ(reload(client).client_uri, "https://app.example/about");
}

TEST_F(AccountClients, AFailedVerificationRestartsWhenTheSameUriIsSentAgain) {
    Client client = create(valid());
    std::string token = client.uri_verification->token;
    clock_.advance(kUriVerificationWindow);
    ASSERT_EQ(*verifier_.run_once(), 1);
    EXPECT_EQ(reload(client).uri_verification->status, Status::failed);

    clock_.advance(60);
    auto restarted = patch(client, with_client_uri("https://app.example/home"));
    ASSERT_TRUE(restarted.has_value());
    EXPECT_EQ(restarted->uri_verification->status, Status::pending);
    EXPECT_EQ(restarted->uri_verification->token, token);  // the same record to publish
    EXPECT_EQ(restarted->uri_verification->deadline, clock_.now() + kUriVerificationWindow);

    publish(client);
    ASSERT_EQ(*verifier_.run_once(), 1);
    EXPECT_EQ(reload(client).uri_verification->status, Status::verified);
}

TEST_F(AccountClients, ANewHostStartsAFreshVerification) {
    Client client = create(valid());
    auto moved = patch(client, with_client_uri("https://other.example/"));
    ASSERT_TRUE(moved.has_value());
    EXPECT_EQ(moved->uri_verification->host, "other.example");
    EXPECT_NE(moved->uri_verification->token, client.uri_verification->token);
}

TEST_F(AccountClients, AClientUriCanBeRemovedOnlyWhilePrivate) {
    Client client = create(valid());
    auto removed = patch(client, with_client_uri(std::nullopt));
    ASSERT_TRUE(removed.has_value());
    EXPECT_FALSE(removed->client_uri.has_value());
    EXPECT_FALSE(removed->uri_verification.has_value());

    Client published = create(valid("https://pub.example/"));
    publish(published);
    ASSERT_EQ(*verifier_.run_once(), 1);
    ASSERT_TRUE(patch(published, with_visibility("public")).has_value());
    auto refused = patch(published, with_client_uri(std::nullopt));
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().violations.at(0).pointer, "/client_uri");
}

// A ClientStore that runs `after_read` once, right after the next
// find_client: a concurrent writer between an update's read and its write.
class InterleavingStore final : public testing::FaultyClientStore {
public:
    explicit InterleavingStore(ClientStore& inner) : FaultyClientStore(inner, -1) {}
    std::function<void()> after_read;

    Result<Client> find_client(const Id& id) override {
        auto found = FaultyClientStore::find_client(id);
        if (after_read) std::exchange(after_read, nullptr)();
        return found;
    }
};

TEST_F(AccountClients, AnUpdateDoesNotUndoTheVerifiersResult) {
    Client client = create(valid());
    publish(client);
    InterleavingStore racing(store_);
    AccountClientService racing_service(racing, access_, catalog_, clock_, random_, digester_);
    bool verified_meanwhile = false;
    racing.after_read = [&] { verified_meanwhile = *verifier_.run_once() == 1; };
    ClientMetadataPatch rename;
    rename.client_name = "Renamed";
    ASSERT_TRUE(racing_service.update(owner_, account_, client.id, rename).has_value());
    ASSERT_TRUE(verified_meanwhile);  // the verifier finished between the read and the write
    EXPECT_EQ(reload(client).uri_verification->status, Status::verified);
    EXPECT_EQ(reload(client).name, "Renamed");
}

TEST_F(AccountClients, TheCredentialsScopeLimitsWhatAMemberMayDo) {
    Client client = create(valid());
    for (const char* scope : {"oauth-clients.read", "read"}) {
        Caller reader{owner_.user_id, Id{}, {scope}, std::nullopt};
        EXPECT_TRUE(service_.get(reader, account_, client.id).has_value()) << scope;
        EXPECT_EQ(service_.create(reader, account_, valid()).error().code, Code::forbidden);
    }
    for (const char* scope : {"oauth-clients.write", "write", "global"}) {
        Caller writer{owner_.user_id, Id{}, {scope}, std::nullopt};
        EXPECT_TRUE(service_.create(writer, account_, valid()).has_value()) << scope;
    }
    Caller identity_only{owner_.user_id, Id{}, {"identity", "account.read"}, std::nullopt};
    EXPECT_EQ(service_.list(identity_only, account_).error().code, Code::forbidden);
}

TEST_F(AccountClients, RotationKeepsTwoSecretsUntilTheOldOneIsDeleted) {
    Client client = create(valid());
    auto first = service_.rotate_secret(owner_, account_, client.id);
    ASSERT_TRUE(first.has_value());
    auto second = service_.rotate_secret(owner_, account_, client.id);
    ASSERT_FALSE(second.has_value());
    EXPECT_EQ(second.error().code, Code::conflict);
    EXPECT_TRUE(reload(client).has_rotated_secret());
    ASSERT_TRUE(service_.delete_rotated_secret(owner_, account_, client.id).has_value());
    EXPECT_FALSE(reload(client).has_rotated_secret());
    auto none_left = service_.delete_rotated_secret(owner_, account_, client.id);
    ASSERT_FALSE(none_left.has_value());
    EXPECT_EQ(none_left.error().subject, "rotated_secret");
}

}  // namespace
}  // namespace tessera::core
