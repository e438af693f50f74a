#include "web/template.hpp"

#include <algorithm>
#include <cassert>
#include <optional>
#include <tuple>

namespace tessera::web {
namespace {

bool is_valid_name(std::string_view name) {
    return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '-';
    });
}

std::string_view trim(std::string_view s) {
    auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

bool is_blank(std::string_view s) { return s.find_first_not_of(" \t\r") == std::string_view::npos; }

// Mustache "standalone" tags: when a section, inverted, closing or comment tag
// (at [start, after)) is alone on its line with only blanks around it, the
// whole line goes, newline included, so such tags leave no empty lines. Returns
// where the text before the line ends and where the text after it starts.
std::optional<std::pair<std::size_t, std::size_t>> standalone_line(std::string_view text,
                                                                   std::size_t start,
                                                                   std::size_t after) {
    auto line_start = start == 0 ? std::string_view::npos : text.rfind('\n', start - 1);
    line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
    auto line_end = std::min(text.find('\n', after), text.size());
    if (!is_blank(text.substr(line_start, start - line_start)) ||
        !is_blank(text.substr(after, line_end - after)))
        return std::nullopt;
    return std::pair{line_start, line_end == text.size() ? line_end : line_end + 1};
}

Error parse_error(std::string_view source, std::string_view text, std::size_t at,
                  std::string_view reason) {
    auto line = 1 + std::count(text.begin(), text.begin() + at, '\n');
    return make_error(
        Code::internal, "invalid template",
        std::string(source) + ":" + std::to_string(line) + ": " + std::string(reason));
}

}  // namespace

Context::Context(std::initializer_list<std::pair<std::string, Context>> fields) {
    for (const auto& [name, value] : fields) set(name, value);
}

Context& Context::set(std::string name, Context value) {
    auto* fields = std::get_if<Fields>(&value_);
    assert(fields != nullptr && "Context::set on a value that is not a map");
    for (auto& field : *fields) {
        if (field.first == name) {
            field.second = std::move(value);
            return *this;
        }
    }
    fields->emplace_back(std::move(name), std::move(value));
    return *this;
}

bool Context::is_truthy() const {
    if (const auto* flag = std::get_if<bool>(&value_)) return *flag;
    if (const auto* text = std::get_if<std::string>(&value_)) return !text->empty();
    if (const auto* items = std::get_if<List>(&value_)) return !items->empty();
    if (const auto* html = std::get_if<Html>(&value_)) return !html->empty();
    return true;  // a map, even an empty one, as in Mustache
}

const Context* Context::find(std::string_view name) const {
    if (const auto* fields = std::get_if<Fields>(&value_)) {
        for (const auto& field : *fields)
            if (field.first == name) return &field.second;
    }
    return nullptr;
}

Result<Template> Template::parse(std::string_view text, std::string_view source) {
    // open[0] collects the top level; each further entry is a section still
    // open, innermost last. opened_at holds where each one started.
    std::vector<Node> open(1);
    std::vector<std::size_t> opened_at(1, 0);
    std::size_t pos = 0;
    auto add_text = [&](std::size_t from, std::size_t to) {
        if (to > from)
            open.back().children.push_back(
                {Node::Kind::text, std::string(text.substr(from, to - from)), {}});
    };
    while (pos < text.size()) {
        auto start = text.find("{{", pos);
        if (start == std::string_view::npos) {
            add_text(pos, text.size());
            break;
        }
        auto end = text.find("}}", start + 2);
        if (end == std::string_view::npos) return parse_error(source, text, start, "unclosed tag");
        auto tag = text.substr(start + 2, end - start - 2);
        char sigil = tag.empty() ? '\0' : tag.front();
        bool has_sigil = sigil == '#' || sigil == '^' || sigil == '/';
        // Where the text before the tag ends and the text after it starts.
        auto text_end = start;
        auto next = end + 2;
        if (has_sigil || sigil == '!') {
            if (auto line = standalone_line(text, start, next)) std::tie(text_end, next) = *line;
        }
        add_text(pos, text_end);
        pos = next;
        if (sigil == '!') continue;
        auto name = trim(has_sigil ? tag.substr(1) : tag);
        if (!is_valid_name(name))
            return parse_error(source, text, start, "unsupported tag {{" + std::string(tag) + "}}");
        if (sigil == '#' || sigil == '^') {
            auto kind = sigil == '#' ? Node::Kind::section : Node::Kind::inverted;
            open.push_back({kind, std::string(name), {}});
            opened_at.push_back(start);
        } else if (sigil == '/') {
            if (open.size() == 1 || open.back().text != name)
                return parse_error(source, text, start,
                                   "{{/" + std::string(name) + "}} closes no open section");
            Node done = std::move(open.back());
            open.pop_back();
            opened_at.pop_back();
            open.back().children.push_back(std::move(done));
        } else {
            open.back().children.push_back({Node::Kind::variable, std::string(name), {}});
        }
    }
    if (open.size() > 1)
        return parse_error(source, text, opened_at.back(),
                           "section " + open.back().text + " is not closed");
    return Template(std::move(open.front().children));
}

Html Template::render(const Context& context) const {
    Scope scope{&context};
    std::string out;
    render_nodes(nodes_, scope, out);
    return Html(std::move(out));
}

const Context* Template::lookup(const Scope& scope, std::string_view name) {
    for (auto it = scope.rbegin(); it != scope.rend(); ++it)
        if (const auto* found = (*it)->find(name)) return found;
    return nullptr;
}

void Template::render_nodes(const std::vector<Node>& nodes, Scope& scope, std::string& out) {
    for (const auto& node : nodes) {
        switch (node.kind) {
            case Node::Kind::text:
                out += node.text;
                break;
            case Node::Kind::variable:
                if (const auto* value = lookup(scope, node.text)) {
                    if (const auto* text = std::get_if<std::string>(&value->value_))
                        out += escape_html(*text);
                    else if (const auto* html = std::get_if<Html>(&value->value_))
                        out += html->str();
                }
                break;
            case Node::Kind::section:
            case Node::Kind::inverted:
                render_section(node, scope, out);
                break;
        }
    }
}

void Template::render_section(const Node& node, Scope& scope, std::string& out) {
    const Context* value = lookup(scope, node.text);
    bool inverted = node.kind == Node::Kind::inverted;
    if (const auto* items = value ? std::get_if<Context::List>(&value->value_) : nullptr) {
        if (inverted) {
            if (items->empty()) render_nodes(node.children, scope, out);
            return;
        }
        for (const auto& item : *items) {
            scope.push_back(&item);
            render_nodes(node.children, scope, out);
            scope.pop_back();
        }
        return;
    }
    bool shown = value != nullptr && value->is_truthy();
    if (shown == inverted) return;
    if (inverted) {
        render_nodes(node.children, scope, out);
        return;
    }
    scope.push_back(value);
    render_nodes(node.children, scope, out);
    scope.pop_back();
}

std::string escape_html(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            case '`':
                out += "&#96;";
                break;
            case '=':
                out += "&#61;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

}  // namespace tessera::web
