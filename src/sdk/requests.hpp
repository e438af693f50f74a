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

// A 2xx answer's JSON body and request id.
struct Answer {
    boost::json::value json;
    std::string request_id;
};

// The JSON body of a 2xx `response`, with its request id. A protocol error
// (carrying the request id) when the body is not JSON.
Result<Answer> answer_of(const HttpResponse& response);

// Sends `call`; the JSON body of its 2xx answer, as answer_of().
Result<Answer> call_json(const Channel& channel, const Call& call);

// `json` decoded as a T (or, with decode_answer_array, a JSON array of T);
// a protocol error carries the answer's request id.
template <typename T>
Result<T> decode_answer(const boost::json::value& json, const std::string& request_id,
                        std::string_view what) {
    auto decoded = decode<T>(json, what);
    if (!decoded) {
        ApiError error = std::move(decoded).error();
        error.request_id = request_id;
        return error;
    }
    return decoded;
}

template <typename T>
Result<std::vector<T>> decode_answer_array(const boost::json::value& json,
                                           const std::string& request_id, std::string_view what) {
    auto decoded = decode_array<T>(json, what);
    if (!decoded) {
        ApiError error = std::move(decoded).error();
        error.request_id = request_id;
        return error;
    }
    return decoded;
}

// A call whose answer is one T (Heroku: the body; `what` names it in problems).
template <typename T>
Result<T> call_one(const Channel& channel, const Call& call, std::string_view what) {
    auto answer = call_json(channel, call);
    if (!answer) return std::move(answer).error();
    return decode_answer<T>(answer->json, answer->request_id, what);
}

// GET `path` with `range` as the Range header: one page of a Heroku list.
template <typename T>
Result<Page<T>> heroku_page(const Channel& channel, const std::string& path, std::string_view range,
                            std::string_view what) {
    Call call{Surface::heroku, "GET", path, "", {{"Range", std::string(range)}}, true};
    auto response = channel.call(call);
    if (!response) return std::move(response).error();
    auto answer = answer_of(*response);
    if (!answer) return std::move(answer).error();
    auto items = decode_answer_array<T>(answer->json, answer->request_id, what);
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
        if (*page->next_range == asked) {
            ApiError error = unexpected_answer("Next-Range repeats the range it answered");
            return error;
        }
        asked = std::move(*page->next_range);
    }
}

// Sends `call` and unwraps the Cloudflare v4 envelope: `json` is its `result`.
Result<Answer> envelope_result(const Channel& channel, const Call& call);

}  // namespace tessera::sdk::detail
