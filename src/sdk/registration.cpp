// Dynamic client registration (RFC 7591) and its management (RFC 7592).
#include "sdk/base_url.hpp"
#include "sdk/requests.hpp"
#include "tessera/endpoints.hpp"

namespace tessera::sdk {
namespace {

using detail::Call;
using detail::Surface;

constexpr const char* kRegister = "/oauth/register";

// A registration call: JSON in and out, authenticated by `bearer` (an
// initial or registration access token) instead of the Api's credentials.
Call registration_call(std::string method, std::string path, const std::optional<Secret>& bearer,
                       std::string body = "") {
    // PUT replaces, so repeating it repeats nothing; POST would register twice.
    bool idempotent = method != "POST";
    Call call{Surface::registration,
              std::move(method),
              std::move(path),
              std::move(body),
              {},
              idempotent,
              false};
    if (bearer) call.headers.emplace_back("Authorization", "Bearer " + bearer->reveal());
    return call;
}

}  // namespace

Result<ClientRegistration> Endpoints::register_client(
    const ClientMetadata& metadata, const std::optional<Secret>& initial_access_token) const {
    return detail::call_one<ClientRegistration>(
        *channel_,
        registration_call("POST", kRegister, initial_access_token, detail::body_of(metadata)),
        "registration");
}

Result<ClientRegistration> ClientRegistrationRef::read() const {
    return detail::call_one<ClientRegistration>(
        *channel_,
        registration_call("GET", std::string(kRegister) + "/" + detail::percent_encode(client_id_),
                          token_),
        "registration");
}

Result<ClientRegistration> ClientRegistrationRef::update(
    const ClientMetadata& metadata, const std::optional<Secret>& client_secret) const {
    return detail::call_one<ClientRegistration>(
        *channel_,
        registration_call("PUT", std::string(kRegister) + "/" + detail::percent_encode(client_id_),
                          token_, detail::body_of(metadata, client_id_, client_secret)),
        "registration");
}

Result<void> ClientRegistrationRef::remove() const {
    // RFC 7592 §2.3: 204 with no body.
    auto response = channel_->call(registration_call(
        "DELETE", std::string(kRegister) + "/" + detail::percent_encode(client_id_), token_));
    if (!response) return std::move(response).error();
    return {};
}

}  // namespace tessera::sdk
