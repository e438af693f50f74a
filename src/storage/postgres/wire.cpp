#include "storage/postgres/wire.hpp"

namespace tessera::storage::postgres {
namespace {

constexpr std::int32_t kTextOid = 25;
constexpr std::int32_t kVarcharOid = 1043;

void append_int32(std::string& out, std::int32_t value) {
    auto bits = static_cast<std::uint32_t>(value);
    for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((bits >> shift) & 0xff);
}

// A cursor over a binary value that fails softly past its end.
class Reader {
public:
    explicit Reader(std::string_view bytes) : bytes_(bytes) {}

    std::optional<std::int32_t> int32() {
        if (bytes_.size() - pos_ < 4) return std::nullopt;
        auto value = decode_integer(bytes_.substr(pos_, 4));
        pos_ += 4;
        return static_cast<std::int32_t>(*value);
    }
    std::optional<std::string_view> take(std::size_t size) {
        if (bytes_.size() - pos_ < size) return std::nullopt;
        auto taken = bytes_.substr(pos_, size);
        pos_ += size;
        return taken;
    }
    bool at_end() const { return pos_ == bytes_.size(); }

private:
    std::string_view bytes_;
    std::size_t pos_ = 0;
};

}  // namespace

void append_int64(std::string& out, std::int64_t value) {
    auto bits = static_cast<std::uint64_t>(value);
    for (int shift = 56; shift >= 0; shift -= 8) out += static_cast<char>((bits >> shift) & 0xff);
}

std::optional<std::int64_t> decode_integer(std::string_view bytes) {
    if (bytes.size() != 2 && bytes.size() != 4 && bytes.size() != 8) return std::nullopt;
    std::uint64_t bits = 0;
    for (char c : bytes) bits = (bits << 8) | static_cast<unsigned char>(c);
    // Sign-extend from the width read.
    unsigned width = static_cast<unsigned>(bytes.size()) * 8;
    if (width < 64 && (bits >> (width - 1)) & 1) bits |= ~std::uint64_t{0} << width;
    return static_cast<std::int64_t>(bits);
}

std::string encode_text_array(const std::vector<std::string>& list) {
    std::string out;
    append_int32(out, list.empty() ? 0 : 1);  // dimensions
    append_int32(out, 0);                     // no NULL elements
    append_int32(out, kTextOid);
    if (list.empty()) return out;
    append_int32(out, static_cast<std::int32_t>(list.size()));
    append_int32(out, 1);  // lower bound
    for (const auto& item : list) {
        append_int32(out, static_cast<std::int32_t>(item.size()));
        out += item;
    }
    return out;
}

std::optional<std::vector<std::string>> decode_text_array(std::string_view bytes) {
    Reader reader(bytes);
    auto dimensions = reader.int32();
    auto has_nulls = reader.int32();
    auto element_type = reader.int32();
    if (!dimensions || !has_nulls || !element_type) return std::nullopt;
    if (*element_type != kTextOid && *element_type != kVarcharOid) return std::nullopt;
    std::vector<std::string> list;
    if (*dimensions == 0) {
        if (!reader.at_end()) return std::nullopt;
        return list;
    }
    auto count = reader.int32();
    auto lower_bound = reader.int32();
    if (*dimensions != 1 || !count || !lower_bound || *count < 0) return std::nullopt;
    for (std::int32_t i = 0; i < *count; ++i) {
        auto length = reader.int32();
        if (!length || *length < 0) return std::nullopt;  // a NULL element, or truncated
        auto item = reader.take(static_cast<std::size_t>(*length));
        if (!item) return std::nullopt;
        list.emplace_back(*item);
    }
    if (!reader.at_end()) return std::nullopt;
    return list;
}

}  // namespace tessera::storage::postgres
