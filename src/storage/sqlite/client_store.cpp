// SqliteStore: OAuth clients (core::ClientStore).
#include <algorithm>
#include <string>

#include "storage/sqlite/client_rows.hpp"
#include "storage/sqlite/key_range.hpp"
#include "storage/sqlite/sqlite_store.hpp"
#include "storage/sqlite/string_list.hpp"

namespace tessera::storage::sqlite {
namespace {

// Every SELECT lists the columns in the order read_client() reads them.
constexpr std::string_view kInsertClient =
    "INSERT INTO clients (id, account_id, owner_id, name, redirect_uris, secret_digest,"
    " previous_secret_digest, created_at, updated_at, grant_types, scopes,"
    " token_endpoint_auth_method, refresh_policy, secret_ciphertext, registration_token_digest,"
    " post_logout_redirect_uris)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)";
constexpr std::string_view kSelectClient =
    "SELECT id, account_id, owner_id, name, redirect_uris, secret_digest,"
    " previous_secret_digest, created_at, updated_at, grant_types, scopes,"
    " token_endpoint_auth_method, refresh_policy, secret_ciphertext, registration_token_digest,"
    " post_logout_redirect_uris"
    " FROM clients"
    " WHERE id = ?1";
constexpr std::string_view kUpdateClient =
    "UPDATE clients SET name = ?2, redirect_uris = ?3, grant_types = ?4, scopes = ?5,"
    " token_endpoint_auth_method = ?6, refresh_policy = ?7, updated_at = ?8,"
    " post_logout_redirect_uris = ?9 WHERE id = ?1";
constexpr std::string_view kSetClientSecrets =
    "UPDATE clients SET secret_digest = ?2, previous_secret_digest = ?3, updated_at = ?4,"
    " secret_ciphertext = ?5 WHERE id = ?1";
// Foreign keys cascade to the client's authorizations and their tokens, and to
// its standalone (client_credentials) tokens.
constexpr std::string_view kDeleteClient = "DELETE FROM clients WHERE id = ?1";

// One page of an owner's clients: ?2 <= key < ?3 (see KeyRange), at most ?4
// rows. Each is a range scan of clients_owner_id or clients_owner_name.
constexpr std::string_view kListByIdAscending =
    "SELECT id, account_id, owner_id, name, redirect_uris, secret_digest,"
    " previous_secret_digest, created_at, updated_at, grant_types, scopes,"
    " token_endpoint_auth_method, refresh_policy, secret_ciphertext, registration_token_digest,"
    " post_logout_redirect_uris"
    " FROM clients"
    " WHERE owner_id = ?1 AND id >= ?2 AND id < ?3 ORDER BY id ASC LIMIT ?4";
constexpr std::string_view kListByIdDescending =
    "SELECT id, account_id, owner_id, name, redirect_uris, secret_digest,"
    " previous_secret_digest, created_at, updated_at, grant_types, scopes,"
    " token_endpoint_auth_method, refresh_policy, secret_ciphertext, registration_token_digest,"
    " post_logout_redirect_uris"
    " FROM clients"
    " WHERE owner_id = ?1 AND id >= ?2 AND id < ?3 ORDER BY id DESC LIMIT ?4";
constexpr std::string_view kListByNameAscending =
    "SELECT id, account_id, owner_id, name, redirect_uris, secret_digest,"
    " previous_secret_digest, created_at, updated_at, grant_types, scopes,"
    " token_endpoint_auth_method, refresh_policy, secret_ciphertext, registration_token_digest,"
    " post_logout_redirect_uris"
    " FROM clients"
    " WHERE owner_id = ?1 AND name >= ?2 AND name < ?3 ORDER BY name ASC, id ASC LIMIT ?4";
constexpr std::string_view kListByNameDescending =
    "SELECT id, account_id, owner_id, name, redirect_uris, secret_digest,"
    " previous_secret_digest, created_at, updated_at, grant_types, scopes,"
    " token_endpoint_auth_method, refresh_policy, secret_ciphertext, registration_token_digest,"
    " post_logout_redirect_uris"
    " FROM clients"
    " WHERE owner_id = ?1 AND name >= ?2 AND name < ?3 ORDER BY name DESC, id DESC LIMIT ?4";

constexpr int kMaxPageSize = 1000;

Error client_not_found() {
    return make_error(Code::not_found, "the client was not found", {}, "client");
}

Result<core::Client> read_client(Statement& row) {
    core::Client client;
    client.id = row.column_id(0);
    client.account_id = row.column_id(1);
    client.owner_id = row.column_id(2);
    client.name = row.column_text(3);
    auto redirect_uris = decode_string_list(row.column_text(4));
    client.secret_digest = row.column_blob(5);
    client.previous_secret_digest = row.column_optional_blob(6);
    client.created_at = row.column_int(7);
    client.updated_at = row.column_int(8);
    client.grant_types = split_scope(row.column_text(9));
    client.scopes = split_scope(row.column_text(10));
    client.token_endpoint_auth_method = row.column_text(11);
    client.refresh_policy = row.column_text(12);
    client.secret_ciphertext = row.column_optional_blob(13);
    client.registration_token_digest = row.column_optional_blob(14);
    auto post_logout_uris = decode_string_list(row.column_text(15));
    if (!redirect_uris || !post_logout_uris || row.has_malformed_column()) {
        return Statement::malformed_row_error("clients");
    }
    client.redirect_uris = std::move(*redirect_uris);
    client.post_logout_redirect_uris = std::move(*post_logout_uris);
    return client;
}

Result<core::Client> select_client(Connection& connection, const Id& id) {
    TESSERA_TRY_ASSIGN(Statement select, connection.prepare(kSelectClient));
    select.bind_id(1, id);
    TESSERA_TRY_ASSIGN(bool found, select.step());
    if (!found) return client_not_found();
    return read_client(select);
}

std::string_view list_statement(const core::PageQuery& query) {
    if (query.field == core::SortField::name) {
        return query.descending ? kListByNameDescending : kListByNameAscending;
    }
    return query.descending ? kListByIdDescending : kListByIdAscending;
}

// The next page starts after the last name returned (Heroku's Next-Range is
// `]name..`), so a page that ended inside a run of equal names would make the
// rest of the run unreachable. Drop the run's tail from this page instead,
// unless the run fills the whole page (then its remainder is skipped: a wire
// key of just the name cannot say where inside the run to resume).
void end_page_between_names(core::Page<core::Client>& page, const std::string& next_name) {
    auto& items = page.items;
    auto kept = items.size();
    while (kept > 0 && items[kept - 1].name == next_name) --kept;
    if (kept > 0) items.resize(kept);
}

// Runs a single-row UPDATE; `not_found` if it matched no client.
template <typename Bind>
Result<void> update_one(Database& database, std::string_view sql, Bind bind) {
    return database.transaction([&](Connection& connection) -> Result<void> {
        TESSERA_TRY_ASSIGN(Statement update, connection.prepare(sql));
        bind(update);
        TESSERA_TRY(update.run());
        if (connection.changes() == 0) return client_not_found();
        return {};
    });
}

}  // namespace

// Inserts `client`; shared with create_registered_client()
// (registration_store.cpp), which runs it inside its own transaction.
Result<void> insert_client(Connection& connection, const core::Client& client) {
    TESSERA_TRY_ASSIGN(Statement insert, connection.prepare(kInsertClient));
    insert.bind_id(1, client.id)
        .bind_id(2, client.account_id)
        .bind_id(3, client.owner_id)
        .bind_text(4, client.name)
        .bind_text(5, encode_string_list(client.redirect_uris))
        .bind_blob(6, client.secret_digest)
        .bind_optional_blob(7, client.previous_secret_digest)
        .bind_int(8, client.created_at)
        .bind_int(9, client.updated_at)
        .bind_text(10, join_scope(client.grant_types))
        .bind_text(11, join_scope(client.scopes))
        .bind_text(12, client.token_endpoint_auth_method)
        .bind_text(13, client.refresh_policy)
        .bind_optional_blob(14, client.secret_ciphertext)
        .bind_optional_blob(15, client.registration_token_digest)
        .bind_text(16, encode_string_list(client.post_logout_redirect_uris));
    return insert.run();
}

Result<void> SqliteStore::create_client(const core::Client& client) {
    return database_.transaction(
        [&](Connection& connection) { return insert_client(connection, client); });
}

Result<core::Client> SqliteStore::find_client(const Id& id) {
    return database_.with_connection(
        [&](Connection& connection) { return select_client(connection, id); });
}

Result<core::Page<core::Client>> SqliteStore::list_clients_by_owner(const Id& owner,
                                                                    const core::PageQuery& query) {
    using ClientPage = core::Page<core::Client>;
    return database_.with_connection([&](Connection& connection) -> Result<ClientPage> {
        TESSERA_TRY_ASSIGN(KeyRange range, key_range(query));
        int max = std::clamp(query.max, 1, kMaxPageSize);
        TESSERA_TRY_ASSIGN(Statement select, connection.prepare(list_statement(query)));
        select.bind_id(1, owner);
        bind_key(select, 2, range.low);
        bind_key(select, 3, range.high);
        select.bind_int(4, max + 1);  // one more than asked tells whether more follow
        ClientPage page;
        for (;;) {
            TESSERA_TRY_ASSIGN(bool has_row, select.step());
            if (!has_row) return page;
            TESSERA_TRY_ASSIGN(core::Client client, read_client(select));
            if (static_cast<int>(page.items.size()) < max) {
                page.items.push_back(std::move(client));
                continue;
            }
            page.has_more = true;
            if (query.field == core::SortField::name) end_page_between_names(page, client.name);
            return page;
        }
    });
}

Result<void> SqliteStore::update_client(const core::Client& client) {
    return update_one(database_, kUpdateClient, [&](Statement& update) {
        update.bind_id(1, client.id)
            .bind_text(2, client.name)
            .bind_text(3, encode_string_list(client.redirect_uris))
            .bind_text(4, join_scope(client.grant_types))
            .bind_text(5, join_scope(client.scopes))
            .bind_text(6, client.token_endpoint_auth_method)
            .bind_text(7, client.refresh_policy)
            .bind_int(8, client.updated_at)
            .bind_text(9, encode_string_list(client.post_logout_redirect_uris));
    });
}

Result<void> SqliteStore::set_client_secrets(const Id& id, const std::string& current_digest,
                                             const std::optional<std::string>& previous_digest,
                                             const std::optional<std::string>& current_ciphertext,
                                             Timestamp updated_at) {
    return update_one(database_, kSetClientSecrets, [&](Statement& update) {
        update.bind_id(1, id)
            .bind_blob(2, current_digest)
            .bind_optional_blob(3, previous_digest)
            .bind_int(4, updated_at)
            .bind_optional_blob(5, current_ciphertext);
    });
}

Result<core::Client> SqliteStore::delete_client(const Id& id) {
    return database_.transaction([&](Connection& connection) -> Result<core::Client> {
        TESSERA_TRY_ASSIGN(core::Client client, select_client(connection, id));
        TESSERA_TRY_ASSIGN(Statement remove, connection.prepare(kDeleteClient));
        remove.bind_id(1, id);
        TESSERA_TRY(remove.run());
        return client;
    });
}

}  // namespace tessera::storage::sqlite
