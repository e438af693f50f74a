#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tessera/result.hpp"
#include "tessera/secret.hpp"

namespace tessera::sdk::detail {

// Reads the members of one JSON object of a response. A member that is
// missing where required, or of the wrong type, is noted (the first problem
// only) and read as empty, so a decoder reads on and checks problem() once.
class ObjectReader {
public:
    // `where` names the object in problems ("client", "result.access_token").
    ObjectReader(const boost::json::value& value, std::string where, std::string& problem);

    std::string text(std::string_view key);                          // required string
    std::optional<std::string> optional_text(std::string_view key);  // absent/null: nullopt
    std::string text_or_empty(std::string_view key);                 // absent/null: ""
    Secret secret(std::string_view key);
    std::optional<Secret> optional_secret(std::string_view key);
    std::optional<std::int64_t> optional_integer(std::string_view key);
    std::optional<bool> optional_boolean(std::string_view key);
    std::vector<std::string> strings(std::string_view key);  // absent/null: empty
    // A nested object, or nullptr when absent or null.
    const boost::json::value* object(std::string_view key);
    // A required array (of anything), or nullptr (noted) when absent or not
    // an array.
    const boost::json::array* array(std::string_view key);
    // A reader of `value`, the member `key` of this object, that notes its
    // problems in the same place.
    ObjectReader nested(const boost::json::value& value, std::string_view key) const {
        return ObjectReader(value, where_ + "." + std::string(key), problem_);
    }
    const std::string& where() const { return where_; }

private:
    const boost::json::value* member(std::string_view key);
    void note(std::string_view key, std::string_view what);

    const boost::json::object* object_ = nullptr;
    std::string where_;
    std::string& problem_;
};

// The `protocol` error for an answer that does not have the documented shape.
ApiError unexpected_answer(std::string_view problem);

// Parses `body` as JSON; a `protocol` error when it is not JSON.
Result<boost::json::value> parse_json(std::string_view body);

// Decodes `value` into a T with the overload read_value(ObjectReader&, T&).
template <typename T>
Result<T> decode(const boost::json::value& value, std::string_view what) {
    std::string problem;
    ObjectReader reader(value, std::string(what), problem);
    T out{};
    if (problem.empty()) read_value(reader, out);
    if (!problem.empty()) return unexpected_answer(problem);
    return out;
}

// Decodes a JSON array of T.
template <typename T>
Result<std::vector<T>> decode_array(const boost::json::value& value, std::string_view what) {
    if (!value.is_array()) return unexpected_answer(std::string(what) + " is not an array");
    std::vector<T> out;
    out.reserve(value.get_array().size());
    for (const auto& item : value.get_array()) {
        auto decoded = decode<T>(item, what);
        if (!decoded) return std::move(decoded).error();
        out.push_back(std::move(*decoded));
    }
    return out;
}

}  // namespace tessera::sdk::detail
