// SqliteStore: JWS signing keys (core::KeyStore).
#include <string>
#include <vector>

#include "storage/sqlite/sqlite_store.hpp"

namespace tessera::storage::sqlite {
namespace {

#define TESSERA_KEY_COLUMNS                                                                        \
    "id, algorithm, public_jwk, sealed_private_key, state, created_at, activated_at, retired_at, " \
    "expires_at"

constexpr std::string_view kInsertKey =
    "INSERT INTO signing_keys (id, algorithm, public_jwk, sealed_private_key, state, created_at, "
    "activated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
constexpr std::string_view kCountKeys = "SELECT count(*) FROM signing_keys";
// Each algorithm is a line of its own: one next and one current key each.
constexpr std::string_view kSelectByState =
    "SELECT id FROM signing_keys WHERE state = ?1 AND algorithm = ?2";
constexpr std::string_view kRetireCurrent =
    "UPDATE signing_keys SET state = 'retired', retired_at = ?1, expires_at = ?2 "
    "WHERE state = 'current' AND algorithm = ?3";
constexpr std::string_view kPromoteNext =
    "UPDATE signing_keys SET state = 'current', activated_at = ?1 "
    "WHERE state = 'next' AND algorithm = ?2";
constexpr std::string_view kPurgeRetired =
    "DELETE FROM signing_keys WHERE id IN (SELECT id FROM signing_keys "
    "WHERE state = 'retired' AND expires_at <= ?1 LIMIT ?2)";

// The default line: ES256's, else the line that has signed longest.
constexpr std::string_view kSelectDefaultCurrent =
    "SELECT " TESSERA_KEY_COLUMNS
    " FROM signing_keys WHERE state = 'current' "
    "ORDER BY algorithm = 'ES256' DESC, activated_at, id LIMIT 1";
constexpr std::string_view kSelectCurrentOf =
    "SELECT " TESSERA_KEY_COLUMNS " FROM signing_keys WHERE state = 'current' AND algorithm = ?1";
// Current first, then next, then retired ones, newest first.
constexpr std::string_view kSelectPublished =
    "SELECT " TESSERA_KEY_COLUMNS
    " FROM signing_keys WHERE state IN ('next', 'current') OR "
    "(state = 'retired' AND expires_at > ?1) "
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

Result<core::SigningKey> read_key(Statement& s) {
    core::SigningKey key;
    key.id = s.column_text(0);
    key.algorithm = s.column_text(1);
    key.public_jwk = s.column_text(2);
    key.sealed_private_key = s.column_blob(3);
    std::string state = s.column_text(4);
    if (state == "next") {
        key.state = core::KeyState::next;
    } else if (state == "current") {
        key.state = core::KeyState::current;
    } else if (state == "retired") {
        key.state = core::KeyState::retired;
    } else {
        return Statement::malformed_row_error("signing_keys");
    }
    key.created_at = s.column_int(5);
    key.activated_at = s.column_optional_int(6);
    key.retired_at = s.column_optional_int(7);
    key.expires_at = s.column_optional_int(8);
    if (s.has_malformed_column()) return Statement::malformed_row_error("signing_keys");
    return key;
}

Result<void> insert_key(Connection& c, const core::SigningKey& key, core::KeyState state,
                        Timestamp now) {
    TESSERA_TRY_ASSIGN(Statement insert, c.prepare(kInsertKey));
    insert.bind_text(1, key.id)
        .bind_text(2, key.algorithm)
        .bind_text(3, key.public_jwk)
        .bind_blob(4, key.sealed_private_key)
        .bind_text(5, state_name(state))
        .bind_int(6, key.created_at)
        .bind_optional_int(
            7, state == core::KeyState::current ? std::optional<Timestamp>(now) : std::nullopt);
    return insert.run();
}

Result<std::optional<std::string>> id_in_state(Connection& c, core::KeyState state,
                                               const std::string& algorithm) {
    TESSERA_TRY_ASSIGN(Statement select, c.prepare(kSelectByState));
    select.bind_text(1, state_name(state)).bind_text(2, algorithm);
    TESSERA_TRY_ASSIGN(bool found, select.step());
    if (!found) return std::optional<std::string>();
    return std::optional<std::string>(select.column_text(0));
}

}  // namespace

Result<bool> SqliteStore::create_first_key(const core::SigningKey& key) {
    return database_.transaction([&](Connection& c) -> Result<bool> {
        {
            TESSERA_TRY_ASSIGN(Statement count, c.prepare(kCountKeys));
            TESSERA_TRY_ASSIGN(bool row, count.step());
            if (row && count.column_int(0) > 0) return false;
        }
        TESSERA_TRY(insert_key(c, key, core::KeyState::current, key.created_at));
        return true;
    });
}

namespace {

Result<core::SigningKey> current_key(Database& database, std::string_view sql,
                                     const std::optional<std::string>& algorithm) {
    return database.with_connection([&](Connection& c) -> Result<core::SigningKey> {
        TESSERA_TRY_ASSIGN(Statement select, c.prepare(sql));
        if (algorithm) select.bind_text(1, *algorithm);
        TESSERA_TRY_ASSIGN(bool found, select.step());
        if (!found) return make_error(Code::not_found, "no signing key", {}, "signing_key");
        return read_key(select);
    });
}

}  // namespace

Result<core::SigningKey> SqliteStore::find_current_key() {
    return current_key(database_, kSelectDefaultCurrent, std::nullopt);
}

Result<core::SigningKey> SqliteStore::find_current_key_of(const std::string& algorithm) {
    return current_key(database_, kSelectCurrentOf, algorithm);
}

Result<std::vector<core::SigningKey>> SqliteStore::list_published_keys(Timestamp now) {
    return database_.with_connection([&](Connection& c) -> Result<std::vector<core::SigningKey>> {
        TESSERA_TRY_ASSIGN(Statement select, c.prepare(kSelectPublished));
        select.bind_int(1, now);
        std::vector<core::SigningKey> keys;
        while (true) {
            TESSERA_TRY_ASSIGN(bool row, select.step());
            if (!row) return keys;
            TESSERA_TRY_ASSIGN(core::SigningKey key, read_key(select));
            keys.push_back(std::move(key));
        }
    });
}

Result<core::KeyRotation> SqliteStore::rotate_keys(const core::SigningKey& key, Timestamp now,
                                                   Timestamp retired_until) {
    return database_.transaction([&](Connection& c) -> Result<core::KeyRotation> {
        core::KeyRotation rotation{key.id, {}, {}};
        TESSERA_TRY_ASSIGN(auto next, id_in_state(c, core::KeyState::next, key.algorithm));
        TESSERA_TRY_ASSIGN(auto current, id_in_state(c, core::KeyState::current, key.algorithm));
        if (next) {
            // Retire before promoting: the unique index allows one current
            // key per algorithm.
            if (current) {
                TESSERA_TRY_ASSIGN(Statement retire, c.prepare(kRetireCurrent));
                retire.bind_int(1, now).bind_int(2, retired_until).bind_text(3, key.algorithm);
                TESSERA_TRY(retire.run());
                rotation.retired = current;
            }
            TESSERA_TRY_ASSIGN(Statement promote, c.prepare(kPromoteNext));
            promote.bind_int(1, now).bind_text(2, key.algorithm);
            TESSERA_TRY(promote.run());
            rotation.promoted = next;
            current = next;
        }
        TESSERA_TRY(
            insert_key(c, key, current ? core::KeyState::next : core::KeyState::current, now));
        return rotation;
    });
}

Result<int> SqliteStore::purge_retired_keys(Timestamp now, int limit) {
    if (limit < 1) return 0;
    return database_.transaction([&](Connection& c) -> Result<int> {
        TESSERA_TRY_ASSIGN(Statement purge, c.prepare(kPurgeRetired));
        purge.bind_int(1, now).bind_int(2, limit);
        TESSERA_TRY(purge.run());
        return c.changes();
    });
}

}  // namespace tessera::storage::sqlite
