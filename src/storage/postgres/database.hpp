#pragma once

#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "base/result.hpp"
#include "storage/postgres/connection.hpp"
#include "storage/postgres/database_error.hpp"

namespace tessera::storage::postgres {

struct DatabaseOptions {
    // Connections held open at most; more callers wait for a free one.
    int max_connections = 8;
    // How long a call waits for a free connection before `unavailable`.
    int acquire_timeout_ms = 5000;
    // How often a transaction runs when it keeps failing with a
    // serialization failure or a deadlock (then `unavailable`).
    int max_attempts = 10;
};

// How a transaction is isolated. read_committed suits the intent-level
// operations whose decision is one conditional UPDATE or DELETE (the row
// lock it takes makes a concurrent one wait and re-check) or that lock rows
// FOR UPDATE first; serializable is for read-then-write decisions over many
// rows (counting an account's clients), which may fail with 40001 and run
// again.
enum class Isolation { read_committed, serializable };

// A PostgreSQL database reached through a small, bounded pool of libpq
// connections, opened on demand and kept open.
//
// Thread-safe: any number of threads may call read() and transaction() at
// once; each call has a connection to itself for its duration. The Database
// must outlive every call and every store using it.
class Database {
public:
    // Opens one connection now, so a bad address or credentials fail here
    // (`unavailable`).
    static Result<std::unique_ptr<Database>> open(std::string conninfo,
                                                  DatabaseOptions options = {});
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // Runs `fn(Connection&)`, which returns a Result, on a pooled connection
    // in autocommit mode (each statement its own transaction): for reads.
    // `operation` names the call in error details. Returns fn's result;
    // `unavailable` if no connection frees up in time. An exception thrown by
    // fn becomes `internal`. `fn` must not call back into this Database.
    template <typename F>
    auto read(std::string_view operation, F&& fn) -> std::invoke_result_t<F&, Connection&>;

    // As read(), for a write that is one statement: autocommit makes it
    // atomic on its own, in one round trip instead of three (BEGIN, the
    // statement, COMMIT). For the hot single-row writes (issuing and revoking
    // a token); a write of more than one statement needs transaction().
    template <typename F>
    auto write_one(std::string_view operation, F&& fn) -> std::invoke_result_t<F&, Connection&> {
        return read(operation, std::forward<F>(fn));
    }

    // As read(), inside BEGIN ... COMMIT at `isolation`. If fn returns an
    // error or throws, or COMMIT fails, everything fn wrote is rolled back.
    // When the failure was a serialization failure or a deadlock (SQLSTATE
    // 40001/40P01), the whole transaction runs again, fn included, up to
    // max_attempts times with a short growing pause; so fn must have no
    // effect outside the database.
    template <typename F>
    auto transaction(std::string_view operation, F&& fn,
                     Isolation isolation = Isolation::read_committed)
        -> std::invoke_result_t<F&, Connection&>;

    int max_connections() const { return max_connections_; }

private:
    // A connection borrowed from the pool, given back (or closed, when it is
    // broken or stuck in a transaction) when the Lease is destroyed.
    class Lease {
    public:
        Lease(Database* database, std::unique_ptr<Connection> connection)
            : database_(database), connection_(std::move(connection)) {}
        Lease(Lease&& other) noexcept = default;
        Lease& operator=(Lease&&) = delete;
        ~Lease() {
            if (connection_) database_->release(std::move(connection_));
        }
        Connection& connection() { return *connection_; }

    private:
        Database* database_;
        std::unique_ptr<Connection> connection_;
    };

    Database(std::string conninfo, DatabaseOptions options);
    Result<Lease> acquire(std::string_view operation);
    void release(std::unique_ptr<Connection> connection) noexcept;
    static Result<void> begin(Connection& connection, Isolation isolation);
    static void rollback(Connection& connection) noexcept;
    // Whether a failed attempt may run again: its failure was 40001/40P01.
    bool may_retry(const Connection& connection, int attempt) const;
    static void pause_before_retry(int attempt);

    const std::string conninfo_;
    const int max_connections_;
    const int acquire_timeout_ms_;
    const int max_attempts_;
    std::mutex mutex_;
    std::condition_variable available_;
    std::vector<std::unique_ptr<Connection>> idle_;  // guarded by mutex_ (GUARDED_BY)
    int open_count_ = 0;  // idle + leased; guarded by mutex_ (GUARDED_BY)
};

template <typename F>
auto Database::read(std::string_view operation, F&& fn) -> std::invoke_result_t<F&, Connection&> {
    try {
        auto lease = acquire(operation);
        if (!lease.has_value()) return std::move(lease).error();
        return fn(lease->connection());
    } catch (const std::exception& e) {
        return exception_error(e.what());
    } catch (...) {
        return exception_error("unknown exception");
    }
}

template <typename F>
auto Database::transaction(std::string_view operation, F&& fn, Isolation isolation)
    -> std::invoke_result_t<F&, Connection&> {
    using R = std::invoke_result_t<F&, Connection&>;
    try {
        for (int attempt = 1;; ++attempt) {
            if (attempt > 1) pause_before_retry(attempt - 1);
            auto lease = acquire(operation);
            if (!lease.has_value()) return std::move(lease).error();
            Connection& connection = lease->connection();
            if (auto begun = begin(connection, isolation); !begun.has_value()) {
                // A pooled connection the server has dropped since its last
                // use: nothing ran, so try again on a fresh one.
                if (connection.is_broken() && attempt < max_attempts_) continue;
                return std::move(begun).error();
            }
            R result = fn(connection);
            if (!result.has_value()) {
                bool retry = may_retry(connection, attempt);
                rollback(connection);
                if (retry) continue;
                return result;
            }
            // A failed COMMIT ends the transaction (rolled back by the server).
            Result<void> committed = connection.execute("COMMIT");
            if (committed.has_value()) return result;
            if (may_retry(connection, attempt)) continue;
            return std::move(committed).error();
        }
    } catch (const std::exception& e) {
        return exception_error(e.what());
    } catch (...) {
        return exception_error("unknown exception");
    }
}

}  // namespace tessera::storage::postgres
