#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace tessera::testing {

// A loopback HTTP/1.1 server that answers each request with whatever the
// test's script says, to drive the SDK's transport through what a real
// server rarely does on cue: 429s and 503s, silence, closed connections,
// bodies that are not JSON. Records every request and counts connections.
class ScriptedServer {
public:
    struct Reply {
        std::string raw;           // the whole response, bytes as sent
        bool close_after = false;  // close the connection after sending
        bool hang = false;         // send nothing and keep the connection open
        bool drop = false;         // close the connection without answering
    };
    // Called with the request (head and body) and its index from 0.
    using Script = std::function<Reply(const std::string& request, int index)>;

    explicit ScriptedServer(Script script);
    ~ScriptedServer();
    ScriptedServer(const ScriptedServer&) = delete;
    ScriptedServer& operator=(const ScriptedServer&) = delete;

    int port() const { return port_; }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    int connections() const { return connections_; }
    std::vector<std::string> requests() const;

    // A response with Content-Length and the given extra header lines
    // ("Name: value").
    static std::string response(int status, const std::string& body,
                                const std::vector<std::string>& headers = {});

private:
    void accept_loop();
    void serve(int fd);

    Script script_;
    int listener_ = -1;
    int port_ = 0;
    std::atomic<bool> stopping_{false};
    std::atomic<int> connections_{0};
    mutable std::mutex mutex_;  // guards requests_, open_, workers_
    std::vector<std::string> requests_;
    std::set<int> open_;
    std::vector<std::thread> workers_;
    std::thread acceptor_;
};

}  // namespace tessera::testing
