// The upgrade rule (README "Schema migrations and rolling upgrades"): every
// migration leaves a schema the previous release still works on, so nodes
// can be replaced one at a time and a release rolled back without reversing
// a migration. This reads each dialect's embedded migrations and refuses the
// statements that can break the previous release's reads or writes, unless
// the case is listed below with the reason it is safe.
#include <algorithm>
#include <cctype>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "storage/postgres/migrations.hpp"
#include "storage/sqlite/migrations.hpp"

namespace tessera::storage {
namespace {

// The SQL of one file without comments, upper-cased, whitespace collapsed,
// split into statements.
std::vector<std::string> statements(std::string_view sql) {
    std::vector<std::string> out;
    std::string current;
    bool space = false;
    for (std::size_t i = 0; i < sql.size(); ++i) {
        if (sql.substr(i, 2) == "--") {
            while (i < sql.size() && sql[i] != '\n') ++i;
            space = !current.empty();
            continue;
        }
        char c = sql[i];
        if (c == ';') {
            if (!current.empty()) out.push_back(std::move(current));
            current.clear();
            space = false;
        } else if (std::isspace(static_cast<unsigned char>(c))) {
            space = !current.empty();
        } else {
            if (space) current += ' ';
            space = false;
            current += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        }
    }
    if (!current.empty()) out.push_back(std::move(current));
    return out;
}

// The constructs of `statement` that can break the previous release.
std::vector<std::string> breaking_constructs(const std::string& statement) {
    std::vector<std::string> found;
    for (const char* construct : {"DROP TABLE", "DROP COLUMN", "RENAME", "ALTER COLUMN",
                                  "DROP INDEX", "DROP CONSTRAINT", "ADD CONSTRAINT"})
        if (statement.find(construct) != std::string::npos) found.emplace_back(construct);
    // A new NOT NULL column without a default refuses the old release's inserts.
    if (statement.find("ADD COLUMN") != std::string::npos &&
        statement.find("NOT NULL") != std::string::npos &&
        statement.find("DEFAULT") == std::string::npos)
        found.emplace_back("ADD COLUMN NOT NULL without DEFAULT");
    return found;
}

// (version, construct) -> why it does not break the previous release.
using Exceptions = std::map<std::pair<int, std::string>, std::string>;

template <typename Migrations>
std::vector<std::string> violations(const Migrations& migrations, const Exceptions& allowed) {
    std::vector<std::string> out;
    for (const auto& migration : migrations)
        for (const auto& statement : statements(migration.sql))
            for (const auto& construct : breaking_constructs(statement))
                if (!allowed.contains({migration.version, construct}))
                    out.push_back(std::string(migration.name) + ": " + construct + " in \"" +
                                  statement.substr(0, 120) + "\"");
    return out;
}

TEST(MigrationRules, StatementsAreSplitAndCommentsIgnored) {
    auto parsed = statements(
        "-- DROP TABLE in a comment\nALTER TABLE t\n  ADD COLUMN c text NOT NULL;\n"
        "CREATE INDEX i ON t (c); -- trailing\n");
    ASSERT_EQ(parsed.size(), 2u);
    EXPECT_EQ(parsed[0], "ALTER TABLE T ADD COLUMN C TEXT NOT NULL");
    EXPECT_EQ(breaking_constructs(parsed[0]),
              std::vector<std::string>{"ADD COLUMN NOT NULL without DEFAULT"});
    EXPECT_TRUE(breaking_constructs(parsed[1]).empty());
    EXPECT_TRUE(breaking_constructs("ALTER TABLE T ADD COLUMN C TEXT NOT NULL DEFAULT ''").empty());
    EXPECT_EQ(breaking_constructs("ALTER TABLE T RENAME COLUMN A TO B"),
              std::vector<std::string>{"RENAME"});
    EXPECT_EQ(breaking_constructs("ALTER TABLE T ALTER COLUMN A SET NOT NULL"),
              std::vector<std::string>{"ALTER COLUMN"});
}

TEST(MigrationRules, PostgresMigrationsKeepThePreviousReleaseWorking) {
    const Exceptions allowed = {
        {{4, "DROP INDEX"},
         "signing_keys_one_per_state gives way to a unique index per (algorithm, state), "
         "created first in the same migration: every row the previous release writes "
         "(one ES256 line) still satisfies it. README: create a second key line only "
         "after every node runs a release with lines."},
    };
    auto found = violations(postgres::embedded_migrations(), allowed);
    EXPECT_TRUE(found.empty()) << [&] {
        std::string text;
        for (const auto& v : found) text += v + "\n";
        return text;
    }();
}

TEST(MigrationRules, SqliteMigrationsKeepThePreviousReleaseWorking) {
    // SQLite cannot drop a NOT NULL or UNIQUE constraint in place: it copies
    // the table to a new one with the same columns and renames it back, which
    // the previous release cannot tell from the old table.
    const std::string rebuild = "table rebuilt with the same columns, constraints relaxed only";
    const Exceptions allowed = {
        {{2, "DROP TABLE"}, rebuild},
        {{2, "RENAME"}, rebuild},
        {{6, "DROP TABLE"}, rebuild},
        {{6, "RENAME"}, rebuild},
        {{12, "DROP INDEX"},
         "as PostgreSQL's 0004: one unique index per (algorithm, state) replaces the one "
         "per state; the previous release's rows still satisfy it."},
    };
    auto found = violations(sqlite::embedded_migrations(), allowed);
    EXPECT_TRUE(found.empty()) << [&] {
        std::string text;
        for (const auto& v : found) text += v + "\n";
        return text;
    }();
}

TEST(MigrationRules, AnUnlistedBreakingStatementIsReported) {
    struct Fake {
        int version;
        std::string_view name;
        std::string_view sql;
    };
    std::vector<Fake> migrations = {{1, "0001_a", "CREATE TABLE t (a text);"},
                                    {2, "0002_b", "ALTER TABLE t DROP COLUMN a;"}};
    auto found = violations(migrations, {});
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0], "0002_b: DROP COLUMN in \"ALTER TABLE T DROP COLUMN A\"");
    EXPECT_TRUE(violations(migrations, {{{2, "DROP COLUMN"}, "reason"}}).empty());
}

}  // namespace
}  // namespace tessera::storage
