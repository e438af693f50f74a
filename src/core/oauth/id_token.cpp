#include "core/oauth/id_token.hpp"

#include <algorithm>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "base/encoding.hpp"
#include "crypto/jws.hpp"

namespace tessera::core {

bool has_openid(const std::vector<std::string>& scope) {
    return std::find(scope.begin(), scope.end(), "openid") != scope.end();
}

void add_scope_claims(IdTokenClaims& claims, const User& user,
                      const std::vector<std::string>& scope) {
    auto has = [&](std::string_view s) {
        return std::find(scope.begin(), scope.end(), s) != scope.end();
    };
    if (has("profile")) claims.name = user.name;
    if (has("email")) claims.email = user.email;
}

std::string to_json(const IdTokenClaims& claims) {
    boost::json::object o;
    o["iss"] = claims.issuer;
    o["sub"] = claims.subject.uuid();
    o["aud"] = claims.audience.uuid();
    o["iat"] = claims.issued_at;
    o["exp"] = claims.expires_at;
    if (claims.auth_time) o["auth_time"] = *claims.auth_time;
    if (!claims.nonce.empty()) o["nonce"] = claims.nonce;
    if (!claims.at_hash.empty()) o["at_hash"] = claims.at_hash;
    if (!claims.c_hash.empty()) o["c_hash"] = claims.c_hash;
    if (claims.name) o["name"] = *claims.name;
    if (claims.email) {
        o["email"] = *claims.email;
        o["email_verified"] = false;
    }
    return boost::json::serialize(o);
}

Result<std::string> IdTokenIssuer::issue(const IdTokenRequest& request) const {
    TESSERA_TRY_ASSIGN(ActiveKey active, keys_.current_for(request.algorithm));
    auto user = users_.find_user(request.user_id);
    if (!user) {
        if (user.error().code == Code::not_found)
            return make_error(Code::internal, "the user is gone",
                              "id token: the code's user no longer exists");
        return std::move(user).error();
    }
    IdTokenClaims claims;
    claims.issuer = issuer_;
    claims.subject = request.user_id;
    claims.audience = request.client_id;
    claims.issued_at = clock_.now();
    claims.expires_at = claims.issued_at + ttl_;
    claims.auth_time = request.auth_time;
    claims.nonce = request.nonce;
    // Core §3.1.3.6: at_hash binds the access token issued beside it.
    if (!request.access_token.empty())
        claims.at_hash = crypto::left_half_hash(active.key->algorithm(), request.access_token);
    // Core §3.3.2.11: c_hash binds the code issued beside it, the same way.
    if (!request.code.empty())
        claims.c_hash = crypto::left_half_hash(active.key->algorithm(), request.code);
    add_scope_claims(claims, *user, request.scope);
    return crypto::sign_compact(*active.key, active.kid, "JWT", to_json(claims));
}

namespace {

Error bad_hint(std::string log_detail) {
    return make_error(Code::invalid_request, "id_token_hint is not a valid ID token from us",
                      "logout: " + std::move(log_detail));
}

// The JSON object in a base64url part, or nullopt.
std::optional<boost::json::object> json_part(std::string_view part) {
    auto bytes = base64url_decode(part);
    if (!bytes) return std::nullopt;
    boost::system::error_code ec;
    auto value = boost::json::parse(
        std::string_view(reinterpret_cast<const char*>(bytes->data()), bytes->size()), ec);
    if (ec || !value.is_object()) return std::nullopt;
    return std::move(value.as_object());
}

std::optional<std::string_view> string_member(const boost::json::object& o, std::string_view key) {
    auto* v = o.if_contains(key);
    if (!v || !v->is_string()) return std::nullopt;
    return std::string_view(v->as_string());
}

}  // namespace

Result<IdTokenHint> verify_id_token_hint(const KeyRing& keys, std::string_view issuer,
                                         std::string_view token,
                                         const std::optional<Id>& client_id) {
    auto parts = crypto::split_compact(token);
    if (!parts) return bad_hint("not a compact JWS");
    auto header = json_part(parts->header);
    if (!header) return bad_hint("the header is not a JSON object");
    auto kid = string_member(*header, "kid");
    auto alg = string_member(*header, "alg");
    if (!kid || !alg) return bad_hint("no kid or alg");
    auto key = keys.published_key(*kid);
    if (!key) {
        if (key.error().code == Code::not_found) return bad_hint("unknown kid");
        return std::move(key).error();
    }
    if (*alg != crypto::to_string((*key)->algorithm())) return bad_hint("alg is not the key's");
    auto signature = base64url_decode(parts->signature);
    if (!signature) return bad_hint("the signature is not base64url");
    std::string signing_input = std::string(parts->header) + "." + std::string(parts->payload);
    if (!(*key)->verify(signing_input, std::string(signature->begin(), signature->end())))
        return bad_hint("the signature does not verify");
    auto payload = json_part(parts->payload);
    if (!payload) return bad_hint("the payload is not a JSON object");
    auto iss = string_member(*payload, "iss");
    if (!iss || *iss != issuer) return bad_hint("iss is not ours");
    auto sub = string_member(*payload, "sub");
    auto aud = string_member(*payload, "aud");
    std::optional<Id> subject = sub ? Id::parse(*sub) : std::nullopt;
    std::optional<Id> audience = aud ? Id::parse(*aud) : std::nullopt;
    if (!subject || !audience) return bad_hint("sub or aud is not an id");
    if (client_id && *client_id != *audience)
        return make_error(Code::invalid_request, "client_id does not match the id_token_hint",
                          "logout: aud is another client");
    return IdTokenHint{*subject, *audience};
}

}  // namespace tessera::core
