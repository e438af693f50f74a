#pragma once

#include "core/store/account_store.hpp"
#include "core/store/authorization_store.hpp"
#include "core/store/client_store.hpp"
#include "core/store/grant_store.hpp"
#include "core/store/key_store.hpp"
#include "core/store/registration_store.hpp"
#include "core/store/setting_store.hpp"
#include "core/store/token_store.hpp"
#include "core/store/user_store.hpp"
#include "core/store/verification_store.hpp"

namespace tessera::core {

// A storage backend: one object that implements every concern's interface
// (SqliteStore, PostgresStore), so app/wiring.cpp can choose one at run time
// and hand it to each service as the interfaces that service needs. Services
// never take a Store: they name the concerns they use. Contracts, thread
// safety and errors are those of each interface.
class Store : public UserStore,
              public AccountStore,
              public ClientStore,
              public AuthorizationStore,
              public TokenStore,
              public GrantStore,
              public SettingStore,
              public KeyStore,
              public RegistrationStore,
              public VerificationStore {};

}  // namespace tessera::core
