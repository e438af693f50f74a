#include "http/router.hpp"

#include <gtest/gtest.h>

namespace tessera::http {
namespace {

Response ok(const Request&) { return Response{}; }

Router make_router() {
    Router r;
    r.add("GET", "/oauth/clients", ok);
    r.add("POST", "/oauth/clients", ok);
    r.add("GET", "/oauth/clients/{client_id}", ok);
    r.add("PATCH", "/oauth/clients/{client_id}", ok);
    r.add("POST", "/oauth/clients/{client_id}/actions/rotate-credentials", ok);
    return r;
}

TEST(Router, MatchesTemplatesAndDecodesParams) {
    auto r = make_router();
    auto m = r.match("GET", "/oauth/clients/abc%7E");
    ASSERT_TRUE(std::holds_alternative<Router::Found>(m));
    auto& found = std::get<Router::Found>(m);
    ASSERT_EQ(found.params.size(), 1u);
    EXPECT_EQ(found.params[0].first, "client_id");
    EXPECT_EQ(found.params[0].second, "abc~");
    EXPECT_TRUE(std::holds_alternative<Router::Found>(
        r.match("POST", "/oauth/clients/x/actions/rotate-credentials")));
}

TEST(Router, TableOfPathsAndOutcomes) {
    auto r = make_router();
    struct Case {
        const char* method;
        const char* path;
        int kind;
    };  // index into Match
    for (auto c : {Case{"GET", "/oauth/clients", 0}, Case{"DELETE", "/oauth/clients", 2},
                   Case{"GET", "/oauth/clients/", 1}, Case{"GET", "/nope", 1}, Case{"GET", "/", 1},
                   Case{"GET", "/oauth/clients/../x", 3}, Case{"GET", "/oauth/clients/%2e%2E", 3},
                   Case{"GET", "/oauth/clients/a%2Fb", 3}, Case{"GET", "/oauth//clients", 3},
                   Case{"GET", "/oauth/clients/%zz", 3}, Case{"GET", "oauth/clients", 3},
                   Case{"PUT", "/oauth/clients/x", 2}}) {
        EXPECT_EQ(static_cast<int>(r.match(c.method, c.path).index()), c.kind)
            << c.method << ' ' << c.path;
    }
}

TEST(Router, MethodNotAllowedListsAllowedMethods) {
    auto r = make_router();
    auto m = r.match("DELETE", "/oauth/clients/x");
    ASSERT_TRUE(std::holds_alternative<Router::MethodNotAllowed>(m));
    EXPECT_EQ(std::get<Router::MethodNotAllowed>(m).allow, "GET, PATCH");
}

TEST(SplitTarget, AcceptsOriginAndAbsoluteForm) {
    struct Case {
        const char* target;
        const char* path;
        const char* query;
    };
    for (auto c : {Case{"/a/b?x=1", "/a/b", "x=1"}, Case{"/a", "/a", ""},
                   Case{"https://api.heroku.com/oauth/clients", "/oauth/clients", ""},
                   Case{"http://h:8080/oauth/clients?q", "/oauth/clients", "q"},
                   Case{"https://api.heroku.com", "/", ""}}) {
        auto split = split_target(c.target);
        ASSERT_TRUE(split) << c.target;
        EXPECT_EQ(split->first, c.path);
        EXPECT_EQ(split->second, c.query);
    }
    EXPECT_FALSE(split_target("*"));
    EXPECT_FALSE(split_target("api.heroku.com:443"));
}

TEST(PercentDecode, DecodesAndRejectsMalformedEscapes) {
    EXPECT_EQ(*percent_decode("a%20b+c"), "a b+c");
    EXPECT_EQ(*percent_decode("a%20b+c", true), "a b c");
    EXPECT_FALSE(percent_decode("%"));
    EXPECT_FALSE(percent_decode("%4"));
    EXPECT_FALSE(percent_decode("%g0"));
}

TEST(Headers, CaseInsensitiveLookupAndSet) {
    Headers h;
    h.add("Content-Type", "a");
    h.add("content-type", "b");
    EXPECT_EQ(*h.get("CONTENT-TYPE"), "a");
    EXPECT_EQ(h.count("Content-type"), 2u);
    h.set("Content-Type", "c");
    EXPECT_EQ(h.count("content-type"), 1u);
    EXPECT_EQ(*h.get("content-type"), "c");
}

}  // namespace
}  // namespace tessera::http
