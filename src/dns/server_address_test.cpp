#include "dns/server_address.hpp"

#include <gtest/gtest.h>

namespace tessera::dns {
namespace {

TEST(ServerAddress, AcceptsIpLiteralsWithAPort) {
    auto v4 = parse_server_address("127.0.0.1:5353");
    ASSERT_TRUE(v4.has_value());
    EXPECT_FALSE(v4->is_ipv6);
    EXPECT_EQ(v4->port, 5353);
    EXPECT_EQ(v4->address[0], 127);
    EXPECT_EQ(v4->address[3], 1);

    auto v6 = parse_server_address("[::1]:53");
    ASSERT_TRUE(v6.has_value());
    EXPECT_TRUE(v6->is_ipv6);
    EXPECT_EQ(v6->port, 53);
    EXPECT_EQ(v6->address[15], 1);
    EXPECT_TRUE(parse_server_address("[2001:db8::53]:65535").has_value());
}

TEST(ServerAddress, RefusesEverythingElse) {
    for (const char* text :
         {"", "127.0.0.1", "127.0.0.1:", "127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:53x",
          "127.0.0.1:-1", "127.1:53", "::1:53", "[::1]", "[127.0.0.1]:53", "[::1:53",
          "dns.example:53", "localhost:53", " 127.0.0.1:53", "[fe80::1%eth0]:53"}) {
        EXPECT_FALSE(parse_server_address(text).has_value()) << text;
    }
}

}  // namespace
}  // namespace tessera::dns
