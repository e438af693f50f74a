#include "support/http_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace tessera::testing {

std::string WireResponse::header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
}

Client::Client(int port) : port_(port) {}
Client::~Client() {
    if (fd_ >= 0) ::close(fd_);
}

void Client::connect_if_needed() {
    if (fd_ >= 0) return;
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port_));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
        throw std::runtime_error("cannot connect to the test server");
    buffer_.clear();
}

WireResponse Client::raw(const std::string& request) {
    connect_if_needed();
    for (std::size_t sent = 0; sent < request.size();) {
        auto n = ::send(fd_, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) break;  // the server may close early (e.g. 413); read its answer
        sent += static_cast<std::size_t>(n);
    }
    auto fill = [&]() {
        char chunk[65536];
        auto n = ::recv(fd_, chunk, sizeof chunk, 0);
        if (n <= 0) return false;
        buffer_.append(chunk, static_cast<std::size_t>(n));
        return true;
    };
    std::size_t header_end;
    while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos)
        if (!fill()) throw std::runtime_error("connection closed before a response");
    WireResponse response;
    std::string head = buffer_.substr(0, header_end);
    response.status = std::stoi(head.substr(9, 3));
    std::size_t pos = head.find("\r\n");
    while (pos != std::string::npos && pos < head.size()) {
        auto next = head.find("\r\n", pos + 2);
        auto line =
            head.substr(pos + 2, next == std::string::npos ? std::string::npos : next - pos - 2);
        auto colon = line.find(':');
        if (colon != std::string::npos) {
            std::string name = line.substr(0, colon), value = line.substr(colon + 1);
            for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            while (!value.empty() && value.front() == ' ') value.erase(0, 1);
            response.headers.emplace(name, value);
        }
        pos = next;
    }
    std::size_t length = std::stoul(
        response.header("content-length").empty() ? "0" : response.header("content-length"));
    while (buffer_.size() < header_end + 4 + length)
        if (!fill()) throw std::runtime_error("connection closed inside a body");
    response.body = buffer_.substr(header_end + 4, length);
    buffer_.erase(0, header_end + 4 + length);
    if (response.header("connection") == "close") {
        ::close(fd_);
        fd_ = -1;
    }
    return response;
}

WireResponse Client::send(const std::string& method, const std::string& target,
                          const std::string& headers, const std::string& body) {
    std::string request = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers;
    if (!body.empty() || method != "GET")
        request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    request += "\r\n" + body;
    return raw(request);
}

}  // namespace tessera::testing
