#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sdk/channel.hpp"
#include "sdk/codec.hpp"
#include "sdk/json_reader.hpp"
#include "tessera/pagination.hpp"

// The steps every resource call shares: send, check, decode.
namespace tessera::sdk::detail {

// The JSON body of a 2xx answer to `call`. A protocol error (carrying the
// answer's request id) when the body is not JSON.
Result<boost::json::value> call_json(const Channel& channel, const Call& call);

// A call whose answer is one T (Heroku: the body; `what` names it in problems).
template <typename T>
Result<T> call_one(const Channel& channel, const Call& call, std::string_view what) {
    auto body = call_json(channel, call);
    if (!body) return std::move(body).error();
    return decode<T>(*body, what);
}

// GET `path` with `range` as the Range header: one page of a Heroku list.
template <typename T>
Result<Page<T>> heroku_page(const Channel& channel, const std::string& path, std::string_view range,
                            std::string_view what) {
    Call call{Surface::heroku, "GET", path, "", {{"Range", std::string(range)}}, true};
    auto response = channel.call(call);
    if (!response) return std::move(response).error();
    auto body = parse_json(response->body);
    if (!body) return std::move(body).error();
    auto items = decode_array<T>(*body, what);
    if (!items) return std::move(items).error();
    Page<T> page;
    page.items = std::move(*items);
    if (response->has_header("next-range")) page.next_range = response->header("next-range");
    page.content_range = response->header("content-range");
    return page;
}

// Every page of a Heroku list, following Next-Range from `range`.
template <typename T>
Result<std::vector<T>> heroku_list(const Channel& channel, const std::string& path,
                                   const Range& range, std::string_view what) {
    std::vector<T> all;
    std::string asked = range.header();
    for (;;) {
        auto page = heroku_page<T>(channel, path, asked, what);
        if (!page) return std::move(page).error();
        for (auto& item : page->items) all.push_back(std::move(item));
        if (!page->next_range) return all;
        // A Next-Range equal to the range just asked for would loop forever.
        if (*page->next_range == asked)
            return unexpected_answer("Next-Range repeats the range it answered");
        asked = std::move(*page->next_range);
    }
}

// Unwraps a Cloudflare v4 envelope's `result`.
Result<boost::json::value> envelope_result(const Channel& channel, const Call& call);

}  // namespace tessera::sdk::detail
