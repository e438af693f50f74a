#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "http/message.hpp"

namespace tessera::api::cloudflare {

// One entry of `errors` (Cloudflare spec §1.5).
struct Message {
    int code;
    std::string message;
    std::optional<std::string> pointer{};       // source.pointer
    std::vector<Message> error_chain{};         // nested header errors (§7)
};

// 200 (or `status`) with {success:true, errors:[], messages:[], result} and,
// when given, result_info after result.
http::Response success(boost::json::value result, int status = 200,
                       std::optional<boost::json::object> result_info = std::nullopt);

// `status` with {success:false, errors, messages:[], result:null}.
http::Response failure(int status, const std::vector<Message>& errors);

}  // namespace tessera::api::cloudflare
