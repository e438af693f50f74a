// PostgresStore: OAuth clients (core::ClientStore).
#include <algorithm>
#include <string>

#include "storage/postgres/client_rows.hpp"
#include "storage/postgres/key_range.hpp"
#include "storage/postgres/postgres_store.hpp"

namespace tessera::storage::postgres {
namespace {

// Every SELECT lists these columns, in the order read_client() reads them.
#define TESSERA_CLIENT_COLUMNS                                                                  \
    "id, account_id, owner_id, name, redirect_uris, secret_digest, previous_secret_digest,"     \
    " created_at, updated_at, grant_types, scopes, token_endpoint_auth_method, refresh_policy," \
    " secret_ciphertext, registration_token_digest, post_logout_redirect_uris, response_types," \
    " optional_scopes, allowed_cors_origins, client_uri, logo_uri, policy_uri, tos_uri,"        \
    " visibility, promoted_at, verification_status, verification_host, verification_token,"     \
    " verification_deadline, verification_checked_at, id_token_signed_response_alg,"            \
    " access_token_format"

constexpr std::string_view kInsertClient =
    "INSERT INTO clients (" TESSERA_CLIENT_COLUMNS
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,"
    " $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32)";
constexpr std::string_view kSelectClient =
    "SELECT " TESSERA_CLIENT_COLUMNS " FROM clients WHERE id = $1";
// Metadata only: secrets have their own statements, and the URI verification
// is written only when asked (the verifier updates it concurrently).
#define TESSERA_UPDATE_METADATA                                                                \
    "UPDATE clients SET name = $2, redirect_uris = $3, grant_types = $4, scopes = $5,"         \
    " token_endpoint_auth_method = $6, refresh_policy = $7, updated_at = $8,"                  \
    " post_logout_redirect_uris = $9, response_types = $10, optional_scopes = $11,"            \
    " allowed_cors_origins = $12, client_uri = $13, logo_uri = $14, policy_uri = $15,"         \
    " tos_uri = $16, visibility = $17, promoted_at = $18, id_token_signed_response_alg = $19," \
    " access_token_format = $20"
constexpr std::string_view kUpdateClient = TESSERA_UPDATE_METADATA " WHERE id = $1";
constexpr std::string_view kUpdateClientAndVerification = TESSERA_UPDATE_METADATA
    ", verification_status = $21, verification_host = $22, verification_token = $23,"
    " verification_deadline = $24, verification_checked_at = $25 WHERE id = $1";
constexpr std::string_view kSetClientSecrets =
    "UPDATE clients SET secret_digest = $2, previous_secret_digest = $3, updated_at = $4,"
    " secret_ciphertext = $5 WHERE id = $1";
// Cloudflare spec §2.6/§2.7: conditional, so of two racing rotations one
// wins: the other waits for the winner's row lock and then finds the
// condition false.
constexpr std::string_view kRotateSecret =
    "UPDATE clients SET previous_secret_digest = secret_digest, secret_digest = $2,"
    " updated_at = $3, secret_ciphertext = $4"
    " WHERE id = $1 AND previous_secret_digest IS NULL";
constexpr std::string_view kDropPreviousSecret =
    "UPDATE clients SET previous_secret_digest = NULL, updated_at = $2"
    " WHERE id = $1 AND previous_secret_digest IS NOT NULL";
constexpr std::string_view kClientExists = "SELECT 1 FROM clients WHERE id = $1";
// Foreign keys cascade to the client's authorizations, codes, sessions and
// tokens. RETURNING gives the client as it was.
constexpr std::string_view kDeleteClient =
    "DELETE FROM clients WHERE id = $1 RETURNING " TESSERA_CLIENT_COLUMNS;
constexpr std::string_view kListByAccount =
    "SELECT " TESSERA_CLIENT_COLUMNS
    " FROM clients WHERE account_id = $1 ORDER BY created_at ASC, id ASC LIMIT $2";
constexpr std::string_view kCountByAccount = "SELECT count(*) FROM clients WHERE account_id = $1";

// One page of an owner's clients: $2 <= key < $3 (see KeyRange), at most $4
// rows. By id, a range scan of clients_owner_id; by name, clients_owner_name
// in order, its rows filtered by their bytes.
constexpr std::string_view kListByIdAscending =
    "SELECT " TESSERA_CLIENT_COLUMNS
    " FROM clients WHERE owner_id = $1 AND id >= $2 AND id < $3 ORDER BY id ASC LIMIT $4";
constexpr std::string_view kListByIdDescending =
    "SELECT " TESSERA_CLIENT_COLUMNS
    " FROM clients WHERE owner_id = $1 AND id >= $2 AND id < $3 ORDER BY id DESC LIMIT $4";
constexpr std::string_view kListByNameAscending =
    "SELECT " TESSERA_CLIENT_COLUMNS
    " FROM clients WHERE owner_id = $1 AND textsend(name) >= $2 AND textsend(name) < $3"
    " ORDER BY name ASC, id ASC LIMIT $4";
constexpr std::string_view kListByNameDescending =
    "SELECT " TESSERA_CLIENT_COLUMNS
    " FROM clients WHERE owner_id = $1 AND textsend(name) >= $2 AND textsend(name) < $3"
    " ORDER BY name DESC, id DESC LIMIT $4";
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
std::optional<std::optional<core::UriVerification>> read_verification(Row& row, int first) {
    auto status_text = row.optional_text(first);
    if (!status_text) return std::optional<core::UriVerification>();
    auto status = parse_status(*status_text);
    if (!status) return std::nullopt;
    core::UriVerification verification;
    verification.status = *status;
    verification.host = row.text(first + 1);
    verification.token = row.text(first + 2);
    verification.deadline = row.int64(first + 3);
    verification.checked_at = row.optional_int64(first + 4).value_or(0);
    return std::optional<core::UriVerification>(std::move(verification));
}

// Adds the five verification columns (NULLs when none).
void add_verification(Params& params, const std::optional<core::UriVerification>& verification) {
    if (!verification) {
        params.optional_text(std::nullopt)
            .optional_text(std::nullopt)
            .optional_text(std::nullopt)
            .optional_int64(std::nullopt)
            .optional_int64(std::nullopt);
        return;
    }
    params.text(core::to_string(verification->status))
        .text(verification->host)
        .text(verification->token)
        .int64(verification->deadline)
        .int64(verification->checked_at);
}

// $1..$20 of the metadata UPDATEs.
Params metadata(const core::Client& client) {
    Params params;
    params.id(client.id)
        .text(client.name)
        .text_list(client.redirect_uris)
        .text_list(client.grant_types)
        .text_list(client.scopes)
        .text(client.token_endpoint_auth_method)
        .text(client.refresh_policy)
        .int64(client.updated_at)
        .text_list(client.post_logout_redirect_uris)
        .text_list(client.response_types)
        .text_list(client.optional_scopes)
        .text_list(client.allowed_cors_origins)
        .optional_text(client.client_uri)
        .optional_text(client.logo_uri)
        .optional_text(client.policy_uri)
        .optional_text(client.tos_uri)
        .text(client.visibility)
        .optional_int64(client.promoted_at)
        .text(client.id_token_signed_response_alg)
        .text(client.access_token_format);
    return params;
}

Result<core::Client> read_client(Row row) {
    core::Client client;
    client.id = row.id(0);
    client.account_id = row.id(1);
    client.owner_id = row.id(2);
    client.name = row.text(3);
    client.redirect_uris = row.text_list(4);
    client.secret_digest = row.bytes(5);
    client.previous_secret_digest = row.optional_bytes(6);
    client.created_at = row.int64(7);
    client.updated_at = row.int64(8);
    client.grant_types = row.text_list(9);
    client.scopes = row.text_list(10);
    client.token_endpoint_auth_method = row.text(11);
    client.refresh_policy = row.text(12);
    client.secret_ciphertext = row.optional_bytes(13);
    client.registration_token_digest = row.optional_bytes(14);
    client.post_logout_redirect_uris = row.text_list(15);
    client.response_types = row.text_list(16);
    client.optional_scopes = row.text_list(17);
    client.allowed_cors_origins = row.text_list(18);
    client.client_uri = row.optional_text(19);
    client.logo_uri = row.optional_text(20);
    client.policy_uri = row.optional_text(21);
    client.tos_uri = row.optional_text(22);
    client.visibility = row.text(23);
    client.promoted_at = row.optional_int64(24);
    auto verification = read_verification(row, 25);
    client.id_token_signed_response_alg = row.text(30);
    client.access_token_format = row.text(31);
    if (!verification || row.is_malformed()) return Row::malformed_error("clients");
    client.uri_verification = std::move(*verification);
    return client;
}

Result<std::vector<core::Client>> read_clients(const Rows& rows) {
    std::vector<core::Client> clients;
    for (int i = 0; i < rows.size(); ++i) {
        TESSERA_TRY_ASSIGN(core::Client client, read_client(rows.row(i)));
        clients.push_back(std::move(client));
    }
    return clients;
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
// unless the run fills the whole page.
void end_page_between_names(core::Page<core::Client>& page, const std::string& next_name) {
    auto& items = page.items;
    auto kept = items.size();
    while (kept > 0 && items[kept - 1].name == next_name) --kept;
    if (kept > 0) items.resize(kept);
}

// Runs a single-row UPDATE with the parameters `make_params()` gives;
// `not_found` if it matched no client.
template <typename MakeParams>
Result<void> update_one(Database& database, std::string_view operation, std::string_view sql,
                        MakeParams make_params) {
    return database.transaction(operation, [&](Connection& connection) -> Result<void> {
        TESSERA_TRY_ASSIGN(Rows updated, connection.run(sql, make_params()));
        if (updated.affected() == 0) return client_not_found();
        return {};
    });
}

// Runs the conditional single-client UPDATE `sql` with the parameters
// `make_params()` gives: whether it changed the row; `not_found` when the
// client `id` is absent.
template <typename MakeParams>
Result<bool> update_if(Database& database, std::string_view operation, std::string_view sql,
                       const Id& id, MakeParams make_params) {
    return database.transaction(operation, [&](Connection& connection) -> Result<bool> {
        TESSERA_TRY_ASSIGN(Rows updated, connection.run(sql, make_params()));
        if (updated.affected() > 0) return true;
        TESSERA_TRY_ASSIGN(Rows exists, connection.run(kClientExists, Params().id(id)));
        if (exists.empty()) return client_not_found();
        return false;
    });
}

}  // namespace

Result<void> insert_client(Connection& connection, const core::Client& client) {
    Params params;
    params.id(client.id)
        .id(client.account_id)
        .id(client.owner_id)
        .text(client.name)
        .text_list(client.redirect_uris)
        .bytes(client.secret_digest)
        .optional_bytes(client.previous_secret_digest)
        .int64(client.created_at)
        .int64(client.updated_at)
        .text_list(client.grant_types)
        .text_list(client.scopes)
        .text(client.token_endpoint_auth_method)
        .text(client.refresh_policy)
        .optional_bytes(client.secret_ciphertext)
        .optional_bytes(client.registration_token_digest)
        .text_list(client.post_logout_redirect_uris)
        .text_list(client.response_types)
        .text_list(client.optional_scopes)
        .text_list(client.allowed_cors_origins)
        .optional_text(client.client_uri)
        .optional_text(client.logo_uri)
        .optional_text(client.policy_uri)
        .optional_text(client.tos_uri)
        .text(client.visibility)
        .optional_int64(client.promoted_at);
    add_verification(params, client.uri_verification);
    params.text(client.id_token_signed_response_alg).text(client.access_token_format);
    TESSERA_TRY(connection.run(kInsertClient, params));
    return {};
}

Result<void> PostgresStore::create_client(const core::Client& client) {
    return database_.transaction(
        "create_client", [&](Connection& connection) { return insert_client(connection, client); });
}

Result<core::Client> PostgresStore::find_client(const Id& id) {
    return database_.read("find_client", [&](Connection& connection) -> Result<core::Client> {
        TESSERA_TRY_ASSIGN(Rows rows, connection.run(kSelectClient, Params().id(id)));
        if (rows.empty()) return client_not_found();
        return read_client(rows.row(0));
    });
}

Result<core::Page<core::Client>> PostgresStore::list_clients_by_owner(
    const Id& owner, const core::PageQuery& query) {
    using ClientPage = core::Page<core::Client>;
    int max = std::clamp(query.max, 1, kMaxPageSize);
    return database_.read(
        "list_clients_by_owner", [&](Connection& connection) -> Result<ClientPage> {
            TESSERA_TRY_ASSIGN(KeyRange range, key_range(query));
            // One more than asked tells whether more follow.
            TESSERA_TRY_ASSIGN(
                Rows rows,
                connection.run(
                    list_statement(query),
                    Params().id(owner).bytes(range.low).bytes(range.high).int64(max + 1)));
            ClientPage page;
            TESSERA_TRY_ASSIGN(page.items, read_clients(rows));
            if (static_cast<int>(page.items.size()) > max) {
                std::string next_name = page.items.back().name;
                page.items.pop_back();
                page.has_more = true;
                if (query.field == core::SortField::name) end_page_between_names(page, next_name);
            }
            return page;
        });
}

Result<void> PostgresStore::update_client(const core::Client& client) {
    return update_one(database_, "update_client", kUpdateClient, [&] { return metadata(client); });
}

Result<void> PostgresStore::update_client_and_verification(const core::Client& client) {
    return update_one(database_, "update_client_and_verification", kUpdateClientAndVerification,
                      [&] {
                          Params params = metadata(client);
                          add_verification(params, client.uri_verification);
                          return params;
                      });
}

Result<bool> PostgresStore::create_client_within_limit(const core::Client& client, int max) {
    // Count, then insert: SERIALIZABLE, so that of two such calls for one
    // account that both counted max - 1, one fails (40001) and runs again.
    return database_.transaction(
        "create_client_within_limit",
        [&](Connection& connection) -> Result<bool> {
            TESSERA_TRY_ASSIGN(Rows counted,
                               connection.run(kCountByAccount, Params().id(client.account_id)));
            Row row = counted.row(0);
            std::int64_t clients = row.int64(0);
            if (row.is_malformed()) return Row::malformed_error("clients");
            if (clients >= max) return false;
            TESSERA_TRY(insert_client(connection, client));
            return true;
        },
        Isolation::serializable);
}

Result<std::vector<core::Client>> PostgresStore::list_account_clients(const Id& account_id,
                                                                      int limit) {
    return database_.read(
        "list_account_clients", [&](Connection& connection) -> Result<std::vector<core::Client>> {
            TESSERA_TRY_ASSIGN(
                Rows rows,
                connection.run(kListByAccount, Params().id(account_id).int64(std::max(limit, 0))));
            return read_clients(rows);
        });
}

Result<bool> PostgresStore::rotate_client_secret(const Id& id, const std::string& new_digest,
                                                 const std::optional<std::string>& new_ciphertext,
                                                 Timestamp now) {
    return update_if(database_, "rotate_client_secret", kRotateSecret, id, [&] {
        return Params().id(id).bytes(new_digest).int64(now).optional_bytes(new_ciphertext);
    });
}

Result<bool> PostgresStore::drop_previous_secret(const Id& id, Timestamp now) {
    return update_if(database_, "drop_previous_secret", kDropPreviousSecret, id,
                     [&] { return Params().id(id).int64(now); });
}

Result<void> PostgresStore::set_client_secrets(const Id& id, const std::string& current_digest,
                                               const std::optional<std::string>& previous_digest,
                                               const std::optional<std::string>& current_ciphertext,
                                               Timestamp updated_at) {
    return update_one(database_, "set_client_secrets", kSetClientSecrets, [&] {
        return Params()
            .id(id)
            .bytes(current_digest)
            .optional_bytes(previous_digest)
            .int64(updated_at)
            .optional_bytes(current_ciphertext);
    });
}

Result<core::Client> PostgresStore::delete_client(const Id& id) {
    return database_.transaction(
        "delete_client", [&](Connection& connection) -> Result<core::Client> {
            TESSERA_TRY_ASSIGN(Rows deleted, connection.run(kDeleteClient, Params().id(id)));
            if (deleted.empty()) return client_not_found();
            return read_client(deleted.row(0));
        });
}

}  // namespace tessera::storage::postgres
