#include "dns/txt_resolver.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "dns/dnsmasq_fixture.hpp"

namespace tessera::dns {
namespace {

using namespace std::chrono_literals;
using testing::DnsmasqTest;
using Records = std::vector<std::string>;

const std::string kRecord = "cloudflare_oauth_client_publisher=0123456789abcdef0123456789abcdef";

class TxtResolverTest : public DnsmasqTest {
protected:
    void serve(const testing::Zone& zone) {
        std::string failure = dns_.start(zone);
        ASSERT_EQ(failure, "");
    }

    Records lookup(const std::string& host) {
        TxtResolver resolver(dns_.server(), 2s);
        auto records = resolver.lookup_txt(host);
        EXPECT_TRUE(records.has_value()) << host << ": " << records.error().log_detail;
        return records.has_value() ? *records : Records{"<error>"};
    }
};

TEST_F(TxtResolverTest, FindsTheRecordOfAName) {
    serve({.txt = {{"app.test", {kRecord}}}});
    EXPECT_EQ(lookup("app.test"), Records{kRecord});
    EXPECT_EQ(lookup("APP.test"), Records{kRecord});  // DNS names ignore case
}

TEST_F(TxtResolverTest, ReturnsEveryRecordOfAName) {
    serve({.txt = {{"app.test", {"v=spf1 -all"}}, {"app.test", {kRecord}}}});
    Records found = lookup("app.test");
    std::sort(found.begin(), found.end());
    EXPECT_EQ(found, (Records{kRecord, "v=spf1 -all"}));
}

TEST_F(TxtResolverTest, JoinsTheCharacterStringsOfOneRecord) {
    // dnsmasq splits the 300-byte string into 255 + 45 bytes on the wire.
    std::string long_value(300, 'x');
    serve({.txt = {{"split.test", {"cloudflare_oauth_client_publisher=", "0123"}},
                   {"long.test", {long_value}}}});
    EXPECT_EQ(lookup("split.test"), Records{"cloudflare_oauth_client_publisher=0123"});
    EXPECT_EQ(lookup("long.test"), Records{long_value});
}

TEST_F(TxtResolverTest, ANameWithoutTxtRecordsHasNone) {
    serve({.txt = {{"app.test", {kRecord}}}, .a_names = {"bare.test"}});
    EXPECT_EQ(lookup("bare.test"), Records{});
}

TEST_F(TxtResolverTest, ANameThatDoesNotExistHasNoRecords) {
    serve({.txt = {{"app.test", {kRecord}}}});
    EXPECT_EQ(lookup("missing.test"), Records{});
    EXPECT_EQ(lookup("deeper.app.test"), Records{});
}

TEST_F(TxtResolverTest, ARefusedQueryIsUnavailable) {
    serve({.txt = {{"app.test", {kRecord}}}});
    TxtResolver resolver(dns_.server(), 2s);
    auto records = resolver.lookup_txt("app.example");  // dnsmasq has no upstream: REFUSED
    ASSERT_FALSE(records.has_value());
    EXPECT_EQ(records.error().code, Code::unavailable);
    EXPECT_EQ(records.error().description, "the DNS lookup failed");
}

TEST_F(TxtResolverTest, AServerThatIsNotThereIsUnavailableWithinTheTimeout) {
    TxtResolver resolver(dns_.server(), 1s);  // never started: nothing listens
    auto started = std::chrono::steady_clock::now();
    auto records = resolver.lookup_txt("app.test");
    auto took = std::chrono::steady_clock::now() - started;
    ASSERT_FALSE(records.has_value());
    EXPECT_EQ(records.error().code, Code::unavailable);
    EXPECT_LT(took, 1500ms);
}

TEST_F(TxtResolverTest, AServerThatNeverAnswersTimesOutWithoutSpinning) {
    // A bound socket that reads nothing: queries vanish into it.
    int silent = socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    ASSERT_EQ(bind(silent, reinterpret_cast<sockaddr*>(&address), size), 0);
    ASSERT_EQ(getsockname(silent, reinterpret_cast<sockaddr*>(&address), &size), 0);
    TxtResolver resolver("127.0.0.1:" + std::to_string(ntohs(address.sin_port)), 800ms);

    std::clock_t cpu = std::clock();
    auto started = std::chrono::steady_clock::now();
    auto records = resolver.lookup_txt("app.test");
    auto took = std::chrono::steady_clock::now() - started;
    double cpu_seconds = static_cast<double>(std::clock() - cpu) / CLOCKS_PER_SEC;
    close(silent);

    ASSERT_FALSE(records.has_value());
    EXPECT_EQ(records.error().code, Code::unavailable);
    EXPECT_GE(took, 700ms);
    EXPECT_LT(took, 1500ms);
    EXPECT_LT(cpu_seconds, 0.2) << "waiting must sleep in poll(), not spin";
}

TEST_F(TxtResolverTest, ManyThreadsLookUpAtOnce) {
    serve({.txt = {{"app.test", {kRecord}}}, .a_names = {"bare.test"}});
    TxtResolver resolver(dns_.server(), 2s);
    std::vector<int> wrong(8, 0);
    {
        std::vector<std::jthread> threads;
        for (int t = 0; t < 8; ++t) {
            threads.emplace_back([&, t] {
                for (int i = 0; i < 25; ++i) {
                    bool bare = (i + t) % 2 == 0;
                    auto records = resolver.lookup_txt(bare ? "bare.test" : "app.test");
                    if (!records || *records != (bare ? Records{} : Records{kRecord})) ++wrong[t];
                }
            });
        }
    }
    EXPECT_EQ(wrong, std::vector<int>(8, 0));
}

TEST_F(TxtResolverTest, ANameDnsCannotCarryIsAnInvalidRequest) {
    serve({.txt = {{"app.test", {kRecord}}}});
    TxtResolver resolver(dns_.server(), 2s);
    for (std::string host : {std::string(64, 'a') + ".test", std::string("a\0b.test", 8)}) {
        auto records = resolver.lookup_txt(host);
        ASSERT_FALSE(records.has_value());
        EXPECT_EQ(records.error().code, Code::invalid_request);
    }
}

TEST(TxtResolver, ABadServerSettingFailsEveryLookupAsInternal) {
    TxtResolver resolver("dns.example:53", 1s);
    auto records = resolver.lookup_txt("app.test");
    ASSERT_FALSE(records.has_value());
    EXPECT_EQ(records.error().code, Code::internal);
}

}  // namespace
}  // namespace tessera::dns
