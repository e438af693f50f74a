// Client URI verification and promotion over the wire (Cloudflare spec
// §4.6, §4.7), with a real DNS server: Debian's dnsmasq on loopback serves
// the TXT record, the server's verifier (as `serve` runs it) looks it up.
// Failure and restart after the two-day deadline need a fake clock and are
// tested in core (account_client_service_test.cpp, uri_verifier_dns_test.cpp).
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>

#include "dns/dnsmasq_fixture.hpp"
#include "http/cloudflare_fixture.hpp"

namespace tessera::testing {
namespace {

// Starts dnsmasq before the server exists, so the server is told a port
// that dnsmasq really holds (a port picked and released first could be taken
// by a parallel test meanwhile; then another is tried).
class RunningDns {
protected:
    RunningDns() {
        for (int attempt = 0; attempt < 5 && !dns_; ++attempt) {
            auto dns = std::make_unique<dns::testing::Dnsmasq>();
            if (std::filesystem::exists(dns::testing::kDnsmasqPath) && dns->start({}).empty())
                dns_ = std::move(dns);
        }
    }

    app::Config with_resolver() const {
        app::Config config;
        if (dns_) config.dns_resolver = dns_->server();
        return config;
    }

    std::unique_ptr<dns::testing::Dnsmasq> dns_;
};

class CloudflareVerification : public RunningDns, public CloudflareWire {
protected:
    CloudflareVerification() : CloudflareWire(with_resolver()) {}

    void SetUp() override {
        ASSERT_TRUE(std::filesystem::exists(dns::testing::kDnsmasqPath))
            << "install dnsmasq-base (scripts/install-deps.sh --test)";
        ASSERT_TRUE(dns_) << "dnsmasq did not start on any of five ports";
    }

    void serve(const dns::testing::Zone& zone) { ASSERT_EQ(dns_->start(zone), ""); }

    // Publishes `record` on `host`, then lets the verifier run once.
    void publish_and_verify(const std::string& host, const std::string& record) {
        serve({{{host, {record}}}, {}});
        auto ran = server_.app().uri_verifier().run_once();
        ASSERT_TRUE(ran.has_value()) << ran.error().description;
    }

    json::object patch(const std::string& id, const json::object& body, int status = 200) {
        auto r = call("PATCH", client_path(id), json::serialize(body));
        EXPECT_EQ(r.status, status) << r.body;
        auto parsed = json::parse(r.body).as_object();
        return status == 200 ? parsed["result"].as_object() : parsed;
    }
};

TEST_F(CloudflareVerification, ATxtRecordVerifiesTheDomainAndThenTheClientCanBePromoted) {
    auto created = create_client(valid_body(
        {{"client_uri", "https://app.test/home"}, {"logo_uri", "https://app.test/logo.png"}}));
    std::string id(created["client_id"].as_string());
    auto verification = created["client_uri_verification"].as_object();
    EXPECT_EQ(verification["status"], "pending");
    std::string text(verification["text"].as_string());
    ASSERT_TRUE(text.starts_with("cloudflare_oauth_client_publisher="));

    // Not yet verified: promotion names what is missing.
    auto refused = patch(id, {{"visibility", "public"}}, 400);
    EXPECT_EQ(json::serialize(refused["errors"]),
              R"([{"code":1005,"message":"a public client needs a client_uri whose domain is verified","source":{"pointer":"/client_uri"}}])");

    publish_and_verify("app.test", text);
    EXPECT_EQ(fetch(id)["client_uri_verification"].as_object()["status"], "verified");

    auto promoted = patch(id, {{"visibility", "public"}});
    EXPECT_EQ(promoted["visibility"], "public");
    ASSERT_TRUE(promoted.contains("promoted_at"));
    EXPECT_EQ(promoted["promoted_at"], promoted["updated_at"]);

    // The verified host is fixed; its path is not; a public client keeps it.
    auto moved = patch(id, {{"client_uri", "https://other.test/"}}, 400);
    EXPECT_EQ(json::serialize(moved["errors"]),
              R"([{"code":1005,"message":"the host of a verified client_uri cannot change","source":{"pointer":"/client_uri"}}])");
    auto new_path = patch(id, {{"client_uri", "https://app.test/about"}});
    EXPECT_EQ(new_path["client_uri"], "https://app.test/about");
    EXPECT_EQ(new_path["client_uri_verification"].as_object()["status"], "verified");
    auto removed = patch(id, {{"client_uri", nullptr}}, 400);
    EXPECT_EQ(removed["errors"].as_array()[0].as_object()["code"], 1005);
}

TEST_F(CloudflareVerification, AWrongRecordLeavesTheCheckInProgress) {
    auto created = create_client(valid_body({{"client_uri", "https://wrong.test/"}}));
    std::string id(created["client_id"].as_string());
    publish_and_verify("wrong.test", "cloudflare_oauth_client_publisher=0123456789abcdef");
    EXPECT_EQ(fetch(id)["client_uri_verification"].as_object()["status"], "in_progress");
    patch(id, {{"visibility", "public"}}, 400);
}

}  // namespace
}  // namespace tessera::testing
