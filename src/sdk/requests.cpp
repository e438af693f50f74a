#include "sdk/requests.hpp"

namespace tessera::sdk::detail {

Result<Answer> answer_of(const HttpResponse& response) {
    auto request_id = response.header("request-id");
    auto body = parse_json(response.body);
    if (!body) {
        ApiError error = body.error();
        error.request_id = request_id;
        return error;
    }
    return Answer{std::move(*body), std::move(request_id)};
}

Result<Answer> call_json(const Channel& channel, const Call& call) {
    auto response = channel.call(call);
    if (!response) return std::move(response).error();
    return answer_of(*response);
}

Result<Answer> envelope_result(const Channel& channel, const Call& call) {
    auto answer = call_json(channel, call);
    if (!answer) return answer;
    auto* object = answer->json.if_object();
    if (!object || !object->contains("result")) {
        ApiError error = unexpected_answer("the answer is not a v4 envelope with a result");
        error.request_id = answer->request_id;
        return error;
    }
    boost::json::value result = std::move((*object)["result"]);
    answer->json = std::move(result);
    return answer;
}

}  // namespace tessera::sdk::detail
