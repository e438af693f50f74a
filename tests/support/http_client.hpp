#pragma once

#include <map>
#include <string>

namespace tessera::testing {

// A minimal blocking HTTP/1.1 client for wire tests: sends exactly the bytes
// it is given and parses one response (Content-Length bodies). One
// connection per Client; keep-alive across calls.
struct WireResponse {
    int status = 0;
    std::multimap<std::string, std::string> headers;  // names lowercased
    std::string body;

    // The first value of header `name` (lowercase), or "" when absent.
    std::string header(const std::string& name) const;
    bool has_header(const std::string& name) const { return headers.count(name) > 0; }
};

class Client {
public:
    explicit Client(int port);
    ~Client();
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    // Sends `raw` (a complete request) and reads one response.
    WireResponse raw(const std::string& raw);

    // Builds a request with Host, Content-Length (when a body is given or the
    // method is not GET) and the given extra header lines ("Name: value\r\n"...).
    WireResponse send(const std::string& method, const std::string& target,
                      const std::string& headers = "", const std::string& body = "");

    bool is_open() const { return fd_ >= 0; }

private:
    void connect_if_needed();
    int port_;
    int fd_ = -1;
    std::string buffer_;
};

}  // namespace tessera::testing
