#include "api/heroku/range.hpp"

#include <algorithm>

#include "api/heroku/errors.hpp"
#include "base/id.hpp"

namespace tessera::api::heroku {
namespace {

constexpr int kDefaultMax = 200;
constexpr int kLargestMax = 1000;
constexpr std::string_view kFormat =
    "Range must look like 'id ]<start>..<end>; max=<1-1000>, order=asc|desc'";

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

RangeError syntax_error() { return RangeError{400, std::string(kFormat)}; }

// Applies "max=N" / "order=asc|desc" parameters separated by ',' or ';'.
bool apply_params(std::string_view params, core::PageQuery& query) {
    while (!params.empty()) {
        auto sep = params.find_first_of(",;");
        auto param = trim(params.substr(0, sep));
        params = sep == params.npos ? std::string_view() : params.substr(sep + 1);
        if (param.empty()) continue;
        auto eq = param.find('=');
        if (eq == param.npos) return false;
        auto name = trim(param.substr(0, eq)), value = trim(param.substr(eq + 1));
        if (name == "max") {
            if (value.empty() || value.find_first_not_of("0123456789") != value.npos) return false;
            auto digits = value.substr(std::min(value.find_first_not_of('0'), value.size()));
            int max = digits.size() > 6 ? kLargestMax : std::atoi(std::string(digits).c_str());
            if (max < 1) return false;
            query.max = std::min(max, kLargestMax);  // clamp rather than reject (spec §1.5)
        } else if (name == "order" && (value == "asc" || value == "desc")) {
            query.descending = value == "desc";
        } else {
            return false;
        }
    }
    return true;
}

// For `id`, a key must be a uuid; it is normalised to the dashed form.
bool normalize_key(std::string_view field, std::optional<std::string>& key) {
    if (!key || field != "id") return true;
    auto id = Id::parse(*key);
    if (!id) return false;
    key = id->uuid();
    return true;
}

}  // namespace

std::variant<ParsedRange, RangeError> parse_range(std::optional<std::string_view> header,
                                                  const std::vector<std::string_view>& fields) {
    ParsedRange out;
    out.field = std::string(fields.front());
    out.query.max = kDefaultMax;
    if (!header) return out;
    auto value = trim(*header);
    auto space = value.find(' ');
    auto field = value.substr(0, space);
    if (field.empty() || field.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") != field.npos)
        return syntax_error();
    auto rest = space == value.npos ? std::string_view() : trim(value.substr(space + 1));
    auto semicolon = rest.find(';');
    auto bounds = trim(rest.substr(0, semicolon));
    auto params = semicolon == rest.npos ? std::string_view() : rest.substr(semicolon + 1);

    if (!bounds.empty()) {
        auto dots = bounds.find("..");
        if (dots == bounds.npos) return syntax_error();
        auto start = bounds.substr(0, dots), end = bounds.substr(dots + 2);
        if (start.starts_with('[') || start.starts_with(']')) {
            out.query.start_exclusive = start.front() == ']';
            start.remove_prefix(1);
        }
        if (end.ends_with('[') || end.ends_with(']')) {
            out.query.end_exclusive = end.back() == '[';
            end.remove_suffix(1);
        }
        if (!start.empty()) out.query.start = std::string(start);
        if (!end.empty()) out.query.end = std::string(end);
    }
    if (!apply_params(params, out.query)) return syntax_error();
    if (std::find(fields.begin(), fields.end(), field) == fields.end()) {
        std::string accepted;
        for (auto f : fields) accepted += (accepted.empty() ? "" : ", ") + std::string(f);
        return RangeError{416, "Range must be on one of: " + accepted};
    }
    out.field = std::string(field);
    out.query.field = field == "name" ? core::SortField::name : core::SortField::id;
    if (!normalize_key(field, out.query.start) || !normalize_key(field, out.query.end))
        return RangeError{400, "Range bounds on id must be uuids"};
    return out;
}

http::Response range_error_response(const RangeError& error) {
    return error_response(error.status,
                          error.status == 416 ? "requested_range_not_satisfiable" : "bad_request",
                          error.message);
}

void set_range_headers(http::Response& response, const ParsedRange& range,
                       const std::vector<std::string_view>& fields,
                       std::optional<std::string> first_key, std::optional<std::string> last_key,
                       bool has_more) {
    std::string accept;
    for (auto f : fields) accept += (accept.empty() ? "" : ", ") + std::string(f);
    response.headers.set("Accept-Ranges", accept);
    std::string max = "; max=" + std::to_string(range.query.max);
    response.headers.set("Content-Range", range.field + " " + first_key.value_or("") + ".." +
                                              last_key.value_or("") + max);
    response.status = 200;
    if (has_more && last_key) {
        response.status = 206;
        std::string end;
        if (range.query.end) end = *range.query.end + (range.query.end_exclusive ? "[" : "");
        response.headers.set("Next-Range", range.field + " ]" + *last_key + ".." + end + max +
                                               (range.query.descending ? ", order=desc" : ""));
    }
}

}  // namespace tessera::api::heroku
