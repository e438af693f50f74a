#include "sdk/scripted_server.hpp"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace tessera::testing {
namespace {

// Reads one request (head, then Content-Length bytes of body) from `fd`
// into `request`, keeping what follows in `buffer`. False at end of stream.
bool read_request(int fd, std::string& buffer, std::string& request) {
    char chunk[4096];
    for (;;) {
        auto end = buffer.find("\r\n\r\n");
        if (end != std::string::npos) {
            std::size_t length = 0;
            auto head = buffer.substr(0, end);
            for (auto& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            auto at = head.find("\r\ncontent-length:");
            if (at != std::string::npos) length = std::stoul(head.substr(at + 17));
            if (buffer.size() >= end + 4 + length) {
                request = buffer.substr(0, end + 4 + length);
                buffer.erase(0, end + 4 + length);
                return true;
            }
        }
        auto n = ::recv(fd, chunk, sizeof chunk, 0);
        if (n <= 0) return false;
        buffer.append(chunk, static_cast<std::size_t>(n));
    }
}

}  // namespace

ScriptedServer::ScriptedServer(Script script) : script_(std::move(script)) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listener_, 16) != 0)
        throw std::runtime_error("scripted server: cannot listen");
    socklen_t size = sizeof address;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &size);
    port_ = ntohs(address.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
}

ScriptedServer::~ScriptedServer() {
    stopping_ = true;
    acceptor_.join();
    {
        std::lock_guard lock(mutex_);
        for (int fd : open_) ::shutdown(fd, SHUT_RDWR);
    }
    for (auto& worker : workers_) worker.join();
    ::close(listener_);
}

std::vector<std::string> ScriptedServer::requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
}

std::string ScriptedServer::response(int status, const std::string& body,
                                     const std::vector<std::string>& headers) {
    std::string out = "HTTP/1.1 " + std::to_string(status) + " Scripted\r\n";
    for (const auto& h : headers) out += h + "\r\n";
    out += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    return out;
}

void ScriptedServer::accept_loop() {
    while (!stopping_) {
        pollfd p{listener_, POLLIN, 0};
        if (::poll(&p, 1, 20) <= 0) continue;
        int fd = ::accept(listener_, nullptr, nullptr);
        if (fd < 0) continue;
        ++connections_;
        std::lock_guard lock(mutex_);
        open_.insert(fd);
        workers_.emplace_back([this, fd] { serve(fd); });
    }
}

void ScriptedServer::serve(int fd) {
    std::string buffer, request;
    while (!stopping_ && read_request(fd, buffer, request)) {
        int index;
        {
            std::lock_guard lock(mutex_);
            index = static_cast<int>(requests_.size());
            requests_.push_back(request);
        }
        Reply reply = script_(request, index);
        if (reply.drop) break;
        if (reply.hang) {
            while (!stopping_) ::usleep(10'000);
            break;
        }
        std::size_t sent = 0;
        while (sent < reply.raw.size()) {
            auto n = ::send(fd, reply.raw.data() + sent, reply.raw.size() - sent, MSG_NOSIGNAL);
            if (n <= 0) break;
            sent += static_cast<std::size_t>(n);
        }
        if (reply.close_after) break;
    }
    {
        std::lock_guard lock(mutex_);
        open_.erase(fd);
    }
    ::close(fd);
}

}  // namespace tessera::testing
