#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "storage/postgres/params.hpp"
#include "storage/postgres/rows.hpp"

struct pg_conn;

namespace tessera::storage::postgres {

// Whether `text` names a PostgreSQL server: a postgres:// or postgresql://
// URL, or libpq's key=value words whose first key is one of libpq's
// connection keywords ("host=db dbname=tessera", "service=tessera").
bool is_conninfo(std::string_view text);

// One libpq connection and the statements prepared on it.
//
// Not thread-safe: a Connection is used by one thread at a time, which the
// Database pool guarantees.
class Connection {
public:
    // Connects with `conninfo` (a postgres:// URL or key=value words) in
    // blocking mode, with connect_timeout=10, application_name=tessera and
    // client_encoding=UTF8 unless `conninfo` says otherwise. `unavailable`
    // when the server cannot be reached or refuses us.
    static Result<std::unique_ptr<Connection>> open(const std::string& conninfo);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // Runs one statement with `params` ($1 ...), results in binary format.
    // The statement is prepared under a name of its own on its first use on
    // this connection (its parameter types taken from `params`) and reused by
    // its text afterwards. Errors as database_error().
    Result<Rows> run(std::string_view sql, const Params& params = {});

    // Runs `sql`, which may hold several statements and no parameters, with
    // the simple query protocol (transaction control, migrations). Rows are
    // ignored; not cached.
    Result<void> execute(std::string_view sql);

    // The store operation errors name in their log_detail, until changed.
    void set_operation(std::string_view operation) { operation_ = operation; }

    // The SQLSTATE of the last failed call, empty after a success or a
    // failure without one (a lost connection). Cleared by clear_failure().
    const std::string& last_sqlstate() const { return last_sqlstate_; }
    void clear_failure() { last_sqlstate_.clear(); }

    // Whether the connection to the server is lost.
    bool is_broken() const;

    // For a connection that LISTENs (ChangeChannel): the socket to wait on
    // for input, and the payloads of the notifications that have arrived,
    // oldest first, read without blocking. `unavailable` when the
    // connection is lost.
    int socket() const;
    Result<std::vector<std::string>> take_notifications();
    // Whether a transaction is open (or failed and not yet rolled back).
    bool in_transaction() const;

private:
    explicit Connection(pg_conn* connection) : connection_(connection) {}
    // The error for a failed call, remembering its SQLSTATE; takes `result`.
    Error fail(pg_result* result);
    Result<std::string> prepared_name(std::string_view sql, const Params& params);

    pg_conn* connection_;
    std::map<std::string, std::string, std::less<>> prepared_;  // statement text -> name
    std::string operation_ = "query";
    std::string last_sqlstate_;
};

}  // namespace tessera::storage::postgres
