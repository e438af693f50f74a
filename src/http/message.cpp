#include "http/message.hpp"

#include <algorithm>
#include <cctype>

namespace tessera::http {

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c + 32) : c; };
               return lower(x) == lower(y);
           });
}

std::optional<std::string_view> Headers::get(std::string_view name) const {
    for (const auto& [n, v] : fields_)
        if (iequals(n, name)) return std::string_view(v);
    return std::nullopt;
}

std::size_t Headers::count(std::string_view name) const {
    return std::count_if(fields_.begin(), fields_.end(),
                         [&](const auto& f) { return iequals(f.first, name); });
}

void Headers::set(std::string name, std::string value) {
    std::erase_if(fields_, [&](const auto& f) { return iequals(f.first, name); });
    fields_.emplace_back(std::move(name), std::move(value));
}

void Headers::add(std::string name, std::string value) {
    fields_.emplace_back(std::move(name), std::move(value));
}

std::string_view Request::param(std::string_view name) const {
    for (const auto& [n, v] : params)
        if (n == name) return v;
    return {};
}

std::optional<std::pair<std::string, std::string>> split_target(std::string_view target) {
    if (!target.starts_with('/')) {
        auto scheme_end = target.find("://");
        if (scheme_end == std::string_view::npos || scheme_end == 0) return std::nullopt;
        for (char c : target.substr(0, scheme_end))
            if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.')
                return std::nullopt;
        auto rest = target.substr(scheme_end + 3);
        auto slash = rest.find_first_of("/?");
        if (slash == std::string_view::npos) return std::pair<std::string, std::string>{"/", ""};
        target = rest.substr(slash);
        if (target.starts_with('?'))
            return std::pair{std::string("/"), std::string(target.substr(1))};
    }
    auto q = target.find('?');
    if (q == std::string_view::npos) return std::pair{std::string(target), std::string()};
    return std::pair{std::string(target.substr(0, q)), std::string(target.substr(q + 1))};
}

std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space) {
    std::string out;
    out.reserve(text.size());
    auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '%') {
            if (i + 2 >= text.size()) return std::nullopt;
            int hi = hex(text[i + 1]), lo = hex(text[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            out += static_cast<char>(hi << 4 | lo);
            i += 2;
        } else if (c == '+' && plus_is_space) {
            out += ' ';
        } else {
            out += c;
        }
    }
    return out;
}

}  // namespace tessera::http
