#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tessera {

// Lowercase hex.
std::string hex_encode(std::span<const std::uint8_t> bytes);
// Accepts upper and lower case; nullopt on odd length or a non-hex character.
std::optional<std::vector<std::uint8_t>> hex_decode(std::string_view text);

// RFC 4648 §5 base64url without padding.
std::string base64url_encode(std::span<const std::uint8_t> bytes);
std::optional<std::vector<std::uint8_t>> base64url_decode(std::string_view text);

// RFC 4648 §4 standard base64 with padding (HTTP Basic credentials).
std::optional<std::string> base64_decode(std::string_view text);
std::string base64_encode(std::string_view bytes);

// application/x-www-form-urlencoded encoding of one name or value (the URL
// Standard's serializer): ASCII alphanumerics and "*-._" stay, a space
// becomes '+', every other byte %XX with uppercase hex.
std::string form_encode(std::string_view text);

// Constant-time comparison: the time taken depends only on the lengths.
bool constant_time_equals(std::string_view a, std::string_view b);

}  // namespace tessera
