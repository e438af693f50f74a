#pragma once

// The backends the store conformance suite runs on, behind one interface: a
// migrated, empty store of its own per test, and a little dialect-neutral
// SQL for what the store API cannot see (counting rows, breaking a row on
// purpose).

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "base/result.hpp"
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

namespace tessera::store_conformance {

enum class BackendKind { sqlite_file, postgres };

// Every store interface of one backend.
struct Stores {
    core::UserStore& users;
    core::AccountStore& accounts;
    core::ClientStore& clients;
    core::AuthorizationStore& authorizations;
    core::TokenStore& tokens;
    core::GrantStore& grants;
    core::SettingStore& settings;
    core::KeyStore& keys;
    core::RegistrationStore& registrations;
    core::VerificationStore& verifications;
};

// One object that implements every interface, seen as Stores.
template <typename Store>
Stores stores_of(Store& store) {
    return Stores{store, store, store, store, store, store, store, store, store, store};
}

// A fresh, migrated database with a store over it, private to one test:
//  - SQLite: a file in a new temporary directory, deleted afterwards;
//  - PostgreSQL: a new schema on the test server (see open_backend()),
//    dropped afterwards.
// Not thread-safe itself; its stores are.
class Backend {
public:
    virtual ~Backend() = default;

    virtual Stores stores() = 0;

    // A second store over the same data with connections of its own, as a
    // second server process or node has. The Backend must outlive it.
    virtual Result<std::unique_ptr<Backend>> second_node() = 0;

    // Runs `sql` (no parameters) and returns the first column of its first
    // row as an integer. The SQL must mean the same in both dialects.
    virtual Result<std::int64_t> query_int(std::string_view sql) = 0;
    // Runs `sql` (no parameters, rows ignored).
    virtual Result<void> execute(std::string_view sql) = 0;
    // The SQL literal of an id's 16 bytes in this dialect.
    virtual std::string id_literal(const Id& id) const = 0;
};

// Opens a backend of `kind`. PostgreSQL's server is the one
// TESSERA_TEST_POSTGRES names (a postgres:// URL or libpq key=value words),
// else the one whose URL is in the file TESSERA_TEST_POSTGRES_URL_FILE names
// (written by scripts/pg-test-server.sh, which the ctest fixture runs). With
// neither, or when the server cannot be reached, an error that says how to
// get one: the test fails, it is never skipped.
Result<std::unique_ptr<Backend>> open_backend(BackendKind kind);

inline void PrintTo(BackendKind kind, std::ostream* out) {
    *out << (kind == BackendKind::sqlite_file ? "sqlite_file" : "postgres");
}

inline std::string backend_name(const ::testing::TestParamInfo<BackendKind>& info) {
    return info.param == BackendKind::sqlite_file ? "SqliteFile" : "Postgres";
}

inline const auto kBackends = ::testing::Values(BackendKind::sqlite_file, BackendKind::postgres);

}  // namespace tessera::store_conformance
