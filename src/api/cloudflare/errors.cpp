#include "api/cloudflare/errors.hpp"

#include <spdlog/spdlog.h>

#include "api/cloudflare/envelope.hpp"

namespace tessera::api::cloudflare {
namespace {

// Cloudflare spec §4: validation codes (decision C3).
int violation_code(Violation::Kind kind) {
    switch (kind) {
        case Violation::Kind::missing: return 1001;
        case Violation::Kind::wrong_type: return 1002;
        case Violation::Kind::invalid_uri: return 1003;
        case Violation::Kind::invalid_scope: return 1004;
        case Violation::Kind::rule: return 1005;
        case Violation::Kind::limit: return 1006;
    }
    return 1002;
}

http::Response invalid(const Error& error) {
    std::vector<Message> messages;
    for (const auto& v : error.violations)
        messages.push_back({violation_code(v.kind), v.message,
                            v.pointer.empty() ? std::nullopt : std::optional(v.pointer)});
    if (messages.empty())
        messages.push_back({1002, error.description,
                            error.subject.empty() ? std::nullopt
                                                  : std::optional("/" + error.subject)});
    return failure(400, messages);
}

http::Response server_fault(const http::Request& request, const Error& error, int status) {
    spdlog::error("request {}: {} ({})", request.request_id, error.description, error.log_detail);
    auto response = failure(status, {{10001, status == 503 ? "Service temporarily unavailable"
                                                           : "Internal server error"}});
    if (status == 503) response.headers.set("Retry-After", "1");
    return response;
}

}  // namespace

http::Response not_routable(const http::Request& request) {
    return failure(404, {{7003, "Could not route to " + request.path.substr(0, 512) +
                                    ", perhaps your object identifier is invalid?"}});
}

http::Response authentication_error(int status) {
    return failure(status, {{10000, "Authentication error"}});
}

http::Response error_response(const http::Request& request, const Error& error) {
    switch (error.code) {
        case Code::invalid_params:
        case Code::invalid_client_metadata:
        case Code::invalid_redirect_uri:
        case Code::invalid_scope:
            return invalid(error);
        case Code::invalid_request:
        case Code::invalid_client:
        case Code::invalid_grant:
        case Code::unauthorized_client:
        case Code::unsupported_grant_type:
        case Code::unsupported_response_type:
        case Code::login_required:
        case Code::consent_required:
        case Code::access_denied:
            return failure(400, {{1400, error.description}});
        case Code::not_found:
            if (error.subject == "rotated_secret") return failure(404, {{1404, error.description}});
            return not_routable(request);
        case Code::conflict: {
            // §1.6: a conflict does not heal by retrying.
            auto response = failure(409, {{1409, error.description}});
            response.headers.set("x-should-retry", "false");
            return response;
        }
        case Code::forbidden:
            return authentication_error(403);
        case Code::unauthenticated:
        case Code::invalid_token:
            return authentication_error(401);
        case Code::rate_limited: {
            auto response = failure(429, {{10429, "Rate limited"}});
            response.headers.set("Retry-After", "60");
            return response;
        }
        case Code::unavailable:
            return server_fault(request, error, 503);
        case Code::internal:
            return server_fault(request, error, 500);
    }
    return server_fault(request, error, 500);
}

}  // namespace tessera::api::cloudflare
