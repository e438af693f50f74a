#pragma once

#include <map>
#include <string>

#include "support/http_client.hpp"

namespace tessera::testing {

// A browser's part in the code flow on Tessera's own pages, for the SDK
// and CLI tests: it opens an authorization URL on the server at `port`,
// signs in when asked, answers the consent page and returns the Location
// the server finally sends the browser to (the client's redirect URI with
// `code` or `error`), or "" (with a test failure) when a page is not what
// it expects. Keeps its cookies, so a second authorize() is signed in.
class PageBrowser {
public:
    PageBrowser(int port, std::string email, std::string password)
        : port_(port), email_(std::move(email)), password_(std::move(password)) {}

    // `action`: "approve" or "deny" on the consent page.
    std::string authorize(const std::string& authorization_url,
                          const std::string& action = "approve");

    // GET `url` (http://127.0.0.1:PORT/...) on a new connection: what a
    // browser does with the final Location.
    static WireResponse follow(const std::string& url);

private:
    WireResponse submit(Client& client, const WireResponse& page, const std::string& fields);

    int port_;
    std::string email_;
    std::string password_;
    std::map<std::string, std::string> cookies_;
};

}  // namespace tessera::testing
