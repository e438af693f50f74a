// The standard OAuth endpoints (RFC 6749, 7662, 7009, 8414, 7517) and
// OpenID Connect UserInfo.
#include "tessera/endpoints.hpp"

#include "sdk/base_url.hpp"
#include "sdk/requests.hpp"

namespace tessera::sdk {
namespace {

using detail::Call;
using detail::Surface;

// An application/x-www-form-urlencoded body.
class Form {
public:
    Form& add(std::string_view name, std::string_view value) {
        if (!body_.empty()) body_ += '&';
        body_ += detail::percent_encode(name) + "=" + detail::percent_encode(value);
        return *this;
    }
    Form& add_optional(std::string_view name, const std::optional<std::string>& value) {
        return value ? add(name, *value) : *this;
    }
    Form& add_optional(std::string_view name, const std::optional<Secret>& value) {
        return value ? add(name, value->reveal()) : *this;
    }
    std::string take() { return std::move(body_); }

private:
    std::string body_;
};

// A POST to an endpoint, the client authenticating by `client.method`:
// RFC 6749 §2.3.1 Basic (both parts form-encoded first), the form, or the
// id alone for a public client.
Call client_call(std::string path, Form form, const ClientAuth& client, bool idempotent) {
    Call call{Surface::oauth, "POST", std::move(path), "", {}, idempotent, false};
    switch (client.method) {
        case ClientAuth::Method::basic:
            call.headers.emplace_back(
                "Authorization",
                detail::basic_authorization(detail::percent_encode(client.client_id),
                                            detail::percent_encode(client.client_secret.reveal())));
            break;
        case ClientAuth::Method::post:
            form.add("client_id", client.client_id)
                .add("client_secret", client.client_secret.reveal());
            break;
        case ClientAuth::Method::none:
            form.add("client_id", client.client_id);
            break;
    }
    call.body = form.take();
    return call;
}

}  // namespace

Result<TokenResponse> Endpoints::token(const TokenRequest& request) const {
    Form form;
    form.add("grant_type", request.grant_type)
        .add_optional("code", request.code)
        .add_optional("redirect_uri", request.redirect_uri)
        .add_optional("code_verifier", request.code_verifier)
        .add_optional("refresh_token", request.refresh_token)
        .add_optional("scope", request.scope);
    // Not idempotent: a code is single use, a refresh token may rotate.
    return detail::call_one<TokenResponse>(
        *channel_, client_call("/oauth/token", std::move(form), request.client, false), "token");
}

Result<Introspection> Endpoints::introspect(const Secret& token, const ClientAuth& client) const {
    Form form;
    form.add("token", token.reveal());
    return detail::call_one<Introspection>(
        *channel_, client_call("/oauth/introspect", std::move(form), client, true),
        "introspection");
}

Result<Introspection> Endpoints::introspect(const Secret& token) const {
    Form form;
    form.add("token", token.reveal());
    Call call{Surface::oauth, "POST", "/oauth/introspect", form.take(), {}, true, true};
    return detail::call_one<Introspection>(*channel_, call, "introspection");
}

Result<void> Endpoints::revoke(const Secret& token, const ClientAuth& client,
                               const std::optional<std::string>& hint) const {
    Form form;
    form.add("token", token.reveal()).add_optional("token_type_hint", hint);
    // RFC 7009 §2.2: revoking twice is harmless, so it may be retried.
    auto response = channel_->call(client_call("/oauth/revoke", std::move(form), client, true));
    if (!response) return std::move(response).error();
    return {};
}

Result<ServerMetadata> Endpoints::discovery() const {
    Call call{Surface::oauth, "GET", "/.well-known/oauth-authorization-server", "", {},
              true,           false};
    return detail::call_one<ServerMetadata>(*channel_, call, "metadata");
}

Result<ServerMetadata> Endpoints::openid_configuration() const {
    Call call{Surface::oauth, "GET", "/.well-known/openid-configuration", "", {}, true, false};
    return detail::call_one<ServerMetadata>(*channel_, call, "metadata");
}

Result<JwkSet> Endpoints::jwks() const {
    Call call{Surface::oauth, "GET", "/.well-known/jwks.json", "", {}, true, false};
    return detail::call_one<JwkSet>(*channel_, call, "jwks");
}

Result<UserInfo> Endpoints::userinfo(const Secret& access_token) const {
    Call call{Surface::oauth, "GET", "/userinfo", "", {}, true, false};
    call.headers.emplace_back("Authorization", "Bearer " + access_token.reveal());
    return detail::call_one<UserInfo>(*channel_, call, "userinfo");
}

Result<UserInfo> Endpoints::userinfo() const {
    Call call{Surface::oauth, "GET", "/userinfo", "", {}, true, true};
    return detail::call_one<UserInfo>(*channel_, call, "userinfo");
}

}  // namespace tessera::sdk
