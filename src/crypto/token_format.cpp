#include "crypto/token_format.hpp"

#include <array>

#include "base/encoding.hpp"
#include "crypto/digest.hpp"

namespace tessera::crypto {
namespace {

constexpr std::size_t kBodyLength = 43;  // base64url of 32 bytes
constexpr std::size_t kChecksumLength = 6;
constexpr std::array kKinds = {TokenKind::heroku_access_token, TokenKind::access_token,
                               TokenKind::refresh_token,       TokenKind::client_secret,
                               TokenKind::authorization_code,  TokenKind::browser_session};

std::string checksum(std::string_view prefix_and_body) {
    auto hash = sha256(prefix_and_body);
    return base64url_encode(std::span(hash.data(), 4));
}

}  // namespace

std::string_view prefix_of(TokenKind kind) {
    switch (kind) {
        case TokenKind::heroku_access_token:
            return "HRKU-";
        case TokenKind::access_token:
            return "tat_";
        case TokenKind::refresh_token:
            return "trt_";
        case TokenKind::client_secret:
            return "tcs_";
        case TokenKind::authorization_code:
            return "tac_";
        case TokenKind::browser_session:
            return "tbs_";
    }
    return "";
}

Secret mint_token(TokenKind kind, Random& random) {
    std::array<std::uint8_t, 32> body{};
    random.fill(body);
    std::string token(prefix_of(kind));
    token += base64url_encode(body);
    token += checksum(token);
    return Secret(std::move(token));
}

bool has_valid_format(std::string_view token) {
    for (auto kind : kKinds) {
        auto prefix = prefix_of(kind);
        if (token.size() != prefix.size() + kBodyLength + kChecksumLength) continue;
        if (!token.starts_with(prefix)) continue;
        auto body = token.substr(prefix.size(), kBodyLength);
        if (!base64url_decode(body)) return false;
        auto head = token.substr(0, prefix.size() + kBodyLength);
        return constant_time_equals(checksum(head), token.substr(head.size()));
    }
    return false;
}

std::string redact(std::string_view token) {
    if (token.size() < 13) return std::string(10, '*');
    return std::string(token.substr(0, 9)) + std::string(10, '*') +
           std::string(token.substr(token.size() - 4));
}

}  // namespace tessera::crypto
