#include "sdk/json_reader.hpp"

#include <boost/json/parse.hpp>

namespace tessera::sdk::detail {

ObjectReader::ObjectReader(const boost::json::value& value, std::string where, std::string& problem)
    : where_(std::move(where)), problem_(problem) {
    object_ = value.if_object();
    if (!object_ && problem_.empty()) problem_ = where_ + " is not an object";
}

const boost::json::value* ObjectReader::member(std::string_view key) {
    if (!object_) return nullptr;
    auto* value = object_->if_contains(key);
    return value && !value->is_null() ? value : nullptr;
}

void ObjectReader::note(std::string_view key, std::string_view what) {
    if (problem_.empty()) problem_ = where_ + "." + std::string(key) + " " + std::string(what);
}

std::string ObjectReader::text(std::string_view key) {
    auto* value = member(key);
    if (!value) {
        note(key, "is missing");
        return {};
    }
    if (!value->is_string()) {
        note(key, "is not a string");
        return {};
    }
    return std::string(value->get_string());
}

std::optional<std::string> ObjectReader::optional_text(std::string_view key) {
    auto* value = member(key);
    if (!value) return std::nullopt;
    if (!value->is_string()) {
        note(key, "is not a string");
        return std::nullopt;
    }
    return std::string(value->get_string());
}

std::string ObjectReader::text_or_empty(std::string_view key) {
    return optional_text(key).value_or("");
}

Secret ObjectReader::secret(std::string_view key) { return Secret(text(key)); }

std::optional<Secret> ObjectReader::optional_secret(std::string_view key) {
    auto value = optional_text(key);
    if (!value) return std::nullopt;
    return Secret(std::move(*value));
}

std::optional<std::int64_t> ObjectReader::optional_integer(std::string_view key) {
    auto* value = member(key);
    if (!value) return std::nullopt;
    if (value->is_int64()) return value->get_int64();
    if (value->is_uint64() && value->get_uint64() <= INT64_MAX)
        return static_cast<std::int64_t>(value->get_uint64());
    note(key, "is not an integer");
    return std::nullopt;
}

std::optional<bool> ObjectReader::optional_boolean(std::string_view key) {
    auto* value = member(key);
    if (!value) return std::nullopt;
    if (!value->is_bool()) {
        note(key, "is not a boolean");
        return std::nullopt;
    }
    return value->get_bool();
}

std::vector<std::string> ObjectReader::strings(std::string_view key) {
    std::vector<std::string> out;
    auto* value = member(key);
    if (!value) return out;
    if (!value->is_array()) {
        note(key, "is not an array");
        return out;
    }
    for (const auto& item : value->get_array()) {
        if (!item.is_string()) {
            note(key, "holds a non-string");
            return {};
        }
        out.emplace_back(item.get_string());
    }
    return out;
}

const boost::json::value* ObjectReader::object(std::string_view key) {
    auto* value = member(key);
    if (value && !value->is_object()) {
        note(key, "is not an object");
        return nullptr;
    }
    return value;
}

const boost::json::array* ObjectReader::array(std::string_view key) {
    auto* value = member(key);
    if (!value) {
        note(key, "is missing");
        return nullptr;
    }
    if (!value->is_array()) {
        note(key, "is not an array");
        return nullptr;
    }
    return &value->get_array();
}

ApiError unexpected_answer(std::string_view problem) {
    ApiError error;
    error.kind = ErrorKind::protocol;
    error.message = "unexpected answer from the server: " + std::string(problem);
    return error;
}

Result<boost::json::value> parse_json(std::string_view body) {
    boost::system::error_code ec;
    auto value = boost::json::parse(body, ec);
    if (ec) return unexpected_answer("the body is not JSON");
    return value;
}

}  // namespace tessera::sdk::detail
