#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sdk/http_types.hpp"
#include "sdk/transport.hpp"
#include "tessera/options.hpp"
#include "tessera/result.hpp"

namespace tessera::sdk::detail {

// Which dialect a call speaks: it decides the Accept and Content-Type
// headers, how the Api's credentials are sent and how errors are read.
// `registration` is RFC 7591/7592: JSON bodies, OAuth errors.
enum class Surface { heroku, cloudflare, oauth, registration };

struct Call {
    Surface surface = Surface::heroku;
    std::string method = "GET";
    std::string path;  // below the base URL, encoded, starting with '/'
    std::string body;  // JSON (heroku, cloudflare) or a form (oauth); "" for none
    std::vector<std::pair<std::string, std::string>> headers;  // extra headers
    bool idempotent = false;
    // Send the Api's credentials (the oauth surface authenticates per call
    // through `headers` instead).
    bool with_credentials = true;
};

// What every resource handle shares: the base URL, the credentials and the
// transport. Immutable after construction, so thread-safe.
class Channel {
public:
    Channel(std::string base_url, Credentials credentials, Options options);

    // Sends the call. A 2xx response comes back as is; any other status
    // becomes the ApiError the surface's error body describes.
    Result<HttpResponse> call(const Call& call) const;

    const std::string& base_url() const { return base_url_; }
    const Credentials& credentials() const { return credentials_; }

private:
    std::string base_url_;
    Credentials credentials_;
    Options options_;
    std::unique_ptr<Transport> transport_;  // null when the base URL is malformed
    std::optional<ApiError> url_error_;
};

// The ApiError a non-2xx response describes, in any surface's error shape.
ApiError error_from_response(const HttpResponse& response);

// "Basic base64(user:password)".
std::string basic_authorization(std::string_view user, std::string_view password);

}  // namespace tessera::sdk::detail
