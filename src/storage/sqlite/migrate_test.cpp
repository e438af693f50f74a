#include "storage/sqlite/migrate.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "storage/sqlite/sqlite_test_fixture.hpp"

namespace tessera::storage::sqlite {
namespace {

class SqliteMigrate : public DatabaseTest {};

TEST(EmbeddedMigrations, AreNumberedFromOneInOrder) {
    auto migrations = embedded_migrations();
    ASSERT_FALSE(migrations.empty());
    EXPECT_EQ(migrations[0].version, 1);
    EXPECT_EQ(migrations[0].name, "0001_initial");
    EXPECT_NE(migrations[0].sql.find("CREATE TABLE clients"), std::string_view::npos);
    for (std::size_t i = 1; i < migrations.size(); ++i) {
        EXPECT_GT(migrations[i].version, migrations[i - 1].version);
    }
}

TEST_P(SqliteMigrate, AppliesEachMigrationOnceAndRecordsTheVersion) {
    const int count = static_cast<int>(embedded_migrations().size());
    auto version = schema_version(*database_);
    ASSERT_TRUE(version.has_value());
    EXPECT_EQ(*version, 0);

    auto first = migrate(*database_);
    ASSERT_TRUE(first.has_value()) << first.error().log_detail;
    EXPECT_EQ(*first, count);
    auto second = migrate(*database_);
    ASSERT_TRUE(second.has_value()) << second.error().log_detail;
    EXPECT_EQ(*second, 0);

    version = schema_version(*database_);
    ASSERT_TRUE(version.has_value());
    EXPECT_EQ(*version, embedded_migrations().back().version);
    EXPECT_EQ(query_int("SELECT count(*) FROM schema_migrations"), count);
    EXPECT_GT(query_int("SELECT min(applied_at) FROM schema_migrations"), 1700000000);
    EXPECT_EQ(query_int("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN"
                        " ('accounts', 'users', 'clients', 'authorizations', 'access_tokens',"
                        " 'settings')"),
              6);
}

TEST_P(SqliteMigrate, FailingMigrationIsRolledBackAndEarlierOnesStay) {
    const Migration migrations[] = {
        {1, "0001_first", "CREATE TABLE first (x INTEGER);"},
        {2, "0002_broken", "CREATE TABLE second (x INTEGER); INSERT INTO missing VALUES (1);"},
    };
    auto applied = migrate(*database_, migrations);
    ASSERT_FALSE(applied.has_value());
    EXPECT_EQ(applied.error().code, Code::internal);
    EXPECT_NE(applied.error().log_detail.find("0002_broken"), std::string::npos);
    EXPECT_EQ(query_int("SELECT count(*) FROM sqlite_master WHERE name = 'first'"), 1);
    EXPECT_EQ(query_int("SELECT count(*) FROM sqlite_master WHERE name = 'second'"), 0);
    auto version = schema_version(*database_);
    ASSERT_TRUE(version.has_value());
    EXPECT_EQ(*version, 1);
}

TEST_P(SqliteMigrate, AppliesOnlyTheMigrationsThatAreMissing) {
    const Migration old_build[] = {{1, "0001_first", "CREATE TABLE first (x INTEGER);"}};
    const Migration new_build[] = {{1, "0001_first", "CREATE TABLE first (x INTEGER);"},
                                   {2, "0002_second", "CREATE TABLE second (x INTEGER);"}};
    auto applied = migrate(*database_, old_build);
    ASSERT_TRUE(applied.has_value());
    EXPECT_EQ(*applied, 1);
    applied = migrate(*database_, new_build);
    ASSERT_TRUE(applied.has_value()) << applied.error().log_detail;
    EXPECT_EQ(*applied, 1);
    EXPECT_EQ(query_int("SELECT count(*) FROM sqlite_master WHERE name = 'second'"), 1);
}

TEST_P(SqliteMigrate, RejectsMigrationsOutOfOrder) {
    const Migration migrations[] = {{2, "0002_b", "CREATE TABLE b (x INTEGER);"},
                                    {1, "0001_a", "CREATE TABLE a (x INTEGER);"}};
    auto applied = migrate(*database_, migrations);
    ASSERT_FALSE(applied.has_value());
    EXPECT_EQ(applied.error().code, Code::internal);
    EXPECT_EQ(query_int("SELECT count(*) FROM sqlite_master WHERE name IN ('a', 'b')"), 0);
}

// Runs one statement with parameters bound by `bind(Statement&)`.
template <typename Bind>
void run_sql(Database& database, std::string_view sql, Bind bind) {
    auto result = database.transaction([&](Connection& connection) -> Result<void> {
        TESSERA_TRY_ASSIGN(Statement statement, connection.prepare(sql));
        bind(statement);
        return statement.run();
    });
    ASSERT_TRUE(result.has_value()) << result.error().log_detail;
}

// 0002 adds client metadata and rebuilds access_tokens with nullable
// authorization_id/user_id and client_id referencing clients.
TEST_P(SqliteMigrate, UpgradeFromTheInitialSchemaKeepsEveryRow) {
    auto applied = migrate(*database_, embedded_migrations().first(1));
    ASSERT_TRUE(applied.has_value()) << applied.error().log_detail;
    ASSERT_EQ(*applied, 1);

    SeededRandom random(7);
    const Id account = Id::generate(random), user = Id::generate(random),
             client = Id::generate(random), authorization = Id::generate(random),
             token = Id::generate(random), orphan = Id::generate(random);
    const std::string digest(32, 'd'), orphan_digest(32, 'o');
    run_sql(*database_, "INSERT INTO accounts VALUES (?1, 'personal', 10)",
            [&](Statement& s) { s.bind_id(1, account); });
    run_sql(*database_, "INSERT INTO users VALUES (?1, 'a@example.com', 'A', 'h', ?2, 10, 10)",
            [&](Statement& s) { s.bind_id(1, user).bind_id(2, account); });
    run_sql(*database_,
            "INSERT INTO clients VALUES (?1, ?2, ?3, 'App', '[\"https://a.example/cb\"]',"
            " x'5353', NULL, 11, 12)",
            [&](Statement& s) { s.bind_id(1, client).bind_id(2, account).bind_id(3, user); });
    run_sql(*database_,
            "INSERT INTO authorizations VALUES (?1, ?2, ?3, 'global read', 'laptop', 0, 13, 14)",
            [&](Statement& s) { s.bind_id(1, authorization).bind_id(2, user).bind_id(3, client); });
    const char* kInsertToken =
        "INSERT INTO access_tokens VALUES (?1, ?2, ?3, ?4, ?5, 'tat_abcde**********wxyz',"
        " 'global', 3600, 15)";
    run_sql(*database_, kInsertToken, [&](Statement& s) {
        s.bind_id(1, token).bind_id(2, authorization).bind_id(3, user).bind_id(4, client);
        s.bind_blob(5, digest);
    });
    // 0001 had no reference from access_tokens.client_id: a client deleted
    // behind the store's back could leave such a row.
    run_sql(*database_, kInsertToken, [&](Statement& s) {
        s.bind_id(1, orphan).bind_id(2, authorization).bind_id(3, user);
        s.bind_id(4, Id::generate(random)).bind_blob(5, orphan_digest);
    });

    applied = migrate(*database_);
    ASSERT_TRUE(applied.has_value()) << applied.error().log_detail;
    EXPECT_EQ(*applied, static_cast<int>(embedded_migrations().size()) - 1);
    EXPECT_EQ(query_int("SELECT count(*) FROM pragma_foreign_key_check"), 0);
    EXPECT_EQ(query_int("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN"
                        " ('access_tokens_authorization_id', 'access_tokens_client_id',"
                        " 'access_tokens_digest', 'access_tokens_expires_at',"
                        " 'access_tokens_session_id')"),
              5);
    // 0006: tokens from before carry no id inside and keep the digest index.
    EXPECT_EQ(query_int("SELECT count(*) FROM access_tokens WHERE by_digest = 1"), 1);
    EXPECT_EQ(query_int("SELECT count(*) FROM sqlite_master WHERE name = 'access_tokens_new'"), 0);

    SqliteStore store(*database_);
    auto found_client = store.find_client(client);
    ASSERT_TRUE(found_client.has_value()) << found_client.error().log_detail;
    EXPECT_EQ(found_client->name, "App");
    EXPECT_EQ(found_client->redirect_uris, std::vector<std::string>{"https://a.example/cb"});
    EXPECT_EQ(found_client->secret_digest, "SS");
    EXPECT_EQ(found_client->updated_at, 12);
    EXPECT_EQ(found_client->grant_types,
              (std::vector<std::string>{"authorization_code", "refresh_token"}));
    EXPECT_TRUE(found_client->scopes.empty());
    EXPECT_EQ(found_client->token_endpoint_auth_method, "client_secret_basic");
    EXPECT_EQ(found_client->refresh_policy, "stable");
    auto found_authorization = store.find_authorization(authorization);
    ASSERT_TRUE(found_authorization.has_value());
    EXPECT_EQ(found_authorization->scope, (std::vector<std::string>{"global", "read"}));
    auto found_token = store.find_access_token(digest);
    ASSERT_TRUE(found_token.has_value()) << found_token.error().log_detail;
    EXPECT_EQ(found_token->id, token);
    EXPECT_EQ(found_token->authorization_id, authorization);
    EXPECT_EQ(found_token->user_id, user);
    EXPECT_EQ(found_token->client_id, client);
    EXPECT_EQ(found_token->redacted, "tat_abcde**********wxyz");
    EXPECT_EQ(found_token->expires_at, 3600);
    EXPECT_EQ(found_token->created_at, 15);
    EXPECT_EQ(found_token->session_id, std::nullopt);  // 0005 adds the column, NULL
    EXPECT_FALSE(found_token->id_in_token);            // 0006: found by digest
    EXPECT_FALSE(store.find_access_token(orphan_digest).has_value());

    // The rebuilt table keeps its cascade from authorizations.
    ASSERT_TRUE(store.delete_authorization(authorization).has_value());
    EXPECT_FALSE(store.find_access_token(digest).has_value());
}

INSTANTIATE_TEST_SUITE_P(Backends, SqliteMigrate, kBothBackends, backend_name);

TEST(SqliteMigrateFile, ReopenedFileIsAlreadyUpToDate) {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "tessera-sqlite-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    const std::string path = pattern + "/tessera.db";
    for (int expected : {static_cast<int>(embedded_migrations().size()), 0}) {
        auto opened = Database::open(path);
        ASSERT_TRUE(opened.has_value()) << opened.error().log_detail;
        auto applied = migrate(**opened);
        ASSERT_TRUE(applied.has_value()) << applied.error().log_detail;
        EXPECT_EQ(*applied, expected);
    }
    std::filesystem::remove_all(pattern);
}

}  // namespace
}  // namespace tessera::storage::sqlite
