// Lists your OAuth clients, following Range pagination to the end.
//
//   TESSERA_API_URL=http://127.0.0.1:8080 TESSERA_API_KEY=HRKU-... ./list_clients
#include <tessera/tessera.hpp>

#include <cstdlib>
#include <iostream>

int main() {
    const char* url = std::getenv("TESSERA_API_URL");
    const char* key = std::getenv("TESSERA_API_KEY");
    if (!url || !key) {
        std::cerr << "set TESSERA_API_URL and TESSERA_API_KEY\n";
        return 2;
    }
    tessera::Api api{url, tessera::sdk::Credentials::token(tessera::sdk::Secret(key))};

    auto clients = api.oauth().clients().list();
    if (!clients) {
        std::cerr << clients.error().to_string() << '\n';
        return 1;
    }
    for (const auto& client : *clients) std::cout << client.id << "  " << client.name << '\n';
    std::cout << clients->size() << " clients\n";
}
