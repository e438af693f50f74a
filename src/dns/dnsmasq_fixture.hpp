#pragma once

// A real DNS server for the tests of src/dns: Debian's dnsmasq, run in the
// foreground on 127.0.0.1 with only the records a test gives it.

#include <sys/types.h>

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace tessera::dns::testing {

inline constexpr const char* kDnsmasqPath = "/usr/sbin/dnsmasq";

// A UDP port on 127.0.0.1 that was free a moment ago (bound to port 0, then
// released; another process could take it meanwhile, which is rare).
int free_udp_port();

// One TXT record: its character-strings, which must hold no comma (dnsmasq
// splits its argument there). dnsmasq splits one over 255 bytes itself.
struct TxtRecord {
    std::string name;
    std::vector<std::string> strings;
};

// What the server knows. Every name under "test." is answered from this
// alone: an unknown one is NXDOMAIN, a name in `a_names` has an A record
// (127.0.0.2) and no TXT. Names outside "test." are REFUSED (no upstream).
struct Zone {
    std::vector<TxtRecord> txt;
    std::vector<std::string> a_names;
};

// One dnsmasq process on 127.0.0.1:port(). Not thread-safe. The destructor
// stops it; it also dies with the test process (PR_SET_PDEATHSIG).
class Dnsmasq {
public:
    explicit Dnsmasq(int port = free_udp_port()) : port_(port) {}
    ~Dnsmasq();
    Dnsmasq(const Dnsmasq&) = delete;
    Dnsmasq& operator=(const Dnsmasq&) = delete;

    // Starts serving `zone` (stopping a running server first) and waits until
    // it answers. "" on success, else what went wrong, with dnsmasq's output.
    std::string start(const Zone& zone);
    // Stops the server (SIGTERM, then SIGKILL after 3 s); no-op when stopped.
    void stop();

    int port() const { return port_; }
    // The server as TxtResolver takes it.
    std::string server() const { return "127.0.0.1:" + std::to_string(port_); }

private:
    bool answers() const;
    std::string output() const;

    int port_;
    pid_t pid_ = -1;
    std::string log_path_;
};

// Fails (never skips) a test when dnsmasq is not installed, then leaves a
// stopped Dnsmasq in dns_ for the test to start.
class DnsmasqTest : public ::testing::Test {
protected:
    void SetUp() override;

    Dnsmasq dns_;
};

}  // namespace tessera::dns::testing
