#include "http/router.hpp"

namespace tessera::http {
namespace {

std::vector<std::string_view> split_segments(std::string_view path) {
    std::vector<std::string_view> out;
    if (path.starts_with('/')) path.remove_prefix(1);
    if (path.empty()) return out;
    std::size_t pos = 0;
    while (true) {
        auto slash = path.find('/', pos);
        out.push_back(path.substr(pos, slash - pos));
        if (slash == std::string_view::npos) break;
        pos = slash + 1;
    }
    return out;
}

bool is_param(std::string_view segment) {
    return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

void Router::add(std::string method, std::string_view pattern, Handler handler) {
    std::vector<std::string> segments;
    for (auto s : split_segments(pattern)) segments.emplace_back(s);
    routes_.push_back(Route{std::move(method), std::move(segments), std::move(handler)});
}

Router::Match Router::match(std::string_view method, std::string_view path) const {
    if (!path.starts_with('/')) return BadPath{"the path must start with '/'"};
    std::vector<std::string> decoded;
    auto raw = split_segments(path);
    for (std::size_t i = 0; i < raw.size(); ++i) {
        auto segment = percent_decode(raw[i]);
        if (!segment) return BadPath{"the path has a malformed percent-escape"};
        if (*segment == "." || *segment == "..") return BadPath{"the path has a dot segment"};
        if (segment->find('/') != std::string::npos)
            return BadPath{"the path has an encoded slash"};
        if (segment->empty() && i + 1 != raw.size())
            return BadPath{"the path has an empty segment"};
        decoded.push_back(std::move(*segment));
    }
    // A trailing slash ("/oauth/clients/") is not the same resource.
    if (!decoded.empty() && decoded.back().empty()) return NotFound{};

    std::string allow;
    for (const auto& route : routes_) {
        if (route.segments.size() != decoded.size()) continue;
        std::vector<std::pair<std::string, std::string>> params;
        bool matched = true;
        for (std::size_t i = 0; i < decoded.size() && matched; ++i) {
            const auto& want = route.segments[i];
            if (is_param(want))
                params.emplace_back(want.substr(1, want.size() - 2), decoded[i]);
            else
                matched = want == decoded[i];
        }
        if (!matched) continue;
        if (route.method == method) return Found{&route.handler, std::move(params)};
        if (allow.find(route.method) == std::string::npos) {
            if (!allow.empty()) allow += ", ";
            allow += route.method;
        }
    }
    if (!allow.empty()) return MethodNotAllowed{std::move(allow)};
    return NotFound{};
}

}  // namespace tessera::http
