// A resource server's view: is this token active, and what does it grant?
// Authenticates as a client (RFC 7662), or with the API key when no client
// is given.
//
//   TESSERA_API_URL=... ./introspect_token TOKEN CLIENT_ID CLIENT_SECRET
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
    if (!url || argc != 4) {
        std::cerr << "usage: introspect_token TOKEN CLIENT_ID CLIENT_SECRET "
                     "(with TESSERA_API_URL set)\n";
        return 2;
    }
    tessera::Api api{url};
    sdk::ClientAuth client{argv[2], sdk::Secret(argv[3]), sdk::ClientAuth::Method::basic};

    auto metadata = api.endpoints().discovery();
    if (!metadata) return fail(metadata.error());
    std::cout << "issuer " << metadata->issuer << '\n';

    auto result = api.endpoints().introspect(sdk::Secret(argv[1]), client);
    if (!result) return fail(result.error());
    std::cout << sdk::to_json(*result) << '\n';
    return result->active ? 0 : 3;
}
