#include "crypto/token_format.hpp"

#include <algorithm>
#include <array>
#include <span>

#include "base/encoding.hpp"
#include "crypto/digest.hpp"

namespace tessera::crypto {
namespace {

constexpr std::size_t kBodyLength = 43;        // base64url of 32 bytes
constexpr std::size_t kBodyWithIdLength = 64;  // base64url of 16 + 32 bytes
constexpr std::size_t kChecksumLength = 6;
constexpr std::array kKinds = {TokenKind::heroku_access_token,
                               TokenKind::access_token,
                               TokenKind::refresh_token,
                               TokenKind::client_secret,
                               TokenKind::authorization_code,
                               TokenKind::browser_session,
                               TokenKind::registration_access_token,
                               TokenKind::initial_access_token,
                               TokenKind::api_key};

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
        case TokenKind::registration_access_token:
            return "tra_";
        case TokenKind::initial_access_token:
            return "tia_";
        case TokenKind::api_key:
            return "tak_";
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

Secret mint_token_with_id(TokenKind kind, const Id& id, Random& random) {
    std::array<std::uint8_t, 48> body{};
    std::copy(id.bytes().begin(), id.bytes().end(), body.begin());
    random.fill(std::span(body).subspan(16));
    std::string token(prefix_of(kind));
    token += base64url_encode(body);
    token += checksum(token);
    return Secret(std::move(token));
}

bool has_valid_format(std::string_view token) {
    for (auto kind : kKinds) {
        auto prefix = prefix_of(kind);
        if (!token.starts_with(prefix)) continue;
        std::size_t body_length =
            token.size() - std::min(token.size(), prefix.size() + kChecksumLength);
        if (body_length != kBodyLength && body_length != kBodyWithIdLength) return false;
        auto body = token.substr(prefix.size(), body_length);
        if (!base64url_decode(body)) return false;
        auto head = token.substr(0, prefix.size() + body_length);
        return constant_time_equals(checksum(head), token.substr(head.size()));
    }
    return false;
}

std::optional<Id> embedded_id(std::string_view token) {
    for (auto kind : kKinds) {
        auto prefix = prefix_of(kind);
        if (!token.starts_with(prefix)) continue;
        if (token.size() != prefix.size() + kBodyWithIdLength + kChecksumLength)
            return std::nullopt;
        // The first 22 characters hold the id's 16 bytes and 4 bits of the
        // random part; decoding 24 (18 bytes) keeps whole base64 groups.
        auto head = base64url_decode(token.substr(prefix.size(), 24));
        if (!head || head->size() < 16) return std::nullopt;
        std::array<std::uint8_t, 16> bytes{};
        std::copy_n(head->begin(), 16, bytes.begin());
        return Id(bytes);
    }
    return std::nullopt;
}

std::string redact(std::string_view token) {
    if (token.size() < 13) return std::string(10, '*');
    return std::string(token.substr(0, 9)) + std::string(10, '*') +
           std::string(token.substr(token.size() - 4));
}

}  // namespace tessera::crypto
