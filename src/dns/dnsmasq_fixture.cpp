#include "dns/dnsmasq_fixture.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

namespace tessera::dns::testing {
namespace {

using std::chrono::steady_clock;

sockaddr_in loopback(int port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return address;
}

// A TXT query for "ready.test" (RFC 1035 §4.1), made by hand so that waiting
// for the server does not lean on the resolver under test.
std::string probe_query() {
    std::string q("\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00", 12);
    q += std::string("\x05ready\x04test\x00", 12);
    q += std::string("\x00\x10\x00\x01", 4);
    return q;
}

std::vector<std::string> arguments(int port, const Zone& zone) {
    std::vector<std::string> args = {kDnsmasqPath,
                                     "--keep-in-foreground",
                                     "--no-resolv",
                                     "--no-hosts",
                                     "--conf-file=/dev/null",
                                     "--bind-interfaces",
                                     "--listen-address=127.0.0.1",
                                     "--port=" + std::to_string(port),
                                     "--pid-file=",
                                     "--cache-size=0",
                                     "--log-facility=-",
                                     "--local=/test/"};
    // As root dnsmasq would switch to `nobody`; staying root is harmless here.
    if (geteuid() == 0) args.push_back("--user=root");
    for (const auto& record : zone.txt) {
        std::string arg = "--txt-record=" + record.name;
        // On the command line dnsmasq keeps quotes as text: strings go bare.
        for (const auto& s : record.strings) arg += "," + s;
        args.push_back(arg);
    }
    for (const auto& name : zone.a_names) args.push_back("--host-record=" + name + ",127.0.0.2");
    return args;
}

}  // namespace

namespace {

// Whether `port` on 127.0.0.1 can be bound now for `type` (dnsmasq listens on
// both UDP and TCP).
bool bindable(int port, int type) {
    int fd = socket(AF_INET, type, 0);
    if (fd < 0) return false;
    sockaddr_in address = loopback(port);
    bool ok = bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    close(fd);
    return ok;
}

// The low end of the kernel's ephemeral port range (32768 when unreadable).
int ephemeral_low() {
    std::ifstream in("/proc/sys/net/ipv4/ip_local_port_range");
    int low = 32768;
    if (!(in >> low) || low < 2048) low = 32768;
    return low;
}

}  // namespace

PortReservation::PortReservation() {
    int high = ephemeral_low();  // exclusive
    int low = std::max(1024, high - 12000);
    std::mt19937 random(std::random_device{}());
    std::uniform_int_distribution<int> pick(low, high - 1);
    for (int attempt = 0; attempt < 1000; ++attempt) {
        int port = pick(random);
        std::string path = "/tmp/tessera-test-port-" + std::to_string(port) + ".lock";
        int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
        if (fd < 0) continue;
        if (flock(fd, LOCK_EX | LOCK_NB) == 0 && bindable(port, SOCK_DGRAM) &&
            bindable(port, SOCK_STREAM)) {
            port_ = port;
            lock_fd_ = fd;
            return;
        }
        close(fd);
    }
    std::abort();  // a thousand busy ports: the machine is not fit to test on
}

PortReservation::~PortReservation() {
    // The lock file stays: removing it would race with another process that
    // has it open but not yet locked. Closing releases the lock.
    if (lock_fd_ >= 0) close(lock_fd_);
}

Dnsmasq::~Dnsmasq() {
    stop();
    if (!log_path_.empty()) std::filesystem::remove(log_path_);
}

std::string Dnsmasq::start(const Zone& zone) {
    stop();
    if (log_path_.empty()) {
        char pattern[] = "/tmp/tessera-dnsmasq-XXXXXX";
        int fd = mkstemp(pattern);
        if (fd < 0) return "cannot create a log file";
        close(fd);
        log_path_ = pattern;
    }
    // Everything the child needs is prepared before fork(): after it, only
    // async-signal-safe calls.
    std::vector<std::string> args = arguments(port(), zone);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) return "fork failed";
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent) _exit(126);
        int log = open(log_path_.c_str(), O_WRONLY | O_TRUNC);
        if (log >= 0) {
            dup2(log, STDOUT_FILENO);
            dup2(log, STDERR_FILENO);
        }
        execv(argv[0], argv.data());
        _exit(127);
    }
    pid_ = pid;
    auto deadline = steady_clock::now() + std::chrono::seconds(5);
    while (steady_clock::now() < deadline) {
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            return "dnsmasq exited at start:\n" + output();
        }
        if (answers()) return "";
    }
    stop();
    return "dnsmasq did not answer within 5 s:\n" + output();
}

void Dnsmasq::stop() {
    if (pid_ < 0) return;
    kill(pid_, SIGTERM);
    auto deadline = steady_clock::now() + std::chrono::seconds(3);
    while (waitpid(pid_, nullptr, WNOHANG) == 0) {
        if (steady_clock::now() > deadline) {
            kill(pid_, SIGKILL);
            waitpid(pid_, nullptr, 0);
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    pid_ = -1;
}

bool Dnsmasq::answers() const {
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0) return false;
    sockaddr_in address = loopback(port());
    std::string query = probe_query();
    bool answered = false;
    if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
        send(fd, query.data(), query.size(), 0) == static_cast<ssize_t>(query.size())) {
        pollfd p{fd, POLLIN, 0};
        char reply[512];
        // A refused port reports ECONNREFUSED here; the caller asks again.
        answered = poll(&p, 1, 100) == 1 && recv(fd, reply, sizeof reply, 0) >= 12;
    }
    if (!answered) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    close(fd);
    return answered;
}

std::string Dnsmasq::output() const {
    std::ifstream in(log_path_);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void DnsmasqTest::SetUp() {
    ASSERT_TRUE(std::filesystem::exists(kDnsmasqPath))
        << kDnsmasqPath
        << " is missing: these tests need Debian's dnsmasq as their DNS server "
           "(scripts/install-deps.sh --test installs it)";
}

}  // namespace tessera::dns::testing
