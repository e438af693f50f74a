#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/clients/txt_lookup.hpp"
#include "dns/server_address.hpp"

namespace tessera::dns {

// core::TxtLookup over c-ares: one TXT query (class IN, recursion desired,
// no search domains, no /etc/hosts) per call. No answer is cached, so a
// record published a moment ago is seen on the next call (if the server
// asked does not cache it either).
//
// Thread-safe: each call has a c-ares channel of its own and blocks only
// the calling thread, waiting in poll() (no busy loop); calls never wait for
// one another.
class TxtResolver final : public core::TxtLookup {
public:
    // `server`: "A.B.C.D:PORT" or "[IPv6]:PORT" (see parse_server_address())
    // to ask that server only; nullopt for the system's resolvers
    // (/etc/resolv.conf), read again by each call. A `server` that does not
    // parse makes every call fail with `internal` (check it first, as
    // app/config.cpp does). `timeout`: how long one call may take in all,
    // retries included (at least 1 ms).
    explicit TxtResolver(std::optional<std::string> server = std::nullopt,
                         std::chrono::milliseconds timeout = std::chrono::seconds(5));

    // See core::TxtLookup. Returns `unavailable` no later than about
    // `timeout` after the call.
    Result<std::vector<std::string>> lookup_txt(const std::string& host) override;

private:
    const std::optional<ServerAddress> server_;
    const bool server_is_invalid_;
    const std::chrono::milliseconds timeout_;
};

}  // namespace tessera::dns
