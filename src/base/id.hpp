#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace tessera {

class Random;

// A 128-bit identifier. Rendered as a dashed lowercase UUID on the Heroku
// surface and as 32 lowercase hex on the Cloudflare surface; parse() accepts
// both, in either case. Byte order equals the order of both renderings, so
// sorting by bytes sorts by the wire form.
class Id {
public:
    Id() = default;
    explicit Id(const std::array<std::uint8_t, 16>& bytes) : bytes_(bytes) {}

    // A random version-4 UUID.
    static Id generate(Random& random);
    // A version-7 UUID (RFC 9562 §5.7): the Unix time in milliseconds, then
    // random bits. Ids made one after another sort (nearly) in time order, so
    // rows keyed by them are appended to the end of a b-tree instead of
    // scattered across it.
    static Id generate_time_ordered(Random& random);
    static std::optional<Id> parse(std::string_view text);
    static std::optional<Id> from_bytes(std::string_view raw);

    std::string uuid() const;  // 01234567-89ab-cdef-0123-456789abcdef
    std::string hex() const;   // 0123456789abcdef0123456789abcdef
    const std::array<std::uint8_t, 16>& bytes() const { return bytes_; }
    bool is_nil() const { return *this == Id{}; }

    auto operator<=>(const Id&) const = default;

private:
    std::array<std::uint8_t, 16> bytes_{};
};

}  // namespace tessera

template <>
struct std::hash<tessera::Id> {
    std::size_t operator()(const tessera::Id& id) const noexcept {
        // The last 8 bytes: random in version 4 and version 7 alike (the
        // first ones of a version 7 id are a timestamp, shared by many).
        std::size_t h;
        static_assert(sizeof h <= 8);
        __builtin_memcpy(&h, id.bytes().data() + 8, sizeof h);
        return h;
    }
};
