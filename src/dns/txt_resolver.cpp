#include "dns/txt_resolver.hpp"

#include <ares.h>
#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>
#include <utility>

namespace tessera::dns {
namespace {

// RFC 1035 §3.2.2 and §3.2.4: QTYPE TXT, QCLASS IN.
constexpr int kTypeTxt = 16;
constexpr int kClassIn = 1;

// c-ares asks once for process-wide setup (a no-op on Linux today); a
// function-local static runs it exactly once, whichever thread comes first.
int library_status() {
    static const int status = ares_library_init(ARES_LIB_INIT_ALL);
    return status;
}

// One query's outcome, filled in by on_answer().
struct Answer {
    bool done = false;
    int status = ARES_SUCCESS;
    std::vector<std::string> records;
};

// c-ares calls this exactly once per query, from inside ares_process_fd(),
// ares_cancel() or ares_destroy(); `abuf` lives only during the call.
void on_answer(void* arg, int status, int /*timeouts*/, unsigned char* abuf, int alen) noexcept {
    auto& answer = *static_cast<Answer*>(arg);
    answer.done = true;
    answer.status = status;
    if (status != ARES_SUCCESS) return;
    ares_txt_ext* txt = nullptr;
    answer.status = ares_parse_txt_reply_ext(abuf, alen, &txt);
    if (answer.status != ARES_SUCCESS) return;
    try {
        // RFC 7208 §3.3: a record's character-strings join with nothing between.
        for (const ares_txt_ext* t = txt; t != nullptr; t = t->next) {
            if (t->record_start || answer.records.empty()) answer.records.emplace_back();
            answer.records.back().append(reinterpret_cast<const char*>(t->txt), t->length);
        }
    } catch (...) {  // bad_alloc must not unwind through C frames
        answer.status = ARES_ENOMEM;
        answer.records.clear();
    }
    ares_free_data(txt);
}

// Owns an ares_channel; destroying it ends any query still running.
class Channel {
public:
    Channel() = default;
    Channel(const Channel&) = delete;
    Channel& operator=(const Channel&) = delete;
    ~Channel() {
        if (channel_ != nullptr) ares_destroy(channel_);
    }
    ares_channel* out() { return &channel_; }
    ares_channel get() const { return channel_; }

private:
    ares_channel channel_ = nullptr;
};

Error failure(Code code, const std::string& host, std::string_view what) {
    return make_error(code, "the DNS lookup failed", "dns txt " + host + ": " + std::string(what));
}

Result<std::vector<std::string>> outcome(Answer& answer, const std::string& host,
                                         bool out_of_time) {
    switch (answer.status) {
        case ARES_SUCCESS:
            return std::move(answer.records);
        case ARES_ENOTFOUND:  // NXDOMAIN
        case ARES_ENODATA:    // the name exists, with no TXT record
            return std::vector<std::string>{};
        case ARES_EBADNAME:
            return failure(Code::invalid_request, host, ares_strerror(answer.status));
        case ARES_ETIMEOUT:
        case ARES_ESERVFAIL:
        case ARES_EREFUSED:
        case ARES_ECONNREFUSED:
        case ARES_EFORMERR:
        case ARES_ENOTIMP:
        case ARES_EBADRESP:
        case ARES_EOF:
        case ARES_ECANCELLED:
            return failure(Code::unavailable, host,
                           out_of_time ? "no answer in time" : ares_strerror(answer.status));
        default:
            return failure(Code::internal, host, ares_strerror(answer.status));
    }
}

// Milliseconds to wait in poll() for `tv`, rounded up so a pending c-ares
// timer is never polled for with 0 over and over.
int poll_ms(const timeval& tv) {
    long long ms = static_cast<long long>(tv.tv_sec) * 1000 + (tv.tv_usec + 999) / 1000;
    return static_cast<int>(std::clamp(ms, 1LL, 60'000LL));
}

// Runs the channel until `answer` is done or `deadline` passes (then the
// query is cancelled). 0, or the errno of a failed poll() (query cancelled).
int wait_for(Channel& channel, Answer& answer, std::chrono::steady_clock::time_point deadline) {
    while (!answer.done) {
        auto left = deadline - std::chrono::steady_clock::now();
        if (left <= std::chrono::steady_clock::duration::zero()) {
            ares_cancel(channel.get());  // calls on_answer with ARES_ECANCELLED
            return 0;
        }
        ares_socket_t sockets[ARES_GETSOCK_MAXNUM];
        int bits = ares_getsock(channel.get(), sockets, ARES_GETSOCK_MAXNUM);
        pollfd fds[ARES_GETSOCK_MAXNUM];
        nfds_t count = 0;
        for (int i = 0; i < ARES_GETSOCK_MAXNUM; ++i) {
            short events = 0;
            if (ARES_GETSOCK_READABLE(bits, i)) events |= POLLIN;
            if (ARES_GETSOCK_WRITABLE(bits, i)) events |= POLLOUT;
            if (events != 0) fds[count++] = pollfd{sockets[i], events, 0};
        }
        auto left_us = std::chrono::duration_cast<std::chrono::microseconds>(left).count();
        timeval max_wait{static_cast<time_t>(left_us / 1'000'000),
                         static_cast<suseconds_t>(left_us % 1'000'000)};
        timeval storage{};
        const timeval* wait = ares_timeout(channel.get(), &max_wait, &storage);
        int ready = poll(fds, count, poll_ms(*wait));
        if (ready < 0) {
            int error = errno;
            if (error == EINTR) continue;
            ares_cancel(channel.get());
            return error;
        }
        if (ready == 0) {
            ares_process_fd(channel.get(), ARES_SOCKET_BAD, ARES_SOCKET_BAD);  // timers only
            continue;
        }
        for (nfds_t i = 0; i < count && !answer.done; ++i) {
            if (fds[i].revents == 0) continue;
            bool readable = (fds[i].revents & (POLLIN | POLLERR | POLLHUP)) != 0;
            bool writable = (fds[i].revents & POLLOUT) != 0;
            ares_process_fd(channel.get(), readable ? fds[i].fd : ARES_SOCKET_BAD,
                            writable ? fds[i].fd : ARES_SOCKET_BAD);
        }
    }
    return 0;
}

}  // namespace

TxtResolver::TxtResolver(std::optional<std::string> server, std::chrono::milliseconds timeout)
    : server_(server ? parse_server_address(*server) : std::nullopt),
      server_is_invalid_(server.has_value() && !server_.has_value()),
      timeout_(std::max(timeout, std::chrono::milliseconds(1))) {}

Result<std::vector<std::string>> TxtResolver::lookup_txt(const std::string& host) {
    if (server_is_invalid_) return failure(Code::internal, host, "the DNS server setting is bad");
    if (host.find('\0') != std::string::npos)
        return failure(Code::invalid_request, "(a name with NUL)", "not a DNS name");
    if (int status = library_status(); status != ARES_SUCCESS)
        return failure(Code::internal, host, ares_strerror(status));
    const auto deadline = std::chrono::steady_clock::now() + timeout_;

    // Two tries, the second waiting twice as long (c-ares doubles it): the
    // whole budget when one server is asked. Our deadline bounds the rest.
    ares_options options{};
    options.timeout = static_cast<int>(std::max<long long>(timeout_.count() / 3, 1));
    options.tries = 2;
    Answer answer;  // declared before the channel, which may call on_answer as it goes
    Channel channel;
    int status = ares_init_options(channel.out(), &options, ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES);
    if (status != ARES_SUCCESS)
        return failure(status == ARES_ENOMEM ? Code::internal : Code::unavailable, host,
                       ares_strerror(status));
    if (server_) {
        ares_addr_port_node node{};
        node.family = server_->is_ipv6 ? AF_INET6 : AF_INET;
        std::memcpy(&node.addr, server_->address.data(),
                    server_->is_ipv6 ? sizeof node.addr.addr6 : sizeof node.addr.addr4);
        node.udp_port = node.tcp_port = server_->port;
        status = ares_set_servers_ports(channel.get(), &node);
        if (status != ARES_SUCCESS) return failure(Code::internal, host, ares_strerror(status));
    }

    ares_query(channel.get(), host.c_str(), kClassIn, kTypeTxt, on_answer, &answer);
    if (int error = wait_for(channel, answer, deadline); error != 0)
        return failure(Code::internal, host,
                       "poll: " + std::error_code(error, std::generic_category()).message());
    return outcome(answer, host, /*out_of_time=*/answer.status == ARES_ECANCELLED);
}

}  // namespace tessera::dns
