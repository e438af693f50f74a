#include "sdk/sdk_fixture.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <stdexcept>

namespace tessera::testing {

sdk::Options quick_options() {
    sdk::Options options;
    options.retry_backoff = std::chrono::milliseconds(5);
    options.max_retry_wait = std::chrono::seconds(2);
    options.connect_timeout = std::chrono::milliseconds(2000);
    options.request_timeout = std::chrono::milliseconds(10000);
    return options;
}

int unused_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    socklen_t size = sizeof address;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
    ::close(fd);
    return ntohs(address.sin_port);
}

SdkTest::SdkTest(app::Config config, const std::vector<std::string>& users_first)
    : server_(std::move(config), users_first) {
    token_ = server_.create_user_token(kOwner);
}

sdk::Api SdkTest::api(const std::string& token) const {
    return api_with(sdk::Credentials::token(sdk::Secret(token.empty() ? token_ : token)));
}

sdk::Api SdkTest::api_with(sdk::Credentials credentials) const {
    return sdk::Api(base_url(), std::move(credentials), quick_options());
}

void SdkTest::create_clients_directly(int count) {
    auto user = server_.app().users().find_by_email(kOwner);
    if (!user) throw std::runtime_error("no owner");
    for (int i = 0; i < count; ++i) {
        char name[32];
        std::snprintf(name, sizeof name, "bulk-%04d", i);
        auto created = server_.app().clients().create(
            {user->id, user->account_id, name, "https://example.com/cb"});
        if (!created) throw std::runtime_error("create: " + created.error().description);
    }
}

std::string SdkTest::new_account(const std::string& name, const std::string& owner_email) {
    auto account = server_.app().accounts().create(name, owner_email);
    if (!account) throw std::runtime_error("account: " + account.error().description);
    return account->id.hex();
}

}  // namespace tessera::testing
