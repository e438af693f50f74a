#include "core/tokens/presented_token.hpp"

#include <boost/json/parse.hpp>

#include "base/encoding.hpp"
#include "crypto/jws.hpp"
#include "crypto/token_format.hpp"

namespace tessera::core {
namespace {

// The jti of a compact JWS, read without verifying anything.
std::optional<Id> unverified_jti(std::string_view token) {
    if (token.size() > kMaxJwtLength) return std::nullopt;
    auto parts = crypto::split_compact(token);
    if (!parts || parts->header.empty() || parts->signature.empty()) return std::nullopt;
    auto payload = base64url_decode(parts->payload);
    if (!payload) return std::nullopt;
    boost::system::error_code ec;
    auto value = boost::json::parse(
        std::string_view(reinterpret_cast<const char*>(payload->data()), payload->size()), ec);
    if (ec || !value.is_object()) return std::nullopt;
    auto* jti = value.as_object().if_contains("jti");
    if (!jti || !jti->is_string()) return std::nullopt;
    return Id::parse(std::string_view(jti->as_string()));
}

}  // namespace

std::optional<PresentedToken> read_presented_token(std::string_view token) {
    // The opaque path first and unchanged: it is the common one.
    if (crypto::has_valid_format(token)) return PresentedToken{false, crypto::embedded_id(token)};
    auto jti = unverified_jti(token);
    if (!jti) return std::nullopt;
    return PresentedToken{true, jti};
}

}  // namespace tessera::core
