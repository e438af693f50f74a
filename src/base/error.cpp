#include "base/error.hpp"

namespace tessera {

std::string_view to_string(Code code) {
    switch (code) {
        case Code::invalid_request:
            return "invalid_request";
        case Code::invalid_client:
            return "invalid_client";
        case Code::invalid_grant:
            return "invalid_grant";
        case Code::unauthorized_client:
            return "unauthorized_client";
        case Code::unsupported_grant_type:
            return "unsupported_grant_type";
        case Code::unsupported_response_type:
            return "unsupported_response_type";
        case Code::login_required:
            return "login_required";
        case Code::consent_required:
            return "consent_required";
        case Code::invalid_scope:
            return "invalid_scope";
        case Code::access_denied:
            return "access_denied";
        case Code::invalid_token:
            return "invalid_token";
        case Code::invalid_redirect_uri:
            return "invalid_redirect_uri";
        case Code::invalid_client_metadata:
            return "invalid_client_metadata";
        case Code::invalid_params:
            return "invalid_params";
        case Code::not_found:
            return "not_found";
        case Code::conflict:
            return "conflict";
        case Code::forbidden:
            return "forbidden";
        case Code::unauthenticated:
            return "unauthenticated";
        case Code::rate_limited:
            return "rate_limited";
        case Code::unavailable:
            return "unavailable";
        case Code::internal:
            return "internal";
    }
    return "internal";
}

}  // namespace tessera
