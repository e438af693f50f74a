#pragma once

#include <memory>

#include "sdk/base_url.hpp"
#include "sdk/http_types.hpp"
#include "tessera/options.hpp"
#include "tessera/result.hpp"

namespace tessera::sdk::detail {

// HTTP/1.1 to one server over Boost.Beast, plain or TLS (OpenSSL; the
// certificate must verify and name the host unless options say otherwise).
// Keeps up to options.max_idle_connections open for reuse, applies the
// connect and request timeouts, and retries per retry_delay(). Thread-safe:
// concurrent send()s use different connections.
class Transport {
public:
    Transport(BaseUrl base, Options options);
    ~Transport();
    Transport(const Transport&) = delete;
    Transport& operator=(const Transport&) = delete;

    // A whole response of any status, or a network, timeout, tls or
    // protocol (oversized or malformed response) error.
    Result<HttpResponse> send(const HttpRequest& request) const;

    const BaseUrl& base() const;

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace tessera::sdk::detail
