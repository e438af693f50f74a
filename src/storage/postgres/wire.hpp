#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tessera::storage::postgres {

// PostgreSQL's binary wire formats for the few types the stores exchange.

// Appends `value` as 8 bytes, most significant first (int8send).
void append_int64(std::string& out, std::int64_t value);

// Reads a big-endian signed integer of 2, 4 or 8 bytes (int2, int4, int8);
// nullopt for any other length.
std::optional<std::int64_t> decode_integer(std::string_view bytes);

// A one-dimensional text[] (array_send): empty lists have no dimension.
std::string encode_text_array(const std::vector<std::string>& list);

// Decodes a text[] of zero or one dimension without NULL elements (what
// encode_text_array() writes, whatever the lower bound); nullopt otherwise.
std::optional<std::vector<std::string>> decode_text_array(std::string_view bytes);

}  // namespace tessera::storage::postgres
