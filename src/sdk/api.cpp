#include "tessera/api.hpp"

#include "sdk/channel.hpp"
#include "sdk/requests.hpp"

namespace tessera::sdk {

Api::Api(std::string base_url, Credentials credentials, Options options)
    : channel_(std::make_shared<const detail::Channel>(std::move(base_url), std::move(credentials),
                                                       std::move(options))) {}

const std::string& Api::base_url() const { return channel_->base_url(); }

Result<Account> AccountRef::info() const {
    detail::Call call{detail::Surface::heroku, "GET", "/account", "", {}, true};
    return detail::call_one<Account>(*channel_, call, "account");
}

}  // namespace tessera::sdk
