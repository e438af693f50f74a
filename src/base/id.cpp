#include "base/id.hpp"

#include <chrono>

#include <cstring>

#include "base/encoding.hpp"
#include "base/random.hpp"

namespace tessera {

Id Id::generate(Random& random) {
    std::array<std::uint8_t, 16> b{};
    random.fill(b);
    b[6] = static_cast<std::uint8_t>((b[6] & 0x0f) | 0x40);  // RFC 9562 version 4
    b[8] = static_cast<std::uint8_t>((b[8] & 0x3f) | 0x80);  // variant 10
    return Id(b);
}

Id Id::generate_time_ordered(Random& random) {
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::system_clock::now().time_since_epoch())
                  .count();
    std::array<std::uint8_t, 16> b{};
    random.fill(b);
    for (int i = 0; i < 6; ++i) b[i] = static_cast<std::uint8_t>(ms >> (8 * (5 - i)));
    b[6] = static_cast<std::uint8_t>((b[6] & 0x0f) | 0x70);  // RFC 9562 version 7
    b[8] = static_cast<std::uint8_t>((b[8] & 0x3f) | 0x80);  // variant 10
    return Id(b);
}

std::optional<Id> Id::parse(std::string_view text) {
    std::string compact;
    if (text.size() == 36) {
        for (std::size_t i = 0; i < text.size(); ++i) {
            bool dash_position = i == 8 || i == 13 || i == 18 || i == 23;
            if (dash_position != (text[i] == '-')) return std::nullopt;
            if (!dash_position) compact += text[i];
        }
    } else if (text.size() == 32) {
        compact = text;
    } else {
        return std::nullopt;
    }
    auto bytes = hex_decode(compact);
    if (!bytes) return std::nullopt;
    std::array<std::uint8_t, 16> b{};
    std::memcpy(b.data(), bytes->data(), 16);
    return Id(b);
}

std::optional<Id> Id::from_bytes(std::string_view raw) {
    if (raw.size() != 16) return std::nullopt;
    std::array<std::uint8_t, 16> b{};
    std::memcpy(b.data(), raw.data(), 16);
    return Id(b);
}

std::string Id::hex() const { return hex_encode(bytes_); }

std::string Id::uuid() const {
    std::string h = hex();
    return h.substr(0, 8) + '-' + h.substr(8, 4) + '-' + h.substr(12, 4) + '-' + h.substr(16, 4) +
           '-' + h.substr(20);
}

}  // namespace tessera
