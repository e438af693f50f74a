#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace tessera::dns {

// A DNS server to ask instead of the system's: an IP literal and a port.
struct ServerAddress {
    bool is_ipv6 = false;
    std::array<std::uint8_t, 16> address{};  // network order; IPv4 uses the first 4 bytes
    std::uint16_t port = 53;
};

// Parses "A.B.C.D:PORT" or "[IPv6]:PORT" (the port is required, 1..65535).
// Host names are refused: the resolver must not need a resolver. nullopt
// when `text` is anything else.
std::optional<ServerAddress> parse_server_address(std::string_view text);

}  // namespace tessera::dns
