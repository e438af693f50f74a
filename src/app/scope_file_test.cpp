#include "app/scope_file.hpp"

#include <gtest/gtest.h>

namespace tessera::app {
namespace {

TEST(ScopeFile, TheShippedFileIsTheBuiltInCatalog) {
    auto loaded = load_scope_file(std::string(TESSERA_SOURCE_DIR) + "/config/scopes.toml");
    ASSERT_TRUE(loaded.has_value()) << loaded.error().description;
    auto built_in = core::ScopeCatalog::account_default();
    ASSERT_EQ(loaded->size(), built_in.size());
    for (std::size_t i = 0; i < built_in.size(); ++i) {
        EXPECT_EQ((*loaded)[i].id, built_in[i].id);
        EXPECT_EQ((*loaded)[i].name, built_in[i].name);
        EXPECT_EQ((*loaded)[i].category, built_in[i].category);
        EXPECT_EQ((*loaded)[i].description, built_in[i].description);
        EXPECT_EQ((*loaded)[i].permissions, built_in[i].permissions);
    }
}

TEST(ScopeFile, ReadsEveryFieldAndDefaultsTheDescription) {
    auto parsed = parse_scope_file(R"(
[[scopes]]
id = "zones.read"
name = "Zones Read"
category = "dns"
description = "Read your zones."
scopes = ["zone.read", "zone.settings.read"]

[[scopes]]
id = "logs.read"
name = "Logs Read"
)",
                                   "t.toml");
    ASSERT_TRUE(parsed.has_value()) << parsed.error().description;
    ASSERT_EQ(parsed->size(), 2u);
    EXPECT_EQ((*parsed)[0].description, "Read your zones.");
    EXPECT_EQ((*parsed)[0].permissions, (std::vector<std::string>{"zone.read", "zone.settings.read"}));
    EXPECT_EQ((*parsed)[1].description, "Logs Read");
    EXPECT_TRUE((*parsed)[1].category.empty());
}

TEST(ScopeFile, RefusesBadFilesWithTheReason) {
    struct Case {
        const char* text;
        const char* reason;
    };
    for (const Case& c : {
             Case{"[[scopes]\n", ""},
             Case{"x = 1\n", "expected [[scopes]] tables"},
             Case{"[[scopes]]\nid = \"nodot\"\nname = \"N\"\n", "scopes[0].id must be a dotted"},
             Case{"[[scopes]]\nid = \"a:b.c\"\nname = \"N\"\n", "scopes[0].id must be a dotted"},
             Case{"[[scopes]]\nid = \"a.b\"\n", "scopes[0].name is required"},
             Case{"[[scopes]]\nid = \"a.b\"\nname = \"N\"\nscopes = [1]\n",
                  "scopes[0].scopes must hold strings"},
             Case{"[[scopes]]\nid = \"a.b\"\nname = \"N\"\n[[scopes]]\nid = \"a.b\"\nname = \"M\"\n",
                  "scopes[1].id 'a.b' is listed twice"},
         }) {
        auto parsed = parse_scope_file(c.text, "bad.toml");
        ASSERT_FALSE(parsed.has_value()) << c.text;
        EXPECT_EQ(parsed.error().subject, "scope_catalog");
        EXPECT_NE(parsed.error().description.find("bad.toml"), std::string::npos);
        EXPECT_NE(parsed.error().description.find(c.reason), std::string::npos)
            << parsed.error().description;
    }
    EXPECT_FALSE(load_scope_file("/nonexistent/scopes.toml").has_value());
}

}  // namespace
}  // namespace tessera::app
