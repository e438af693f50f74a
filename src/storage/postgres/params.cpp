#include "storage/postgres/params.hpp"

#include <utility>

#include "storage/postgres/wire.hpp"

namespace tessera::storage::postgres {
namespace {

// From PostgreSQL's catalog (pg_type.dat); stable across versions.
constexpr Params::Type kBool = 16;
constexpr Params::Type kBytea = 17;
constexpr Params::Type kInt8 = 20;
constexpr Params::Type kText = 25;
constexpr Params::Type kTextArray = 1009;

constexpr int kBinary = 1;

}  // namespace

void Params::add(Type type, std::optional<std::string> value) {
    types_.push_back(type);
    lengths_.push_back(value ? static_cast<int>(value->size()) : 0);
    formats_.push_back(kBinary);
    values_.push_back(std::move(value));
}

Params& Params::id(const Id& id) {
    const auto& bytes = id.bytes();
    add(kBytea, std::string(bytes.begin(), bytes.end()));
    return *this;
}

Params& Params::optional_id(const std::optional<Id>& id) {
    if (id) return this->id(*id);
    add(kBytea, std::nullopt);
    return *this;
}

Params& Params::bytes(std::string_view bytes) {
    add(kBytea, std::string(bytes));
    return *this;
}

Params& Params::optional_bytes(const std::optional<std::string>& bytes) {
    add(kBytea, bytes);
    return *this;
}

Params& Params::text(std::string_view text) {
    add(kText, std::string(text));
    return *this;
}

Params& Params::optional_text(const std::optional<std::string>& text) {
    add(kText, text);
    return *this;
}

Params& Params::int64(std::int64_t value) {
    std::string out;
    append_int64(out, value);
    add(kInt8, std::move(out));
    return *this;
}

Params& Params::optional_int64(const std::optional<std::int64_t>& value) {
    if (value) return int64(*value);
    add(kInt8, std::nullopt);
    return *this;
}

Params& Params::boolean(bool value) {
    add(kBool, std::string(1, value ? '\1' : '\0'));
    return *this;
}

Params& Params::text_list(const std::vector<std::string>& list) {
    add(kTextArray, encode_text_array(list));
    return *this;
}

const char* const* Params::values() const {
    pointers_.clear();
    for (const auto& value : values_) pointers_.push_back(value ? value->data() : nullptr);
    return pointers_.data();
}

}  // namespace tessera::storage::postgres
