#include "sdk/channel.hpp"

#include <openssl/evp.h>

#include <boost/json/value.hpp>
#include <chrono>

#include "sdk/json_reader.hpp"
#include "sdk/retry_policy.hpp"

namespace tessera::sdk::detail {
namespace {

std::string base64(std::string_view data) {
    std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
    int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                            reinterpret_cast<const unsigned char*>(data.data()),
                            static_cast<int>(data.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

ErrorDetail read_detail(const boost::json::object& entry) {
    ErrorDetail detail;
    if (auto* code = entry.if_contains("code"); code && code->is_int64())
        detail.code = static_cast<int>(code->get_int64());
    if (auto* message = entry.if_contains("message"); message && message->is_string())
        detail.message = std::string(message->get_string());
    if (auto* source = entry.if_contains("source"); source && source->is_object())
        if (auto* pointer = source->get_object().if_contains("pointer");
            pointer && pointer->is_string())
            detail.pointer = std::string(pointer->get_string());
    if (auto* chain = entry.if_contains("error_chain"); chain && chain->is_array())
        for (const auto& link : chain->get_array())
            if (link.is_object()) detail.error_chain.push_back(read_detail(link.get_object()));
    return detail;
}

std::string member_text(const boost::json::object& o, std::string_view key) {
    auto* value = o.if_contains(key);
    return value && value->is_string() ? std::string(value->get_string()) : std::string();
}

// The quoted value of `name` in a challenge (RFC 7235 §2.1), "" when absent.
// Enough for the server's own challenges, whose values hold no quotes.
std::string challenge_parameter(std::string_view challenge, std::string_view name) {
    std::string key = std::string(name) + "=\"";
    for (auto at = challenge.find(key); at != std::string_view::npos;
         at = challenge.find(key, at + 1)) {
        if (at > 0 && challenge[at - 1] != ' ' && challenge[at - 1] != ',') continue;
        auto start = at + key.size();
        auto end = challenge.find('"', start);
        if (end == std::string_view::npos) return {};
        return std::string(challenge.substr(start, end - start));
    }
    return {};
}

}  // namespace

std::string basic_authorization(std::string_view user, std::string_view password) {
    std::string pair;
    pair.reserve(user.size() + password.size() + 1);
    pair.append(user).append(1, ':').append(password);
    return "Basic " + base64(pair);
}

ApiError error_from_response(const HttpResponse& response) {
    ApiError error;
    error.kind = ErrorKind::api;
    error.status = response.status;
    error.request_id = response.header("request-id");
    if (auto wait =
            parse_retry_after(response.header("retry-after"), std::chrono::system_clock::now()))
        error.retry_after = *wait;
    auto parsed = parse_json(response.body);
    const boost::json::object* body = parsed ? parsed->if_object() : nullptr;
    if (body) {
        if (auto* errors = body->if_contains("errors"); errors && errors->is_array()) {
            // Cloudflare v4 envelope (spec §1.5).
            for (const auto& entry : errors->get_array())
                if (entry.is_object()) error.details.push_back(read_detail(entry.get_object()));
            if (!error.details.empty()) {
                error.code = error.details.front().code;
                error.message = error.details.front().message;
            }
        } else if (body->contains("error")) {
            // RFC 6749 §5.2.
            error.id = member_text(*body, "error");
            error.message = member_text(*body, "error_description");
        } else {
            // Heroku {id, message, resource} (spec §1.4).
            error.id = member_text(*body, "id");
            error.message = member_text(*body, "message");
            error.resource = member_text(*body, "resource");
        }
    }
    if (error.id.empty() && error.details.empty()) {
        // RFC 6750 §3: a bearer error may be told only in the challenge.
        auto challenge = response.header("www-authenticate");
        error.id = challenge_parameter(challenge, "error");
        if (error.message.empty())
            error.message = challenge_parameter(challenge, "error_description");
        if (error.message.empty() && !challenge.empty())
            error.message = "the server asks for credentials: " + challenge;
    }
    if (error.message.empty())
        error.message = body ? "the server gave no message" : "the server's answer is not JSON";
    return error;
}

Channel::Channel(std::string base_url, Credentials credentials, Options options)
    : base_url_(std::move(base_url)),
      credentials_(std::move(credentials)),
      options_(std::move(options)) {
    auto parsed = parse_base_url(base_url_);
    if (!parsed) {
        url_error_ = parsed.error();
        return;
    }
    transport_ = std::make_unique<Transport>(std::move(*parsed), options_);
}

Result<HttpResponse> Channel::call(const Call& call) const {
    if (url_error_) return *url_error_;
    HttpRequest request;
    request.method = call.method;
    request.target = transport_->base().prefix + call.path;
    request.body = call.body;
    request.idempotent = call.idempotent;
    auto& h = request.headers;
    h.emplace_back("User-Agent", options_.user_agent);
    switch (call.surface) {
        case Surface::heroku:
            h.emplace_back("Accept", "application/vnd.heroku+json; version=3");
            if (!call.body.empty()) h.emplace_back("Content-Type", "application/json");
            break;
        case Surface::cloudflare:
        case Surface::registration:
            h.emplace_back("Accept", "application/json");
            if (!call.body.empty()) h.emplace_back("Content-Type", "application/json");
            break;
        case Surface::oauth:
            h.emplace_back("Accept", "application/json");
            if (!call.body.empty())
                h.emplace_back("Content-Type", "application/x-www-form-urlencoded");
            break;
    }
    if (call.with_credentials) {
        const auto& c = credentials_;
        switch (c.kind()) {
            case Credentials::Kind::none:
                break;
            case Credentials::Kind::token:
                h.emplace_back("Authorization", "Bearer " + c.secret().reveal());
                break;
            case Credentials::Kind::api_key:
                h.emplace_back("X-Auth-Email", c.email());
                h.emplace_back("X-Auth-Key", c.secret().reveal());
                break;
            case Credentials::Kind::password:
                if (call.surface != Surface::heroku) {
                    ApiError error;
                    error.kind = ErrorKind::usage;
                    error.message =
                        "password credentials only create authorizations (a login); "
                        "use a token";
                    return error;
                }
                h.emplace_back("Authorization",
                               basic_authorization(c.email(), c.secret().reveal()));
                break;
        }
    }
    for (const auto& header : call.headers) h.push_back(header);
    auto response = transport_->send(request);
    if (!response) return std::move(response).error();
    if (response->status < 200 || response->status >= 300) return error_from_response(*response);
    return response;
}

}  // namespace tessera::sdk::detail
