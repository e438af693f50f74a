#pragma once

// The Tessera C++ SDK: everything in one include.
//
//   #include <tessera/tessera.hpp>
//   tessera::Api api{"https://id.example.com", tessera::sdk::Credentials::token(token)};
//   auto clients = api.oauth().clients().list();
//
// Link with the CMake target Tessera::sdk (find_package(Tessera)).

#include "tessera/api.hpp"
#include "tessera/clearable.hpp"
#include "tessera/endpoint_types.hpp"
#include "tessera/endpoints.hpp"
#include "tessera/iam.hpp"
#include "tessera/iam_types.hpp"
#include "tessera/json.hpp"
#include "tessera/native_app.hpp"
#include "tessera/oauth.hpp"
#include "tessera/oauth_types.hpp"
#include "tessera/options.hpp"
#include "tessera/pagination.hpp"
#include "tessera/result.hpp"
#include "tessera/secret.hpp"

namespace tessera {

// The SDK's entry point, as the issue spells it: tessera::Api.
using Api = sdk::Api;

}  // namespace tessera
