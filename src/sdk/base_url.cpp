#include "sdk/base_url.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

namespace tessera::sdk::detail {
namespace {

ApiError usage(std::string message) {
    ApiError error;
    error.kind = ErrorKind::usage;
    error.message = std::move(message);
    return error;
}

}  // namespace

Result<BaseUrl> parse_base_url(std::string_view text) {
    auto parsed = boost::urls::parse_absolute_uri(text);
    if (!parsed)
        return usage("the API URL '" + std::string(text) +
                     "' is not an absolute URL like https://id.example.com");
    const auto& url = *parsed;
    BaseUrl base;
    if (url.scheme_id() == boost::urls::scheme::https)
        base.is_tls = true;
    else if (url.scheme_id() != boost::urls::scheme::http)
        return usage("the API URL must start with http:// or https://");
    if (!url.has_authority() || url.encoded_host().empty())
        return usage("the API URL names no host");
    if (url.has_userinfo() || url.has_query() || url.has_fragment())
        return usage("the API URL may not hold a user, a query or a fragment");
    base.host = url.host_type() == boost::urls::host_type::ipv6 ? std::string(url.host_address())
                                                                : std::string(url.host());
    base.port = url.has_port() ? std::string(url.port()) : (base.is_tls ? "443" : "80");
    if (url.has_port() && (url.port_number() == 0 || url.port().empty()))
        return usage("the API URL has an invalid port");
    base.host_header = std::string(url.encoded_host_and_port());
    base.prefix = std::string(url.encoded_path());
    while (!base.prefix.empty() && base.prefix.back() == '/') base.prefix.pop_back();
    return base;
}

std::string percent_encode(std::string_view text) {
    return boost::urls::encode(text, boost::urls::unreserved_chars);
}

}  // namespace tessera::sdk::detail
