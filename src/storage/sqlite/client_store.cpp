// SqliteStore: OAuth clients (core::ClientStore).
#include <algorithm>
#include <functional>
#include <string>

#include "storage/sqlite/client_rows.hpp"
#include "storage/sqlite/key_range.hpp"
#include "storage/sqlite/sqlite_store.hpp"
#include "storage/sqlite/string_list.hpp"

namespace tessera::storage::sqlite {
namespace {

// Every SELECT lists kClientColumns, in the order read_client() reads them.
#define TESSERA_CLIENT_COLUMNS                                                                   \
    "id, account_id, owner_id, name, redirect_uris, secret_digest, previous_secret_digest,"     \
    " created_at, updated_at, grant_types, scopes, token_endpoint_auth_method, refresh_policy," \
    " secret_ciphertext, registration_token_digest, post_logout_redirect_uris, response_types," \
    " optional_scopes, allowed_cors_origins, client_uri, logo_uri, policy_uri, tos_uri,"        \
    " visibility, promoted_at, verification_status, verification_host, verification_token,"     \
    " verification_deadline, verification_checked_at, id_token_signed_response_alg,"           \
    " access_token_format"

constexpr std::string_view kInsertClient =
    "INSERT INTO clients (" TESSERA_CLIENT_COLUMNS
    ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,"
    " ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32)";
constexpr std::string_view kSelectClient =
    "SELECT " TESSERA_CLIENT_COLUMNS " FROM clients WHERE id = ?1";
// Metadata only: secrets have their own statements, and the URI verification
// is written only when asked (the verifier updates it concurrently).
#define TESSERA_UPDATE_METADATA                                                                 \
    "UPDATE clients SET name = ?2, redirect_uris = ?3, grant_types = ?4, scopes = ?5,"          \
    " token_endpoint_auth_method = ?6, refresh_policy = ?7, updated_at = ?8,"                  \
    " post_logout_redirect_uris = ?9, response_types = ?10, optional_scopes = ?11,"            \
    " allowed_cors_origins = ?12, client_uri = ?13, logo_uri = ?14, policy_uri = ?15,"          \
    " tos_uri = ?16, visibility = ?17, promoted_at = ?18, id_token_signed_response_alg = ?24,"  \
    " access_token_format = ?25"
constexpr std::string_view kUpdateClient = TESSERA_UPDATE_METADATA " WHERE id = ?1";
constexpr std::string_view kUpdateClientAndVerification =
    TESSERA_UPDATE_METADATA
    ", verification_status = ?19, verification_host = ?20, verification_token = ?21,"
    " verification_deadline = ?22, verification_checked_at = ?23 WHERE id = ?1";
constexpr std::string_view kSetClientSecrets =
    "UPDATE clients SET secret_digest = ?2, previous_secret_digest = ?3, updated_at = ?4,"
    " secret_ciphertext = ?5 WHERE id = ?1";
// Cloudflare spec §2.6/§2.7: conditional, so of two racing rotations one wins.
constexpr std::string_view kRotateSecret =
    "UPDATE clients SET previous_secret_digest = secret_digest, secret_digest = ?2,"
    " secret_ciphertext = ?4, updated_at = ?3"
    " WHERE id = ?1 AND previous_secret_digest IS NULL";
constexpr std::string_view kDropPreviousSecret =
    "UPDATE clients SET previous_secret_digest = NULL, updated_at = ?2"
    " WHERE id = ?1 AND previous_secret_digest IS NOT NULL";
constexpr std::string_view kClientExists = "SELECT 1 FROM clients WHERE id = ?1";
// Foreign keys cascade to the client's authorizations and their tokens, and to
// its standalone (client_credentials) tokens.
constexpr std::string_view kDeleteClient = "DELETE FROM clients WHERE id = ?1";
constexpr std::string_view kListByAccount =
    "SELECT " TESSERA_CLIENT_COLUMNS
    " FROM clients WHERE account_id = ?1 ORDER BY created_at ASC, id ASC LIMIT ?2";
constexpr std::string_view kCountByAccount =
    "SELECT count(*) FROM clients WHERE account_id = ?1";

// One page of an owner's clients: ?2 <= key < ?3 (see KeyRange), at most ?4
// rows. Each is a range scan of clients_owner_id or clients_owner_name.
constexpr std::string_view kListByIdAscending =
    "SELECT " TESSERA_CLIENT_COLUMNS
    " FROM clients WHERE owner_id = ?1 AND id >= ?2 AND id < ?3 ORDER BY id ASC LIMIT ?4";
constexpr std::string_view kListByIdDescending =
    "SELECT " TESSERA_CLIENT_COLUMNS
    " FROM clients WHERE owner_id = ?1 AND id >= ?2 AND id < ?3 ORDER BY id DESC LIMIT ?4";
constexpr std::string_view kListByNameAscending =
    "SELECT " TESSERA_CLIENT_COLUMNS
    " FROM clients WHERE owner_id = ?1 AND name >= ?2 AND name < ?3"
    " ORDER BY name ASC, id ASC LIMIT ?4";
constexpr std::string_view kListByNameDescending =
    "SELECT " TESSERA_CLIENT_COLUMNS
    " FROM clients WHERE owner_id = ?1 AND name >= ?2 AND name < ?3"
    " ORDER BY name DESC, id DESC LIMIT ?4";
#undef TESSERA_UPDATE_METADATA
#undef TESSERA_CLIENT_COLUMNS

constexpr int kMaxPageSize = 1000;

Error client_not_found() {
    return make_error(Code::not_found, "the client was not found", {}, "client");
}

std::optional<core::UriVerification::Status> parse_status(std::string_view text) {
    using Status = core::UriVerification::Status;
    for (Status status : {Status::pending, Status::in_progress, Status::verified, Status::failed})
        if (core::to_string(status) == text) return status;
    return std::nullopt;
}

// The verification columns starting at `first`: nullopt inside when the
// client has none; nullopt outside when the row is malformed.
std::optional<std::optional<core::UriVerification>> read_verification(Statement& row, int first) {
    auto status_text = row.column_optional_text(first);
    if (!status_text) return std::optional<core::UriVerification>();
    auto status = parse_status(*status_text);
    if (!status) return std::nullopt;
    core::UriVerification verification;
    verification.status = *status;
    verification.host = row.column_text(first + 1);
    verification.token = row.column_text(first + 2);
    verification.deadline = row.column_int(first + 3);
    verification.checked_at = row.column_int(first + 4);
    return std::optional<core::UriVerification>(std::move(verification));
}

// Binds the verification columns starting at `first` (NULLs when none).
void bind_verification(Statement& statement, int first,
                       const std::optional<core::UriVerification>& verification) {
    if (!verification) {
        for (int i = 0; i < 5; ++i) statement.bind_optional_text(first + i, std::nullopt);
        return;
    }
    statement.bind_text(first, core::to_string(verification->status))
        .bind_text(first + 1, verification->host)
        .bind_text(first + 2, verification->token)
        .bind_int(first + 3, verification->deadline)
        .bind_int(first + 4, verification->checked_at);
}

// Binds ?2..?18 of the metadata UPDATEs.
void bind_metadata(Statement& update, const core::Client& client) {
    update.bind_id(1, client.id)
        .bind_text(2, client.name)
        .bind_text(3, encode_string_list(client.redirect_uris))
        .bind_text(4, join_scope(client.grant_types))
        .bind_text(5, join_scope(client.scopes))
        .bind_text(6, client.token_endpoint_auth_method)
        .bind_text(7, client.refresh_policy)
        .bind_int(8, client.updated_at)
        .bind_text(9, encode_string_list(client.post_logout_redirect_uris))
        .bind_text(10, encode_string_list(client.response_types))
        .bind_text(11, encode_string_list(client.optional_scopes))
        .bind_text(12, encode_string_list(client.allowed_cors_origins))
        .bind_optional_text(13, client.client_uri)
        .bind_optional_text(14, client.logo_uri)
        .bind_optional_text(15, client.policy_uri)
        .bind_optional_text(16, client.tos_uri)
        .bind_text(17, client.visibility)
        .bind_optional_int(18, client.promoted_at)
        .bind_text(24, client.id_token_signed_response_alg)
        .bind_text(25, client.access_token_format);
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
    auto response_types = decode_string_list(row.column_text(16));
    auto optional_scopes = decode_string_list(row.column_text(17));
    auto cors_origins = decode_string_list(row.column_text(18));
    client.client_uri = row.column_optional_text(19);
    client.logo_uri = row.column_optional_text(20);
    client.policy_uri = row.column_optional_text(21);
    client.tos_uri = row.column_optional_text(22);
    client.visibility = row.column_text(23);
    client.promoted_at = row.column_optional_int(24);
    auto verification = read_verification(row, 25);
    client.id_token_signed_response_alg = row.column_text(30);
    client.access_token_format = row.column_text(31);
    if (!redirect_uris || !post_logout_uris || !response_types || !optional_scopes ||
        !cors_origins || !verification || row.has_malformed_column()) {
        return Statement::malformed_row_error("clients");
    }
    client.redirect_uris = std::move(*redirect_uris);
    client.post_logout_redirect_uris = std::move(*post_logout_uris);
    client.response_types = std::move(*response_types);
    client.optional_scopes = std::move(*optional_scopes);
    client.allowed_cors_origins = std::move(*cors_origins);
    client.uri_verification = std::move(*verification);
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
        .bind_text(16, encode_string_list(client.post_logout_redirect_uris))
        .bind_text(17, encode_string_list(client.response_types))
        .bind_text(18, encode_string_list(client.optional_scopes))
        .bind_text(19, encode_string_list(client.allowed_cors_origins))
        .bind_optional_text(20, client.client_uri)
        .bind_optional_text(21, client.logo_uri)
        .bind_optional_text(22, client.policy_uri)
        .bind_optional_text(23, client.tos_uri)
        .bind_text(24, client.visibility)
        .bind_optional_int(25, client.promoted_at);
    bind_verification(insert, 26, client.uri_verification);
    insert.bind_text(31, client.id_token_signed_response_alg)
        .bind_text(32, client.access_token_format);
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
    return update_one(database_, kUpdateClient,
                      [&](Statement& update) { bind_metadata(update, client); });
}

Result<void> SqliteStore::update_client_and_verification(const core::Client& client) {
    return update_one(database_, kUpdateClientAndVerification, [&](Statement& update) {
        bind_metadata(update, client);
        bind_verification(update, 19, client.uri_verification);
    });
}

Result<bool> SqliteStore::create_client_within_limit(const core::Client& client, int max) {
    return database_.transaction([&](Connection& connection) -> Result<bool> {
        TESSERA_TRY_ASSIGN(Statement count, connection.prepare(kCountByAccount));
        count.bind_id(1, client.account_id);
        TESSERA_TRY_ASSIGN(bool has_row, count.step());
        if (has_row && count.column_int(0) >= max) return false;
        TESSERA_TRY(insert_client(connection, client));
        return true;
    });
}

Result<std::vector<core::Client>> SqliteStore::list_account_clients(const Id& account_id,
                                                                    int limit) {
    return database_.with_connection([&](Connection& connection) -> Result<std::vector<core::Client>> {
        TESSERA_TRY_ASSIGN(Statement select, connection.prepare(kListByAccount));
        select.bind_id(1, account_id).bind_int(2, std::max(limit, 0));
        std::vector<core::Client> clients;
        for (;;) {
            TESSERA_TRY_ASSIGN(bool has_row, select.step());
            if (!has_row) return clients;
            TESSERA_TRY_ASSIGN(core::Client client, read_client(select));
            clients.push_back(std::move(client));
        }
    });
}

// `not_found` when the client is absent; otherwise whether `sql` changed it.
Result<bool> SqliteStore::update_if(std::string_view sql, const Id& id,
                                   const std::function<void(Statement&)>& bind) {
    return database_.transaction([&](Connection& connection) -> Result<bool> {
        TESSERA_TRY_ASSIGN(Statement update, connection.prepare(sql));
        bind(update);
        TESSERA_TRY(update.run());
        if (connection.changes() > 0) return true;
        TESSERA_TRY_ASSIGN(Statement exists, connection.prepare(kClientExists));
        exists.bind_id(1, id);
        TESSERA_TRY_ASSIGN(bool found, exists.step());
        if (!found) return client_not_found();
        return false;
    });
}

Result<bool> SqliteStore::rotate_client_secret(const Id& id, const std::string& new_digest,
                                               const std::optional<std::string>& new_ciphertext,
                                               Timestamp now) {
    return update_if(kRotateSecret, id, [&](Statement& update) {
        update.bind_id(1, id).bind_blob(2, new_digest).bind_int(3, now).bind_optional_blob(
            4, new_ciphertext);
    });
}

Result<bool> SqliteStore::drop_previous_secret(const Id& id, Timestamp now) {
    return update_if(kDropPreviousSecret, id,
                     [&](Statement& update) { update.bind_id(1, id).bind_int(2, now); });
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
