#include "core/oauth/end_session.hpp"

#include <algorithm>

#include "core/oauth/authorize/authorization_endpoint.hpp"

namespace tessera::core {
namespace {

Result<std::optional<Id>> check_client_id(const std::optional<std::string>& client_id) {
    if (!client_id) return std::optional<Id>();
    auto id = Id::parse(*client_id);
    if (!id) return make_error(Code::invalid_request, "client_id is not a client id");
    return std::optional<Id>(*id);
}

Result<std::optional<IdTokenHint>> check_hint(const KeyRing& keys, const std::string& issuer,
                                              const std::optional<std::string>& hint,
                                              const std::optional<Id>& client_id) {
    if (!hint) return std::optional<IdTokenHint>();
    TESSERA_TRY_ASSIGN(IdTokenHint verified, verify_id_token_hint(keys, issuer, *hint, client_id));
    return std::optional<IdTokenHint>(std::move(verified));
}

Result<std::optional<std::string>> check_post_logout_redirect_uri(
    ClientStore& clients, const std::optional<std::string>& uri, const std::optional<Id>& client_id,
    const std::optional<std::string>& state) {
    if (!uri) return std::optional<std::string>();
    if (!client_id)
        return make_error(Code::invalid_request,
                          "post_logout_redirect_uri needs an id_token_hint or a client_id");
    auto client = clients.find_client(*client_id);
    if (!client) {
        if (client.error().code == Code::not_found)
            return make_error(Code::invalid_request, "the client is unknown");
        return std::move(client).error();
    }
    const auto& registered = client->post_logout_redirect_uris;
    if (std::find(registered.begin(), registered.end(), *uri) == registered.end())
        return make_error(Code::invalid_request,
                          "post_logout_redirect_uri is not registered for this client");
    if (!state) return std::optional<std::string>(*uri);
    return std::optional<std::string>(append_query(*uri, {{"state", *state}}));
}

}  // namespace

Result<EndSessionRequest> EndSession::check(const EndSessionParams& params) const {
    TESSERA_TRY_ASSIGN(std::optional<Id> client_id, check_client_id(params.client_id));
    EndSessionRequest request;
    TESSERA_TRY_ASSIGN(request.hint, check_hint(keys_, issuer_, params.id_token_hint, client_id));
    if (request.hint) client_id = request.hint->audience;
    TESSERA_TRY_ASSIGN(request.redirect_uri,
                       check_post_logout_redirect_uri(clients_, params.post_logout_redirect_uri,
                                                      client_id, params.state));
    return request;
}

Result<void> EndSession::check_may_sign_out(const EndSessionRequest& request,
                                            const Id& signed_in_user) {
    if (!request.hint || request.hint->subject != signed_in_user)
        return make_error(Code::invalid_request,
                          "signing out needs a valid id_token_hint for the signed-in user");
    return {};
}

}  // namespace tessera::core
