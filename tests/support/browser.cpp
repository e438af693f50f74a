#include "support/browser.hpp"

#include <string_view>

#include "base/encoding.hpp"
#include "core/oauth/authorize/authorization_endpoint.hpp"
#include "http/message.hpp"

namespace tessera::testing {

WireResponse browse(Client& client, std::map<std::string, std::string>& jar,
                    const std::string& method, const std::string& target, const std::string& body) {
    std::string cookies;
    for (const auto& [name, value] : jar)
        if (!value.empty()) cookies += (cookies.empty() ? "" : "; ") + name + "=" + value;
    std::string headers =
        (body.empty() ? "" : "Content-Type: application/x-www-form-urlencoded\r\n") +
        (cookies.empty() ? "" : "Cookie: " + cookies + "\r\n");
    auto r = client.send(method, target, headers, body);
    auto [begin, end] = r.headers.equal_range("set-cookie");
    for (auto it = begin; it != end; ++it) {
        auto eq = it->second.find('=');
        auto semi = it->second.find(';');
        jar[it->second.substr(0, eq)] = it->second.substr(eq + 1, semi - eq - 1);
    }
    return r;
}

WireResponse submit_authorize_form(Client& client, std::map<std::string, std::string>& jar,
                                   const WireResponse& page, const std::string& action) {
    std::string body = "action=" + action;
    if (action == "sign_in") body += "&email=ada%40example.com&password=correct+horse+battery";
    auto names = core::AuthorizeParams::names();
    names.push_back("csrf_token");
    for (const auto& name : names) {
        auto value = hidden_field(page.body, name);
        if (!value.empty()) body += "&" + name + "=" + form_encode(value);
    }
    return browse(client, jar, "POST", "/oauth/authorize", body);
}

std::string hidden_field(const std::string& html, const std::string& name) {
    std::string marker = "name=\"" + name + "\" value=\"";
    auto at = html.find(marker);
    if (at == std::string::npos) return "";
    at += marker.size();
    return html.substr(at, html.find('"', at) - at);
}

std::string query_param(const std::string& uri, const std::string& name) {
    auto q = uri.find('?');
    if (q == std::string::npos) return "";
    std::string_view query = std::string_view(uri).substr(q + 1);
    while (!query.empty()) {
        auto amp = query.find('&');
        auto item = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
        if (item.starts_with(name + "="))
            return http::percent_decode(item.substr(name.size() + 1), true).value_or("");
    }
    return "";
}

}  // namespace tessera::testing
