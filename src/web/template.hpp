#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "base/result.hpp"

namespace tessera::web {

class Template;

// Markup produced by Template::render. Only Template can make one, so an Html
// value is always template text with every data string escaped: no request
// data can become an Html. It is the one value `{{name}}` inserts unescaped,
// which is how a page body is placed into the layout.
class Html {
public:
    Html() = default;

    const std::string& str() const { return markup_; }
    bool empty() const { return markup_.empty(); }

private:
    friend class Template;
    explicit Html(std::string markup) : markup_(std::move(markup)) {}

    std::string markup_;
};

// The data a template is rendered against: a string, a bool, a list of
// Contexts, a map of name -> Context, or Html. A default Context is an empty
// map. A plain value type; copying copies the whole tree.
class Context {
public:
    using List = std::vector<Context>;

    Context() = default;
    // A map, e.g. Context{{"name", "value"}, {"shown", true}}. A repeated name
    // keeps the last value.
    Context(std::initializer_list<std::pair<std::string, Context>> fields);
    Context(std::string text) : value_(std::move(text)) {}
    Context(std::string_view text) : value_(std::string(text)) {}
    Context(const char* text) : value_(std::string(text)) {}
    Context(bool flag) : value_(flag) {}
    Context(List items) : value_(std::move(items)) {}
    Context(Html html) : value_(std::move(html)) {}
    // Numbers would silently become bools; convert them to text first.
    Context(int) = delete;

    // Sets `name` in this map, replacing an earlier value. Precondition: this
    // Context is a map. Returns *this for chaining.
    Context& set(std::string name, Context value);
    // The value of `name` when this Context is a map holding it; else nullptr.
    const Context* find(std::string_view name) const;

private:
    friend class Template;
    using Fields = std::vector<std::pair<std::string, Context>>;

    // Whether a section over this value shows.
    bool is_truthy() const;

    std::variant<Fields, std::string, bool, List, Html> value_;
};

// A logic-less template in a strict subset of Mustache, parsed once and
// rendered many times. Tags:
//   {{name}}              the value of `name`, HTML-escaped (& < > " ' ` =), so
//                         it is safe in text and in quoted attributes. Html is
//                         inserted as is; a bool, list or map renders nothing;
//                         a missing name renders nothing.
//   {{#name}}...{{/name}} a section: once per item of a list (each item is
//                         pushed as the innermost context), once for true, a
//                         non-empty string or Html, and any map (pushed); not at
//                         all for false, empty, or missing.
//   {{^name}}...{{/name}} inverted: once exactly when the section would not show.
//   {{! comment }}        ignored.
// A name is looked up in the innermost map holding it, then in each enclosing
// context out to the root. Names are [A-Za-z0-9_-]+: there are no dotted names,
// no implicit iterator, no partials, no delimiter changes, and no unescaped
// {{{ }}} or {{& }}, so nothing can bypass escaping. As in Mustache, a line
// holding only a section, inverted, closing or comment tag (and blanks) is
// dropped whole, newline included; all other text is copied verbatim.
//
// Immutable after parse; render is const and safe to call from many threads.
class Template {
public:
    // Parses `text`. `source` names it in error messages (e.g. "sign_in.html").
    // Errors (Code::internal, the line and reason in log_detail): a tag that is
    // not closed, an unsupported tag, an invalid name, a section left open, a
    // closing tag that does not match the innermost open section.
    static Result<Template> parse(std::string_view text, std::string_view source = "template");

    Html render(const Context& context) const;

private:
    struct Node {
        enum class Kind { text, variable, section, inverted };
        Kind kind;
        std::string text;  // literal text, or the tag's name
        std::vector<Node> children;
    };
    using Scope = std::vector<const Context*>;

    explicit Template(std::vector<Node> nodes) : nodes_(std::move(nodes)) {}
    static const Context* lookup(const Scope& scope, std::string_view name);
    static void render_nodes(const std::vector<Node>& nodes, Scope& scope, std::string& out);
    static void render_section(const Node& node, Scope& scope, std::string& out);

    std::vector<Node> nodes_;
};

// Escapes & < > " ' ` = as character references.
std::string escape_html(std::string_view text);

}  // namespace tessera::web
