#pragma once

#include <optional>

#include <boost/json/object.hpp>

#include "base/result.hpp"
#include "base/secret.hpp"
#include "core/clients/account_client_service.hpp"
#include "core/model/client.hpp"

namespace tessera::api::cloudflare {

// The client object of Cloudflare spec §3, fields in the spec's order: every
// array always present, unset optional strings omitted, client_id as 32
// lowercase hex; `secret` (create only) last as client_secret.
boost::json::object render_client(const core::Client& client,
                                  const std::optional<Secret>& secret = std::nullopt);

// A create or update body (§2.1, §2.4). Unknown fields are ignored; known
// ones of the wrong JSON type are `invalid_params` with a `wrong_type`
// violation each. An empty body is an empty object. `invalid_params` when
// the body is not a JSON object.
Result<core::ClientMetadataPatch> parse_client_patch(std::string_view body);

}  // namespace tessera::api::cloudflare
