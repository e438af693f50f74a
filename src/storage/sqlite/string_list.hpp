#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tessera::storage::sqlite {

// How list-valued fields are stored in one TEXT column.

// A JSON array of strings, e.g. ["https://a.example/cb","x\"y"]. Quotes,
// backslashes and control characters are escaped; other bytes (UTF-8 or not)
// are copied, so decode(encode(list)) == list for every list of byte strings.
std::string encode_string_list(const std::vector<std::string>& list);

// Decodes a JSON array of strings (whitespace between tokens allowed, \uXXXX
// escapes and surrogate pairs decoded to UTF-8). nullopt if `text` is not one.
std::optional<std::vector<std::string>> decode_string_list(std::string_view text);

// Scope tokens joined by single spaces (RFC 6749 §3.3: a token never holds a
// space); the empty list is "".
std::string join_scope(const std::vector<std::string>& scope);

// Splits on spaces, skipping empty tokens.
std::vector<std::string> split_scope(std::string_view text);

}  // namespace tessera::storage::sqlite
