#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/result.hpp"
#include "core/model/page.hpp"
#include "http/message.hpp"

namespace tessera::api::heroku {

// Heroku spec §1.5 Range pagination.

// Why a Range header was refused: 400 for a syntax error, 416 for a field
// the list does not accept.
struct RangeError {
    int status;  // 400 or 416
    std::string message;
};

struct ParsedRange {
    core::PageQuery query;
    std::string field;  // wire name of the sort field
};

// Parses a `Range` header value for a list that accepts `fields` (the first
// is the default). No header → the defaults: first field, asc, max 200.
// `id` keys are normalised to lowercase dashed uuids.
std::variant<ParsedRange, RangeError> parse_range(std::optional<std::string_view> header,
                                                  const std::vector<std::string_view>& fields);

// §1.4: 400 bad_request or 416 requested_range_not_satisfiable.
http::Response range_error_response(const RangeError& error);

// Sets Accept-Ranges, Content-Range and (when more items follow) Next-Range,
// and the status (206 when more follow, else 200). `first_key`/`last_key`
// are the wire keys of the first and last item returned (empty page: none).
void set_range_headers(http::Response& response, const ParsedRange& range,
                       const std::vector<std::string_view>& fields,
                       std::optional<std::string> first_key, std::optional<std::string> last_key,
                       bool has_more);

}  // namespace tessera::api::heroku
