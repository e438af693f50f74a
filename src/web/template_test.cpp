#include "web/template.hpp"

#include <type_traits>

#include <gtest/gtest.h>

namespace tessera::web {
namespace {

// Html can only come from Template::render: never from request data.
static_assert(!std::is_constructible_v<Html, std::string>);
static_assert(!std::is_constructible_v<Html, const char*>);
static_assert(!std::is_constructible_v<Html, std::string_view>);

std::string render(std::string_view text, const Context& context) {
    auto parsed = Template::parse(text, "test.html");
    EXPECT_TRUE(parsed.has_value()) << parsed.error().log_detail;
    if (!parsed) return "<parse error>";
    return parsed->render(context).str();
}

TEST(Template, EscapesEverySpecialCharacter) {
    struct Case {
        const char* in;
        const char* out;
    };
    for (auto c : {Case{"&", "&amp;"}, Case{"<", "&lt;"}, Case{">", "&gt;"}, Case{"\"", "&quot;"},
                   Case{"'", "&#39;"}, Case{"`", "&#96;"}, Case{"=", "&#61;"},
                   Case{"plain text 123", "plain text 123"}, Case{"é ✓", "é ✓"},
                   Case{"&amp;", "&amp;amp;"}}) {
        EXPECT_EQ(render("{{v}}", Context{{"v", c.in}}), c.out) << c.in;
        EXPECT_EQ(escape_html(c.in), c.out) << c.in;
    }
}

TEST(Template, EscapesValuesInsideAttributes) {
    Context data{{"v", "\" onfocus='alert(1)' x=`y` <b>&"}};
    EXPECT_EQ(render(R"(<input value="{{v}}">)", data),
              "<input value=\"&quot; onfocus&#61;&#39;alert(1)&#39; x&#61;&#96;y&#96; "
              "&lt;b&gt;&amp;\">");
    EXPECT_EQ(render("<a title='{{v}}'>", Context{{"v", "'><script>"}}),
              "<a title='&#39;&gt;&lt;script&gt;'>");
}

TEST(Template, MissingNameAndNonTextValuesRenderEmpty) {
    Context data{{"flag", true}, {"items", Context::List{"a"}}, {"map", Context{{"x", "y"}}}};
    EXPECT_EQ(render("[{{missing}}][{{flag}}][{{items}}][{{map}}]", data), "[][][][]");
}

TEST(Template, AllowsSpacesAroundNames) {
    EXPECT_EQ(render("{{ name }}|{{# on }}yes{{/ on }}", Context{{"name", "n"}, {"on", true}}),
              "n|yes");
}

TEST(Template, SectionRepeatsForEachListItem) {
    Context::List items{Context{{"n", "1"}}, Context{{"n", "<2>"}}, Context{{"n", "3"}}};
    EXPECT_EQ(render("<ul>{{#items}}<li>{{n}}</li>{{/items}}</ul>", Context{{"items", items}}),
              "<ul><li>1</li><li>&lt;2&gt;</li><li>3</li></ul>");
    EXPECT_EQ(
        render("<ul>{{#items}}<li>{{n}}</li>{{/items}}</ul>", Context{{"items", Context::List{}}}),
        "<ul></ul>");
}

TEST(Template, SectionShowsOnceForTruthyValues) {
    struct Case {
        Context value;
        bool shown;
    };
    const Case cases[] = {{true, true},
                          {false, false},
                          {"text", true},
                          {"", false},
                          {Context{}, true},  // a map, even empty, as in Mustache
                          {Context{{"a", "b"}}, true},
                          {Context::List{"x"}, true},
                          {Context::List{}, false}};
    for (const auto& c : cases) {
        EXPECT_EQ(render("{{#v}}shown{{/v}}", Context{{"v", c.value}}), c.shown ? "shown" : "");
        EXPECT_EQ(render("{{^v}}hidden{{/v}}", Context{{"v", c.value}}), c.shown ? "" : "hidden");
    }
    EXPECT_EQ(render("{{#missing}}shown{{/missing}}", Context{}), "");
    EXPECT_EQ(render("{{^missing}}hidden{{/missing}}", Context{}), "hidden");
}

TEST(Template, SectionOverMapPushesIt) {
    Context data{{"user", Context{{"email", "a@example.com"}}}, {"email", "outer"}};
    EXPECT_EQ(render("{{#user}}{{email}}{{/user}} {{email}}", data), "a@example.com outer");
}

TEST(Template, LookupFallsBackToEnclosingContexts) {
    Context data{{"form", "/oauth/authorize"},
                 {"name", "outer"},
                 {"rows", Context::List{Context{{"name", "inner"}}, Context{}}}};
    EXPECT_EQ(render("{{#rows}}{{name}}@{{form}};{{/rows}}", data),
              "inner@/oauth/authorize;outer@/oauth/authorize;");
}

TEST(Template, InnerFalseValueShadowsOuterOne) {
    Context data{{"on", true}, {"rows", Context::List{Context{{"on", false}}}}};
    EXPECT_EQ(render("{{#rows}}{{#on}}on{{/on}}{{^on}}off{{/on}}{{/rows}}", data), "off");
}

TEST(Template, NestedSectionsAndComments) {
    Context data{
        {"groups", Context::List{Context{{"title", "g1"}, {"items", Context::List{"a", "b"}}},
                                 Context{{"title", "g2"}, {"items", Context::List{}}}}}};
    EXPECT_EQ(render("{{! a {comment} with {{braces }}{{#groups}}{{title}}:"
                     "{{#items}}*{{/items}}{{^items}}none{{/items}} {{/groups}}",
                     data),
              "g1:** g2:none ");
}

TEST(Template, InsertsHtmlUnescaped) {
    auto inner = Template::parse("<b>{{v}}</b>");
    ASSERT_TRUE(inner.has_value());
    Html body = inner->render(Context{{"v", "<i>"}});
    EXPECT_EQ(render("<main>{{body}}</main>{{#body}}!{{/body}}", Context{{"body", body}}),
              "<main><b>&lt;i&gt;</b></main>!");
    EXPECT_EQ(render("{{^body}}empty{{/body}}", Context{{"body", Html()}}), "empty");
}

TEST(Template, RemovesLinesHoldingOnlyASectionOrCommentTag) {
    Context data{{"items", Context::List{"a", "b"}}, {"v", "x"}};
    EXPECT_EQ(render("<ul>\n  {{#items}}\n  <li>{{v}}</li>\n  {{/items}}\n</ul>\n", data),
              "<ul>\n  <li>x</li>\n  <li>x</li>\n</ul>\n");
    EXPECT_EQ(render("{{! first\nline }}\r\n<!DOCTYPE html>\n{{^items}}\nnone\n{{/items}}", data),
              "<!DOCTYPE html>\n");
    // A variable is never standalone; a tag sharing its line with text keeps the line.
    EXPECT_EQ(render("{{v}}\n a {{#items}}\n{{/items}} b\n", Context{{"v", ""}}), "\n a  b\n");
}

TEST(Template, CopiesTextVerbatim) {
    EXPECT_EQ(render("", Context{}), "");
    EXPECT_EQ(render("a } b { c }} d\n  ", Context{}), "a } b { c }} d\n  ");
}

TEST(Template, RejectsMalformedTemplates) {
    struct Case {
        const char* text;
        const char* detail;
    };
    for (auto c : {
             Case{"{{#a}}x", "test.html:1: section a is not closed"},
             Case{"x\n\n{{#a}}{{#b}}{{/b}}", "test.html:3: section a is not closed"},
             Case{"{{#a}}{{/b}}", "test.html:1: {{/b}} closes no open section"},
             Case{"{{#a}}{{#b}}{{/a}}{{/b}}", "test.html:1: {{/a}} closes no open section"},
             Case{"x\n{{/a}}", "test.html:2: {{/a}} closes no open section"},
             Case{"{{a", "test.html:1: unclosed tag"},
             Case{"{{! never closed", "test.html:1: unclosed tag"},
             Case{"{{{a}}}", "test.html:1: unsupported tag {{{a}}"},
             Case{"{{&a}}", "test.html:1: unsupported tag {{&a}}"},
             Case{"{{>layout}}", "test.html:1: unsupported tag {{>layout}}"},
             Case{"{{=<% %>=}}", "test.html:1: unsupported tag {{=<% %>=}}"},
             Case{"{{a.b}}", "test.html:1: unsupported tag {{a.b}}"},
             Case{"{{.}}", "test.html:1: unsupported tag {{.}}"},
             Case{"{{}}", "test.html:1: unsupported tag {{}}"},
             Case{"{{#}}", "test.html:1: unsupported tag {{#}}"},
             Case{"{{a b}}", "test.html:1: unsupported tag {{a b}}"},
         }) {
        auto parsed = Template::parse(c.text, "test.html");
        ASSERT_FALSE(parsed.has_value()) << c.text;
        EXPECT_EQ(parsed.error().code, Code::internal);
        EXPECT_EQ(parsed.error().log_detail, c.detail) << c.text;
    }
}

TEST(Context, SetReplacesAndFindLooksUp) {
    Context c{{"a", "1"}, {"a", "2"}};
    c.set("b", true).set("a", "3");
    ASSERT_NE(c.find("a"), nullptr);
    EXPECT_EQ(render("{{a}}", c), "3");
    EXPECT_NE(c.find("b"), nullptr);
    EXPECT_EQ(c.find("c"), nullptr);
    EXPECT_EQ(Context("text").find("a"), nullptr);
}

}  // namespace
}  // namespace tessera::web
