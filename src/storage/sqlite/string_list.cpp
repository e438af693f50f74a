#include "storage/sqlite/string_list.hpp"

#include <cstdint>

namespace tessera::storage::sqlite {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

void append_utf8(std::string& out, std::uint32_t code_point) {
    if (code_point < 0x80) {
        out += static_cast<char>(code_point);
    } else if (code_point < 0x800) {
        out += static_cast<char>(0xc0 | (code_point >> 6));
        out += static_cast<char>(0x80 | (code_point & 0x3f));
    } else if (code_point < 0x10000) {
        out += static_cast<char>(0xe0 | (code_point >> 12));
        out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (code_point & 0x3f));
    } else {
        out += static_cast<char>(0xf0 | (code_point >> 18));
        out += static_cast<char>(0x80 | ((code_point >> 12) & 0x3f));
        out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (code_point & 0x3f));
    }
}

std::optional<std::uint32_t> hex_digit(char c) {
    if (c >= '0' && c <= '9') return static_cast<std::uint32_t>(c - '0');
    if (c >= 'a' && c <= 'f') return static_cast<std::uint32_t>(c - 'a' + 10);
    if (c >= 'A' && c <= 'F') return static_cast<std::uint32_t>(c - 'A' + 10);
    return std::nullopt;
}

// A cursor over JSON text: just what an array of strings needs.
class JsonReader {
public:
    explicit JsonReader(std::string_view text) : text_(text) {}

    void skip_space() {
        while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                       text_[pos_] == '\n' || text_[pos_] == '\r')) {
            ++pos_;
        }
    }
    bool consume(char c) {
        if (pos_ >= text_.size() || text_[pos_] != c) return false;
        ++pos_;
        return true;
    }
    bool at_end() const { return pos_ == text_.size(); }

    // The rest of a string whose opening quote was consumed, unescaped.
    std::optional<std::string> string_body() {
        std::string out;
        while (pos_ < text_.size()) {
            char c = text_[pos_++];
            if (c == '"') return out;
            if (static_cast<unsigned char>(c) < 0x20) return std::nullopt;
            if (c != '\\') {
                out += c;
                continue;
            }
            if (pos_ >= text_.size()) return std::nullopt;
            char escape = text_[pos_++];
            switch (escape) {
                case '"':
                    out += '"';
                    break;
                case '\\':
                    out += '\\';
                    break;
                case '/':
                    out += '/';
                    break;
                case 'b':
                    out += '\b';
                    break;
                case 'f':
                    out += '\f';
                    break;
                case 'n':
                    out += '\n';
                    break;
                case 'r':
                    out += '\r';
                    break;
                case 't':
                    out += '\t';
                    break;
                case 'u':
                    if (!unicode_escape(out)) return std::nullopt;
                    break;
                default:
                    return std::nullopt;
            }
        }
        return std::nullopt;
    }

private:
    std::optional<std::uint32_t> hex4() {
        if (text_.size() - pos_ < 4) return std::nullopt;
        std::uint32_t value = 0;
        for (int i = 0; i < 4; ++i) {
            auto digit = hex_digit(text_[pos_++]);
            if (!digit) return std::nullopt;
            value = (value << 4) | *digit;
        }
        return value;
    }

    // After "\u": one escape, or a surrogate pair written as two.
    bool unicode_escape(std::string& out) {
        auto unit = hex4();
        if (!unit) return false;
        if (*unit >= 0xdc00 && *unit <= 0xdfff) return false;
        if (*unit >= 0xd800 && *unit <= 0xdbff) {
            if (!consume('\\') || !consume('u')) return false;
            auto low = hex4();
            if (!low || *low < 0xdc00 || *low > 0xdfff) return false;
            append_utf8(out, 0x10000 + ((*unit - 0xd800) << 10) + (*low - 0xdc00));
            return true;
        }
        append_utf8(out, *unit);
        return true;
    }

    std::string_view text_;
    std::size_t pos_ = 0;
};

}  // namespace

std::string encode_string_list(const std::vector<std::string>& list) {
    std::string out = "[";
    for (std::size_t i = 0; i < list.size(); ++i) {
        if (i > 0) out += ',';
        out += '"';
        for (char c : list[i]) {
            auto byte = static_cast<unsigned char>(c);
            if (c == '"' || c == '\\') {
                out += '\\';
                out += c;
            } else if (byte < 0x20) {
                out += "\\u00";
                out += kHexDigits[byte >> 4];
                out += kHexDigits[byte & 0x0f];
            } else {
                out += c;
            }
        }
        out += '"';
    }
    out += ']';
    return out;
}

std::optional<std::vector<std::string>> decode_string_list(std::string_view text) {
    JsonReader reader(text);
    std::vector<std::string> list;
    reader.skip_space();
    if (!reader.consume('[')) return std::nullopt;
    reader.skip_space();
    if (!reader.consume(']')) {
        do {
            reader.skip_space();
            if (!reader.consume('"')) return std::nullopt;
            auto item = reader.string_body();
            if (!item) return std::nullopt;
            list.push_back(std::move(*item));
            reader.skip_space();
        } while (reader.consume(','));
        if (!reader.consume(']')) return std::nullopt;
    }
    reader.skip_space();
    if (!reader.at_end()) return std::nullopt;
    return list;
}

std::string join_scope(const std::vector<std::string>& scope) {
    std::string out;
    for (std::size_t i = 0; i < scope.size(); ++i) {
        if (i > 0) out += ' ';
        out += scope[i];
    }
    return out;
}

std::vector<std::string> split_scope(std::string_view text) {
    std::vector<std::string> tokens;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t space = text.find(' ', pos);
        if (space == std::string_view::npos) space = text.size();
        if (space > pos) tokens.emplace_back(text.substr(pos, space - pos));
        pos = space + 1;
    }
    return tokens;
}

}  // namespace tessera::storage::sqlite
