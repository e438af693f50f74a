#pragma once

#include <optional>
#include <string>
#include <vector>

namespace tessera::sdk {

// The first `Range` header of a Heroku list (spec §1.5): which field orders
// the list, how many items a page holds (the server clamps to 1..1000) and
// the direction. Later pages are asked for with the server's Next-Range.
struct Range {
    std::string field = "id";  // clients: "id" or "name"; authorizations, sessions: "id"
    int max = 1000;
    bool descending = false;

    // "id ..; max=1000" or "name ..; max=50, order=desc".
    std::string header() const;
};

// One page of a Heroku list.
template <typename T>
struct Page {
    std::vector<T> items;
    // The Range header that asks for the next page (the server's Next-Range,
    // verbatim); nullopt on the last page.
    std::optional<std::string> next_range;
    std::string content_range;  // the server's Content-Range, e.g. "id 0a..3f; max=1000"
};

}  // namespace tessera::sdk
