#include "dns/server_address.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <string>

namespace tessera::dns {

std::optional<ServerAddress> parse_server_address(std::string_view text) {
    auto colon = text.rfind(':');
    if (colon == std::string_view::npos) return std::nullopt;
    std::string_view host = text.substr(0, colon);
    std::string_view port_text = text.substr(colon + 1);

    ServerAddress server;
    unsigned port = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (port_text.empty() || ec != std::errc() || end != port_text.data() + port_text.size() ||
        port < 1 || port > 65535)
        return std::nullopt;
    server.port = static_cast<std::uint16_t>(port);

    if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
        server.is_ipv6 = true;
        host = host.substr(1, host.size() - 2);
    }
    // inet_pton needs a NUL-terminated string; it rejects anything but a
    // complete literal of its family (so no zone ids, no host names).
    std::string literal(host);
    int family = server.is_ipv6 ? AF_INET6 : AF_INET;
    if (inet_pton(family, literal.c_str(), server.address.data()) != 1) return std::nullopt;
    return server;
}

}  // namespace tessera::dns
