#include "api/cloudflare/envelope.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace tessera::api::cloudflare {
namespace {

namespace json = boost::json;

json::object render(const Message& message) {
    json::object o;
    o["code"] = message.code;
    o["message"] = message.message;
    if (message.pointer) o["source"] = json::object{{"pointer", *message.pointer}};
    if (!message.error_chain.empty()) {
        json::array chain;
        for (const auto& link : message.error_chain) chain.push_back(render(link));
        o["error_chain"] = std::move(chain);
    }
    return o;
}

http::Response respond(int status, const json::object& body) {
    http::Response response;
    response.status = status;
    response.headers.set("Content-Type", "application/json");
    response.headers.set("Cache-Control", "no-store");
    response.body = json::serialize(body);
    return response;
}

}  // namespace

http::Response success(json::value result, int status, std::optional<json::object> result_info) {
    json::object body;
    body["success"] = true;
    body["errors"] = json::array();
    body["messages"] = json::array();
    body["result"] = std::move(result);
    if (result_info) body["result_info"] = std::move(*result_info);
    return respond(status, body);
}

http::Response failure(int status, const std::vector<Message>& errors) {
    json::object body;
    body["success"] = false;
    json::array list;
    for (const auto& error : errors) list.push_back(render(error));
    body["errors"] = std::move(list);
    body["messages"] = json::array();
    body["result"] = nullptr;
    return respond(status, body);
}

}  // namespace tessera::api::cloudflare
