#include "core/oauth/client_authenticator.hpp"

#include "base/encoding.hpp"

namespace tessera::core {
namespace {

Error client_authentication_failed() {
    return make_error(Code::invalid_client, "client authentication failed");
}

}  // namespace

Result<Client> ClientAuthenticator::authenticate(const PresentedClient& presented) const {
    auto id = Id::parse(presented.client_id);
    if (!id) return client_authentication_failed();
    auto client = clients_.find_client(*id);
    if (!client) {
        if (client.error().code == Code::not_found) return client_authentication_failed();
        return client;
    }
    if (client->is_public()) {
        // RFC 6749 §2.1: a public client has no secret to check.
        if (presented.secret) return client_authentication_failed();
        return client;
    }
    if (!presented.secret) return client_authentication_failed();
    if (presented.method && *presented.method != client->token_endpoint_auth_method)
        return client_authentication_failed();
    std::string digest = digester_.digest(presented.secret->reveal());
    // Both comparisons always run, so timing does not tell which secret matched.
    bool current = constant_time_equals(digest, client->secret_digest);
    bool previous = client->previous_secret_digest &&
                    constant_time_equals(digest, *client->previous_secret_digest);
    if (!current && !previous) return client_authentication_failed();
    return client;
}

}  // namespace tessera::core
