#include "storage/postgres/connection.hpp"

#include <libpq-fe.h>

#include <string>
#include <utility>

#include "storage/postgres/database_error.hpp"

namespace tessera::storage::postgres {
namespace {

constexpr int kBinaryResults = 1;

// Notices (e.g. "relation already exists, skipping") are not errors and go
// nowhere; libpq would print them on stderr.
void ignore_notice(void*, const char*) {}

}  // namespace

bool is_conninfo(std::string_view text) {
    if (text.starts_with("postgres://") || text.starts_with("postgresql://")) return true;
    auto equals = text.find('=');
    if (equals == std::string_view::npos) return false;
    std::string_view key = text.substr(0, equals);
    while (!key.empty() && key.front() == ' ') key.remove_prefix(1);
    while (!key.empty() && key.back() == ' ') key.remove_suffix(1);
    if (key.empty()) return false;
    bool known = false;
    PQconninfoOption* options = PQconndefaults();
    if (options == nullptr) return false;
    for (const PQconninfoOption* option = options; option->keyword != nullptr; ++option) {
        if (key == option->keyword) known = true;
    }
    PQconninfoFree(options);
    return known;
}

Result<std::unique_ptr<Connection>> Connection::open(const std::string& conninfo) {
    // Our defaults come first: the words of `conninfo` (expanded from
    // dbname) override them.
    // Keepalives and tcp_user_timeout notice a server that vanished from the
    // network (no RST) within about 20 s, so a pooled connection fails and is
    // replaced instead of waiting on a dead peer for the kernel's 2 hours.
    const char* keywords[] = {"connect_timeout",    "application_name",  "client_encoding",
                              "keepalives_idle",    "keepalives_interval", "keepalives_count",
                              "tcp_user_timeout",   "dbname",            nullptr};
    const char* values[] = {"10", "tessera", "UTF8", "10", "5", "2", "20000", conninfo.c_str(),
                            nullptr};
    PGconn* raw = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
    if (raw == nullptr) {
        return make_error(Code::internal, "the database failed",
                          "postgres connect: libpq could not allocate a connection");
    }
    std::unique_ptr<Connection> connection(new Connection(raw));
    if (PQstatus(raw) != CONNECTION_OK) {
        connection->set_operation("connect");
        return connection->fail(nullptr);
    }
    PQsetNoticeProcessor(raw, ignore_notice, nullptr);
    return connection;
}

Connection::~Connection() { PQfinish(connection_); }

Error Connection::fail(pg_result* result) {
    Error error = database_error(connection_, result, operation_);
    last_sqlstate_ = std::string(sqlstate_of(result));
    if (result != nullptr) PQclear(result);
    return error;
}

Result<std::string> Connection::prepared_name(std::string_view sql, const Params& params) {
    if (auto found = prepared_.find(sql); found != prepared_.end()) return found->second;
    std::string name = "tessera_" + std::to_string(prepared_.size() + 1);
    std::string text(sql);
    PGresult* result =
        PQprepare(connection_, name.c_str(), text.c_str(), params.size(), params.types());
    if (result == nullptr || PQresultStatus(result) != PGRES_COMMAND_OK) return fail(result);
    PQclear(result);
    prepared_.emplace(std::move(text), name);
    return name;
}

Result<Rows> Connection::run(std::string_view sql, const Params& params) {
    TESSERA_TRY_ASSIGN(std::string name, prepared_name(sql, params));
    PGresult* result = PQexecPrepared(connection_, name.c_str(), params.size(), params.values(),
                                      params.lengths(), params.formats(), kBinaryResults);
    if (result == nullptr) return fail(nullptr);
    ExecStatusType status = PQresultStatus(result);
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) return fail(result);
    last_sqlstate_.clear();
    return Rows(result);
}

Result<void> Connection::execute(std::string_view sql) {
    std::string text(sql);
    // PQexec returns the last statement's result; an earlier failure stops
    // the rest and is that result.
    PGresult* result = PQexec(connection_, text.c_str());
    if (result == nullptr) return fail(nullptr);
    ExecStatusType status = PQresultStatus(result);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) return fail(result);
    PQclear(result);
    last_sqlstate_.clear();
    return {};
}

bool Connection::is_broken() const { return PQstatus(connection_) != CONNECTION_OK; }

int Connection::socket() const { return PQsocket(connection_); }

Result<std::vector<std::string>> Connection::take_notifications() {
    if (PQconsumeInput(connection_) == 0 || is_broken()) return fail(nullptr);
    std::vector<std::string> payloads;
    while (PGnotify* notification = PQnotifies(connection_)) {
        payloads.emplace_back(notification->extra);
        PQfreemem(notification);
    }
    return payloads;
}

bool Connection::in_transaction() const {
    PGTransactionStatusType status = PQtransactionStatus(connection_);
    return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE;
}

}  // namespace tessera::storage::postgres
