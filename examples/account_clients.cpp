// The Cloudflare-compatible surface: registers a client in an account,
// rotates its secret with a grace period, then ends the rotation.
//
//   TESSERA_API_URL=... TESSERA_API_KEY=... ./account_clients ACCOUNT_ID
#include <tessera/tessera.hpp>

#include <cstdlib>
#include <iostream>

namespace sdk = tessera::sdk;

int fail(const sdk::ApiError& error) {
    std::cerr << "error: " << error.to_string() << '\n';
    return 1;
}

int main(int argc, char** argv) {
    const char* url = std::getenv("TESSERA_API_URL");
    const char* key = std::getenv("TESSERA_API_KEY");
    if (!url || !key || argc != 2) {
        std::cerr << "usage: account_clients ACCOUNT_ID (with TESSERA_API_URL and "
                     "TESSERA_API_KEY set)\n";
        return 2;
    }
    tessera::Api api{url, sdk::Credentials::token(sdk::Secret(key))};
    auto clients = api.iam().oauth_clients(argv[1]);

    auto created = clients.create({.client_name = "Example",
                                   .grant_types = {"authorization_code", "refresh_token"},
                                   .redirect_uris = {"https://example.com/callback"},
                                   .scopes = {"account.read"}});
    if (!created) {
        // A 400 lists every problem, each with a JSON pointer into the body.
        for (const auto& detail : created.error().details)
            std::cerr << detail.code << " " << detail.pointer << ": " << detail.message << '\n';
        return fail(created.error());
    }
    std::cout << "created " << created->client_id << " scopes";
    for (const auto& scope : created->scopes) std::cout << ' ' << scope;
    std::cout << '\n';

    auto secret = clients.rotate_secret(created->client_id);
    if (!secret) return fail(secret.error());
    std::cout << "rotated: both secrets work until the old one is deleted\n";
    if (auto ended = clients.delete_rotated_secret(created->client_id); !ended)
        return fail(ended.error());

    // Only what is set is sent; `sdk::null` clears a URI.
    auto updated = clients.update(created->client_id,
                                  {.client_name = "Example (renamed)", .logo_uri = sdk::null});
    if (!updated) return fail(updated.error());
    std::cout << "renamed " << updated->client_name << '\n';

    auto removed = clients.remove(created->client_id);
    if (!removed) return fail(removed.error());
    std::cout << "deleted " << *removed << '\n';
}
