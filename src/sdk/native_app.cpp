// PKCE, state and the authorization URL of a native app's sign-in
// (RFC 7636, RFC 6749 §4.1.1, RFC 8252).
#include "tessera/native_app.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <stdexcept>

#include "sdk/base_url.hpp"

namespace tessera::sdk {
namespace {

// RFC 4648 §5 without padding, as RFC 7636 Appendix A asks.
std::string base64url(const unsigned char* data, std::size_t size) {
    std::string out(4 * ((size + 2) / 3) + 1, '\0');
    int n =
        EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size));
    out.resize(static_cast<std::size_t>(n));
    while (!out.empty() && out.back() == '=') out.pop_back();
    for (char& c : out) {
        if (c == '+') c = '-';
        if (c == '/') c = '_';
    }
    return out;
}

std::string random_base64url() {
    std::array<unsigned char, 32> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1)
        throw std::runtime_error("the system's random number generator failed");
    return base64url(bytes.data(), bytes.size());
}

}  // namespace

Pkce Pkce::generate() {
    Pkce pkce;
    pkce.verifier = Secret(random_base64url());
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int size = 0;
    const auto& verifier = pkce.verifier.reveal();
    if (EVP_Digest(verifier.data(), verifier.size(), digest.data(), &size, EVP_sha256(), nullptr) !=
        1)
        throw std::runtime_error("SHA-256 failed");
    pkce.challenge = base64url(digest.data(), size);
    return pkce;
}

std::string random_state() { return random_base64url(); }

std::string authorization_url(std::string_view endpoint, const AuthorizationRequest& request) {
    std::string url(endpoint);
    char separator = url.find('?') == std::string::npos ? '?' : '&';
    auto add = [&](std::string_view name, std::string_view value) {
        url += separator;
        separator = '&';
        url += detail::percent_encode(name);
        url += '=';
        url += detail::percent_encode(value);
    };
    add("response_type", "code");
    add("client_id", request.client_id);
    add("redirect_uri", request.redirect_uri);
    if (!request.scope.empty()) add("scope", request.scope);
    add("state", request.state);
    add("code_challenge", request.code_challenge);
    add("code_challenge_method", "S256");
    if (request.nonce) add("nonce", *request.nonce);
    if (request.prompt) add("prompt", *request.prompt);
    return url;
}

}  // namespace tessera::sdk
