#pragma once

#include <string>
#include <vector>

#include "base/result.hpp"

namespace tessera::core {

// DNS TXT records of a name: what client URI verification reads (Cloudflare
// spec §4.6). The core names only this interface; dns::TxtResolver is the
// implementation over a real resolver, tests may use their own.
//
// Thread-safe: any number of threads may call lookup_txt() at once.
class TxtLookup {
public:
    virtual ~TxtLookup() = default;

    // The TXT records of `host` (a DNS name such as "example.com", queried
    // as is: no search domains), one string per record. A record made of
    // several character-strings comes back as their concatenation (RFC 7208
    // §3.3), so a value longer than 255 bytes reads as it was published.
    // Order is the server's.
    //
    // Blocks the calling thread until the answer comes or the
    // implementation's timeout passes.
    //
    // An empty vector when the name does not exist (NXDOMAIN) or has no TXT
    // record. Errors:
    //  - `unavailable`: no usable answer: timeout, SERVFAIL, REFUSED, a
    //    malformed reply, or a server that cannot be reached. Worth retrying.
    //  - `invalid_request`: `host` cannot be a DNS name (e.g. a label over
    //    63 bytes). Retrying will not help.
    //  - `internal`: the resolver itself failed (out of memory, bad setup).
    // Descriptions never include record values.
    virtual Result<std::vector<std::string>> lookup_txt(const std::string& host) = 0;
};

}  // namespace tessera::core
