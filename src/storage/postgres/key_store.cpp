// PostgresStore: JWS signing keys (core::KeyStore).
#include <string>
#include <vector>

#include "storage/postgres/postgres_store.hpp"

namespace tessera::storage::postgres {
namespace {

#define TESSERA_KEY_COLUMNS                                                                        \
    "id, algorithm, public_jwk, sealed_private_key, state, created_at, activated_at, retired_at, " \
    "expires_at"

// Key writes are rare (a first start, a rotation now and then) and decide
// from what they read, so each takes this lock first: writers of keys run
// one at a time, on every node, while readers go on (SHARE ROW EXCLUSIVE
// conflicts with itself and with writes, not with SELECT).
constexpr std::string_view kLockKeys = "LOCK TABLE signing_keys IN SHARE ROW EXCLUSIVE MODE";
constexpr std::string_view kInsertKey =
    "INSERT INTO signing_keys (id, algorithm, public_jwk, sealed_private_key, state, created_at, "
    "activated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";
constexpr std::string_view kAnyKey = "SELECT 1 FROM signing_keys LIMIT 1";
// Each algorithm is a line of its own: one next and one current key each.
constexpr std::string_view kSelectByState =
    "SELECT id FROM signing_keys WHERE state = $1 AND algorithm = $2";
constexpr std::string_view kRetireCurrent =
    "UPDATE signing_keys SET state = 'retired', retired_at = $1, expires_at = $2 "
    "WHERE state = 'current' AND algorithm = $3";
constexpr std::string_view kPromoteNext =
    "UPDATE signing_keys SET state = 'current', activated_at = $1 "
    "WHERE state = 'next' AND algorithm = $2";
constexpr std::string_view kPurgeRetired =
    "DELETE FROM signing_keys WHERE id IN (SELECT id FROM signing_keys "
    "WHERE state = 'retired' AND expires_at <= $1 ORDER BY expires_at LIMIT $2)";

// The default line: ES256's, else the line that has signed longest.
constexpr std::string_view kSelectDefaultCurrent =
    "SELECT " TESSERA_KEY_COLUMNS
    " FROM signing_keys WHERE state = 'current' "
    "ORDER BY algorithm = 'ES256' DESC, activated_at, id LIMIT 1";
constexpr std::string_view kSelectCurrentOf =
    "SELECT " TESSERA_KEY_COLUMNS " FROM signing_keys WHERE state = 'current' AND algorithm = $1";
// Current first, then next, then retired ones, newest first.
constexpr std::string_view kSelectPublished =
    "SELECT " TESSERA_KEY_COLUMNS
    " FROM signing_keys WHERE state IN ('next', 'current') OR "
    "(state = 'retired' AND expires_at > $1) "
    "ORDER BY CASE state WHEN 'current' THEN 0 WHEN 'next' THEN 1 ELSE 2 END, "
    "created_at DESC, id";
#undef TESSERA_KEY_COLUMNS

std::string_view state_name(core::KeyState state) {
    switch (state) {
        case core::KeyState::next:
            return "next";
        case core::KeyState::current:
            return "current";
        case core::KeyState::retired:
            return "retired";
    }
    return "";
}

Result<core::SigningKey> read_key(Row row) {
    core::SigningKey key;
    key.id = row.text(0);
    key.algorithm = row.text(1);
    key.public_jwk = row.text(2);
    key.sealed_private_key = row.bytes(3);
    std::string state = row.text(4);
    if (state == "next") {
        key.state = core::KeyState::next;
    } else if (state == "current") {
        key.state = core::KeyState::current;
    } else if (state == "retired") {
        key.state = core::KeyState::retired;
    } else {
        return Row::malformed_error("signing_keys");
    }
    key.created_at = row.int64(5);
    key.activated_at = row.optional_int64(6);
    key.retired_at = row.optional_int64(7);
    key.expires_at = row.optional_int64(8);
    if (row.is_malformed()) return Row::malformed_error("signing_keys");
    return key;
}

Result<void> insert_key(Connection& c, const core::SigningKey& key, core::KeyState state,
                        Timestamp now) {
    std::optional<Timestamp> activated_at;
    if (state == core::KeyState::current) activated_at = now;
    TESSERA_TRY(c.run(kInsertKey, Params()
                                      .text(key.id)
                                      .text(key.algorithm)
                                      .text(key.public_jwk)
                                      .bytes(key.sealed_private_key)
                                      .text(state_name(state))
                                      .int64(key.created_at)
                                      .optional_int64(activated_at)));
    return {};
}

Result<std::optional<std::string>> id_in_state(Connection& c, core::KeyState state,
                                               const std::string& algorithm) {
    TESSERA_TRY_ASSIGN(Rows rows,
                       c.run(kSelectByState, Params().text(state_name(state)).text(algorithm)));
    if (rows.empty()) return std::optional<std::string>();
    Row row = rows.row(0);
    std::string id = row.text(0);
    if (row.is_malformed()) return Row::malformed_error("signing_keys");
    return std::optional<std::string>(std::move(id));
}

}  // namespace

Result<bool> PostgresStore::create_first_key(const core::SigningKey& key) {
    return database_.transaction("create_first_key", [&](Connection& c) -> Result<bool> {
        TESSERA_TRY(c.execute(kLockKeys));
        TESSERA_TRY_ASSIGN(Rows any, c.run(kAnyKey));
        if (!any.empty()) return false;
        TESSERA_TRY(insert_key(c, key, core::KeyState::current, key.created_at));
        return true;
    });
}

Result<core::SigningKey> PostgresStore::find_current_key() {
    return database_.read("find_current_key", [&](Connection& c) -> Result<core::SigningKey> {
        TESSERA_TRY_ASSIGN(Rows rows, c.run(kSelectDefaultCurrent));
        if (rows.empty()) return make_error(Code::not_found, "no signing key", {}, "signing_key");
        return read_key(rows.row(0));
    });
}

Result<core::SigningKey> PostgresStore::find_current_key_of(const std::string& algorithm) {
    return database_.read("find_current_key_of", [&](Connection& c) -> Result<core::SigningKey> {
        TESSERA_TRY_ASSIGN(Rows rows, c.run(kSelectCurrentOf, Params().text(algorithm)));
        if (rows.empty()) return make_error(Code::not_found, "no signing key", {}, "signing_key");
        return read_key(rows.row(0));
    });
}

Result<std::vector<core::SigningKey>> PostgresStore::list_published_keys(Timestamp now) {
    using Keys = std::vector<core::SigningKey>;
    return database_.read("list_published_keys", [&](Connection& c) -> Result<Keys> {
        TESSERA_TRY_ASSIGN(Rows rows, c.run(kSelectPublished, Params().int64(now)));
        Keys keys;
        for (int i = 0; i < rows.size(); ++i) {
            TESSERA_TRY_ASSIGN(core::SigningKey key, read_key(rows.row(i)));
            keys.push_back(std::move(key));
        }
        return keys;
    });
}

Result<core::KeyRotation> PostgresStore::rotate_keys(const core::SigningKey& key, Timestamp now,
                                                     Timestamp retired_until) {
    return database_.transaction("rotate_keys", [&](Connection& c) -> Result<core::KeyRotation> {
        TESSERA_TRY(c.execute(kLockKeys));
        core::KeyRotation rotation{key.id, {}, {}};
        TESSERA_TRY_ASSIGN(auto next, id_in_state(c, core::KeyState::next, key.algorithm));
        TESSERA_TRY_ASSIGN(auto current, id_in_state(c, core::KeyState::current, key.algorithm));
        if (next) {
            // Retire before promoting: the unique index allows one current
            // key per algorithm.
            if (current) {
                TESSERA_TRY(c.run(kRetireCurrent,
                                  Params().int64(now).int64(retired_until).text(key.algorithm)));
                rotation.retired = current;
            }
            TESSERA_TRY(c.run(kPromoteNext, Params().int64(now).text(key.algorithm)));
            rotation.promoted = next;
            current = next;
        }
        TESSERA_TRY(
            insert_key(c, key, current ? core::KeyState::next : core::KeyState::current, now));
        return rotation;
    });
}

Result<int> PostgresStore::purge_retired_keys(Timestamp now, int limit) {
    if (limit < 1) return 0;
    return database_.transaction("purge_retired_keys", [&](Connection& c) -> Result<int> {
        TESSERA_TRY_ASSIGN(bool turn, take_janitor_turn(c));
        if (!turn) return 0;
        TESSERA_TRY_ASSIGN(Rows purged, c.run(kPurgeRetired, Params().int64(now).int64(limit)));
        return purged.affected();
    });
}

}  // namespace tessera::storage::postgres
