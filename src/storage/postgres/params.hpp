#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/id.hpp"

namespace tessera::storage::postgres {

// The parameters of one statement, $1, $2, ... in the order they are added,
// each sent in binary form with its type, so a statement is prepared with
// exact parameter types from its first use and no value is ever parsed from
// text: ids and digests are bytea, timestamps and counts bigint, lists text[].
//
// A statement must be given parameters of the same types on every use (the
// bind code of each statement is one function, so it is).
//
// A Params is a value: it copies what it is given and may hold digests, so it
// should live no longer than the call that sends it. Not thread-safe.
class Params {
public:
    // A PostgreSQL type OID (libpq's Oid).
    using Type = unsigned int;

    Params& id(const Id& id);  // bytea of 16 bytes
    Params& optional_id(const std::optional<Id>& id);
    Params& bytes(std::string_view bytes);  // bytea
    Params& optional_bytes(const std::optional<std::string>& bytes);
    // text: must be valid UTF-8 without NUL bytes, or the server rejects the
    // statement (`internal`).
    Params& text(std::string_view text);
    Params& optional_text(const std::optional<std::string>& text);
    Params& int64(std::int64_t value);  // bigint
    Params& optional_int64(const std::optional<std::int64_t>& value);
    Params& boolean(bool value);
    Params& text_list(const std::vector<std::string>& list);  // text[], one dimension

    int size() const { return static_cast<int>(types_.size()); }
    const Type* types() const { return types_.data(); }
    // Pointers into this object, valid until it is next changed: each value
    // (nullptr for NULL), its length in bytes, and its format (always binary).
    const char* const* values() const;
    const int* lengths() const { return lengths_.data(); }
    const int* formats() const { return formats_.data(); }

private:
    void add(Type type, std::optional<std::string> value);

    std::vector<Type> types_;
    std::vector<std::optional<std::string>> values_;
    std::vector<int> lengths_;
    std::vector<int> formats_;
    mutable std::vector<const char*> pointers_;
};

}  // namespace tessera::storage::postgres
