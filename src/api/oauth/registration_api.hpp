#pragma once

#include <string>

#include "core/oauth/registration.hpp"
#include "http/router.hpp"

namespace tessera::api::oauth {

// Dynamic client registration (RFC 7591) at POST /oauth/register and client
// management (RFC 7592) at GET/PUT/DELETE /oauth/register/{client_id}, with
// the registration access token as a Bearer token. JSON in and out; errors
// per RFC 7591 §3.2.2 and RFC 6750 §3 (401 with WWW-Authenticate: Bearer).
// Routes exist only while registration is not off. Thread-safe.
class RegistrationApi {
public:
    RegistrationApi(std::string issuer, core::RegistrationService& registrations)
        : issuer_(std::move(issuer)), registrations_(registrations) {}

    void add_routes(http::Router& router);

    http::Response create(const http::Request& request);
    http::Response read(const http::Request& request);
    http::Response update(const http::Request& request);
    http::Response remove(const http::Request& request);

private:
    // RFC 7591 §3.2.1 / RFC 7592 §3: the client's metadata and credentials.
    std::string render(const core::RegisteredClient& registered) const;
    // The error, with Retry-After when it is the per-address limit.
    http::Response refused(const http::Request& request, const Error& error) const;

    std::string issuer_;
    core::RegistrationService& registrations_;
};

}  // namespace tessera::api::oauth
