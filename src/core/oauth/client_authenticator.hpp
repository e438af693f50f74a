#pragma once

#include <optional>
#include <string>

#include "base/result.hpp"
#include "base/secret.hpp"
#include "core/model/client.hpp"
#include "core/store/client_store.hpp"
#include "crypto/digest.hpp"

namespace tessera::core {

// The client credentials a request to the token, revocation or introspection
// endpoint presented (RFC 6749 §2.3.1), however they were sent.
struct PresentedClient {
    std::string client_id;         // as sent: dashed uuid or 32 hex
    std::optional<Secret> secret;  // absent for public clients
    // How the secret came: client_secret_basic or client_secret_post;
    // nullopt where any method is accepted (Heroku spec §6.2's form).
    std::optional<std::string> method{};
};

// Authenticates clients at the OAuth endpoints. Thread-safe.
class ClientAuthenticator {
public:
    ClientAuthenticator(ClientStore& clients, const crypto::Digester& digester)
        : clients_(clients), digester_(digester) {}

    // The client, when `presented` proves it: a confidential client needs its
    // current or (during a rotation grace period) previous secret, compared
    // in constant time; a public client (`none`) must not send a secret; a
    // confidential one must use the method it registered when `method` is
    // given (Cloudflare spec §4.8).
    // `invalid_client` for everything else, with one message for all cases.
    Result<Client> authenticate(const PresentedClient& presented) const;

private:
    ClientStore& clients_;
    const crypto::Digester& digester_;
};

}  // namespace tessera::core
