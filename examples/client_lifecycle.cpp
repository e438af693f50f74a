// Registers an OAuth client, renames it, rotates its secret and deletes it.
//
//   TESSERA_API_URL=... TESSERA_API_KEY=... ./client_lifecycle "My app" https://app.example.com/cb
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
    if (!url || !key || argc != 3) {
        std::cerr << "usage: client_lifecycle NAME REDIRECT_URI (with TESSERA_API_URL and "
                     "TESSERA_API_KEY set)\n";
        return 2;
    }
    tessera::Api api{url, sdk::Credentials::token(sdk::Secret(key))};

    auto created = api.oauth().clients().create({.name = argv[1], .redirect_uri = argv[2]});
    if (!created) return fail(created.error());
    std::cout << "created " << created->id << '\n';
    // The secret is shown once; a real program would store it now. It is a
    // Secret: `std::cout << *created->secret` does not compile.
    std::cout << "secret " << created->secret->masked() << '\n';

    auto client = api.oauth().clients(created->id);
    auto renamed = client.update({.name = std::string(argv[1]) + " (renamed)"});
    if (!renamed) return fail(renamed.error());
    std::cout << "renamed " << renamed->name << '\n';

    auto rotated = client.rotate_credentials();
    if (!rotated) return fail(rotated.error());
    std::cout << "rotated " << (*rotated->secret == *created->secret ? "same" : "new") << '\n';

    auto removed = client.remove();
    if (!removed) return fail(removed.error());
    std::cout << "deleted " << removed->id << '\n';

    auto gone = client.info();
    if (!gone && gone.error().is_not_found()) std::cout << "gone: " << gone.error().message << '\n';
}
