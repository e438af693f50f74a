#include "sdk/page_browser.hpp"

#include <gtest/gtest.h>

#include <cstring>

#include "base/encoding.hpp"
#include "support/browser.hpp"

namespace tessera::testing {
namespace {

// "http://host:port/path?query" → port and "/path?query".
std::pair<int, std::string> split_url(const std::string& url) {
    auto authority = url.find("://");
    auto path = url.find('/', authority == std::string::npos ? 0 : authority + 3);
    std::string host_port = url.substr(authority + 3, path - authority - 3);
    auto colon = host_port.rfind(':');
    int port = colon == std::string::npos ? 80 : std::stoi(host_port.substr(colon + 1));
    return {port, path == std::string::npos ? "/" : url.substr(path)};
}

std::string unescape_html(std::string text) {
    const std::pair<const char*, const char*> entities[] = {
        {"&quot;", "\""}, {"&#39;", "'"}, {"&#x27;", "'"}, {"&lt;", "<"},   {"&gt;", ">"},
        {"&#x2F;", "/"},  {"&#47;", "/"}, {"&#61;", "="},  {"&#x3D;", "="}, {"&amp;", "&"}};
    for (const auto& [entity, plain] : entities)
        for (auto at = text.find(entity); at != std::string::npos; at = text.find(entity, at + 1))
            text.replace(at, std::strlen(entity), plain);
    return text;
}

// The hidden inputs of the page's first form, form-encoded.
std::string hidden_inputs(const std::string& html) {
    auto end = html.find("</form>");
    std::string form = html.substr(0, end);
    std::string out;
    const std::string marker = "<input type=\"hidden\" name=\"";
    for (auto at = form.find(marker); at != std::string::npos; at = form.find(marker, at + 1)) {
        auto name_start = at + marker.size();
        auto name_end = form.find('"', name_start);
        auto value_start = form.find("value=\"", name_end) + 7;
        auto value_end = form.find('"', value_start);
        out += "&" + form_encode(form.substr(name_start, name_end - name_start)) + "=" +
               form_encode(unescape_html(form.substr(value_start, value_end - value_start)));
    }
    return out;
}

}  // namespace

WireResponse PageBrowser::submit(Client& client, const WireResponse& page,
                                 const std::string& fields) {
    return browse(client, cookies_, "POST", "/oauth/authorize", fields + hidden_inputs(page.body));
}

std::string PageBrowser::authorize(const std::string& authorization_url,
                                   const std::string& action) {
    Client client(port_);
    auto page = browse(client, cookies_, "GET", split_url(authorization_url).second);
    if (page.status == 200 && page.body.find("name=\"password\"") != std::string::npos)
        page = submit(
            client, page,
            "action=sign_in&email=" + form_encode(email_) + "&password=" + form_encode(password_));
    if (page.status == 200) page = submit(client, page, "action=" + action);
    EXPECT_TRUE(page.status == 302 || page.status == 303) << page.status << "\n" << page.body;
    return page.header("location");
}

WireResponse PageBrowser::follow(const std::string& url) {
    auto [port, target] = split_url(url);
    Client client(port);
    return client.send("GET", target);
}

}  // namespace tessera::testing
