// The programs in examples/ run against the real server on loopback.
#include "sdk/process.hpp"
#include "sdk/sdk_fixture.hpp"

namespace tessera::testing {
namespace {

class Examples : public SdkTest {
protected:
    ProcessResult run(const std::string& example, const std::vector<std::string>& args = {}) {
        return run_process(std::string(EXAMPLES_DIR) + "/" + example, args,
                           {{"TESSERA_API_URL", base_url()}, {"TESSERA_API_KEY", token_}});
    }
};

TEST_F(Examples, ListClients) {
    create_clients_directly(3);
    auto r = run("list_clients");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("  bulk-0000\n"), std::string::npos) << r.out;
    EXPECT_TRUE(r.out.ends_with("\n3 clients\n")) << r.out;
}

TEST_F(Examples, ClientLifecycle) {
    auto r = run("client_lifecycle", {"Example app", "https://example.com/cb"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("secret tcs_…\n"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("renamed Example app (renamed)\n"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("rotated new\n"), std::string::npos) << r.out;
    EXPECT_TRUE(r.out.ends_with("gone: Couldn't find that OAuth client.\n")) << r.out;
    auto left = api().oauth().clients().list();
    ASSERT_TRUE(left);
    EXPECT_TRUE(left->empty());
}

TEST_F(Examples, AccountClients) {
    auto r = run("account_clients", {new_account("Acme")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("scopes account.read offline_access\n"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("renamed Example (renamed)\n"), std::string::npos) << r.out;
    auto bad = run("account_clients", {"not-an-account"});
    EXPECT_EQ(bad.exit_code, 1);
    EXPECT_NE(bad.err.find("7003"), std::string::npos) << bad.err;
}

TEST_F(Examples, IntrospectToken) {
    auto user = server_.app().users().find_by_email(kOwner);
    ASSERT_TRUE(user);
    auto machine = server_.app().clients().register_client(
        {user->id, user->account_id, "Machine", {}, {"client_credentials"}, {}, "", ""},
        server_.app().scopes());
    ASSERT_TRUE(machine);
    std::string id = machine->client.id.uuid(), secret = machine->secret.reveal();
    auto tokens = api_with({}).endpoints().token(
        {.grant_type = "client_credentials", .client = {id, sdk::Secret(secret)}, .scope = "read"});
    ASSERT_TRUE(tokens);
    auto r = run("introspect_token", {tokens->access_token.reveal(), id, secret});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(r.out.starts_with("issuer http://127.0.0.1:8080\n{\"active\":true,")) << r.out;
}

}  // namespace
}  // namespace tessera::testing
