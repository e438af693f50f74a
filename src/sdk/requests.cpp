#include "sdk/requests.hpp"

namespace tessera::sdk::detail {

Result<boost::json::value> call_json(const Channel& channel, const Call& call) {
    auto response = channel.call(call);
    if (!response) return std::move(response).error();
    auto body = parse_json(response->body);
    if (!body) {
        ApiError error = body.error();
        error.request_id = response->header("request-id");
        return error;
    }
    return body;
}

Result<boost::json::value> envelope_result(const Channel& channel, const Call& call) {
    auto body = call_json(channel, call);
    if (!body) return body;
    auto* object = body->if_object();
    if (!object || !object->contains("result"))
        return unexpected_answer("the answer is not a v4 envelope with a result");
    return std::move((*object)["result"]);
}

}  // namespace tessera::sdk::detail
