#pragma once

#include <optional>
#include <string>
#include <vector>

namespace tessera::core {

// The field a list is ordered by. Ties on a non-unique field are broken by id.
enum class SortField { id, name };

// A key-based page request (Heroku Range semantics, spec §1.5). Items are
// iterated in (field, id) order, ascending unless `descending`.
//  - `start`: the first key of the iteration (for `id`, a lowercase dashed
//    uuid); items before it are skipped, and with `start_exclusive` so are
//    items equal to it.
//  - `end`: the last key; with `end_exclusive` items equal to it are excluded.
// Keys compare as byte strings of their wire rendering.
struct PageQuery {
    SortField field = SortField::id;
    std::optional<std::string> start{};
    bool start_exclusive = false;
    std::optional<std::string> end{};
    bool end_exclusive = false;
    int max = 200;  // 1..1000
    bool descending = false;
};

template <typename T>
struct Page {
    std::vector<T> items;
    bool has_more = false;  // items remain after the last one returned
};

}  // namespace tessera::core
