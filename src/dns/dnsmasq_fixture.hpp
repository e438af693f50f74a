#pragma once

// A real DNS server for the tests of src/dns: Debian's dnsmasq, run in the
// foreground on 127.0.0.1 with only the records a test gives it.

#include <sys/types.h>

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace tessera::dns::testing {

inline constexpr const char* kDnsmasqPath = "/usr/sbin/dnsmasq";

// A port on 127.0.0.1 reserved for one test server: free for UDP and TCP when
// chosen, outside the kernel's ephemeral range (so no outgoing socket of
// another process is handed it), and held under a lock file that every other
// reservation in any process respects, until the reservation is destroyed.
class PortReservation {
public:
    PortReservation();
    ~PortReservation();
    PortReservation(const PortReservation&) = delete;
    PortReservation& operator=(const PortReservation&) = delete;

    int port() const { return port_; }

private:
    int port_ = 0;
    int lock_fd_ = -1;
};

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
    Dnsmasq() = default;
    ~Dnsmasq();
    Dnsmasq(const Dnsmasq&) = delete;
    Dnsmasq& operator=(const Dnsmasq&) = delete;

    // Starts serving `zone` (stopping a running server first) and waits until
    // it answers. "" on success, else what went wrong, with dnsmasq's output.
    std::string start(const Zone& zone);
    // Stops the server (SIGTERM, then SIGKILL after 3 s); no-op when stopped.
    void stop();

    int port() const { return reservation_.port(); }
    // The server as TxtResolver takes it.
    std::string server() const { return "127.0.0.1:" + std::to_string(port()); }

private:
    bool answers() const;
    std::string output() const;

    PortReservation reservation_;
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
