#include "api/oauth/form.hpp"

#include <gtest/gtest.h>

namespace tessera::api::oauth {
namespace {

http::Request form_request(std::string body, std::string query = "",
                           std::string type = "application/x-www-form-urlencoded") {
    http::Request r;
    r.method = "POST";
    r.body = std::move(body);
    r.query = std::move(query);
    if (!type.empty()) r.headers.set("Content-Type", std::move(type));
    return r;
}

TEST(OAuthForm, DecodesParametersFromBodyAndOptionallyQuery) {
    auto form = parse_form(
        form_request("grant_type=client_credentials&scope=read+write&x=%41", "client_id=abc"),
        true);
    ASSERT_TRUE(form.has_value());
    EXPECT_EQ(*form->get("grant_type"), "client_credentials");
    EXPECT_EQ(*form->get("scope"), "read write");
    EXPECT_EQ(*form->get("x"), "A");
    EXPECT_EQ(*form->get("client_id"), "abc");
    auto without_query = parse_form(form_request("a=1", "b=2"), false);
    EXPECT_FALSE(without_query->has("b"));
}

TEST(OAuthForm, RejectsDuplicatesWrongTypeAndBadEscapes) {
    struct Case {
        const char* body;
        const char* query;
        const char* type;
    };
    for (auto c : {Case{"a=1&a=2", "", "application/x-www-form-urlencoded"},
                   Case{"a=1", "a=2", "application/x-www-form-urlencoded"},
                   Case{"a=%zz", "", "application/x-www-form-urlencoded"},
                   Case{"{\"a\":1}", "", "application/json"}, Case{"a=1", "", ""}}) {
        auto form = parse_form(form_request(c.body, c.query, c.type), true);
        ASSERT_FALSE(form.has_value()) << c.body;
        EXPECT_EQ(form.error().code, Code::invalid_request);
    }
    EXPECT_NE(parse_form(form_request("code=1&code=2"), false).error().description.find("code"),
              std::string::npos);
}

TEST(OAuthForm, AcceptsTheContentTypeWithACharset) {
    auto form = parse_form(
        form_request("a=1", "", "application/x-www-form-urlencoded; charset=UTF-8"), false);
    EXPECT_TRUE(form.has_value());
}

}  // namespace
}  // namespace tessera::api::oauth
