#pragma once

#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "base/result.hpp"
#include "storage/sqlite/connection.hpp"
#include "storage/sqlite/database_error.hpp"

namespace tessera::storage::sqlite {

struct DatabaseOptions {
    // Connections a file database may hold open at once; ":memory:" always has
    // exactly one, since separate in-memory connections do not share data.
    int max_connections = 4;
    // How long SQLite waits for a lock (busy_timeout), and how long a call
    // waits for a free connection before returning `unavailable`.
    int busy_timeout_ms = 5000;
    // Page cache of the file database's writer connection, in KiB: the hot
    // right edges of the time-ordered b-trees, and the random digest index of
    // tokens without an id inside, stay in memory instead of being read back
    // from the file. 16 MiB measured best against 8 and 32 (bench/).
    int writer_cache_kib = 16 * 1024;
};

// An SQLite database with a small pool of connections. A file database runs
// in WAL mode with synchronous=NORMAL, so readers proceed while one writer
// commits; every connection has foreign_keys=ON and busy_timeout set.
//
// Thread-safe: any number of threads may call with_connection() and
// transaction() at once; each call has a connection to itself for its
// duration. The Database must outlive every call and every store using it.
class Database {
public:
    // Opens `path` (created when missing) or, for ":memory:", a private
    // in-memory database. Opens one connection now, so a bad path fails here:
    // `unavailable` if the file cannot be opened or locked, `internal` if this
    // SQLite lacks thread-safety or foreign keys.
    static Result<std::unique_ptr<Database>> open(const std::string& path,
                                                  DatabaseOptions options = {});
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // Runs `fn(Connection&)`, which returns a Result, on a pooled connection
    // in autocommit mode (each statement is its own transaction): for reads.
    // Returns fn's result; `unavailable` if no connection frees up in time.
    // An exception thrown by fn becomes `internal`. `fn` must not call back
    // into this Database (with one connection it would wait for itself).
    template <typename F>
    auto with_connection(F&& fn) -> std::invoke_result_t<F&, Connection&>;

    // As with_connection(), inside BEGIN IMMEDIATE ... COMMIT: the write lock
    // is taken up front, so the transaction cannot fail midway on a lock
    // upgrade. If fn returns an error or throws, or COMMIT fails, everything
    // fn wrote is rolled back.
    template <typename F>
    auto transaction(F&& fn) -> std::invoke_result_t<F&, Connection&>;

    bool is_memory() const { return !is_file_; }
    int max_connections() const { return max_connections_; }

private:
    // A connection borrowed from the pool; returned (rolled back if a
    // transaction is still open) when the Lease is destroyed.
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

    Database(std::string path, bool is_file, DatabaseOptions options);
    Result<Lease> acquire();
    void release(std::unique_ptr<Connection> connection) noexcept;
    // The file database's writer connection, opened on first use. Requires writer_.
    Result<Connection*> writer_connection();
    static Result<void> begin(Connection& connection);
    static Result<void> commit(Connection& connection);
    static void rollback(Connection& connection) noexcept;

    const std::string path_;
    const bool is_file_;
    const int max_connections_;
    const int busy_timeout_ms_;
    const int writer_cache_kib_;
    std::mutex mutex_;
    std::mutex writer_;  // held for the whole of each transaction() on a file
    std::unique_ptr<Connection> writer_connection_;  // guarded by writer_; opened on first use
    std::condition_variable available_;
    std::vector<std::unique_ptr<Connection>> idle_;  // guarded by mutex_
    int open_count_ = 0;                             // guarded by mutex_; idle + leased
};

template <typename F>
auto Database::with_connection(F&& fn) -> std::invoke_result_t<F&, Connection&> {
    try {
        auto lease = acquire();
        if (!lease.has_value()) return std::move(lease).error();
        return fn(lease->connection());
    } catch (const std::exception& e) {
        return exception_error(e.what());
    } catch (...) {
        return exception_error("unknown exception");
    }
}

template <typename F>
auto Database::transaction(F&& fn) -> std::invoke_result_t<F&, Connection&> {
    using R = std::invoke_result_t<F&, Connection&>;
    if (is_file_) {
        // A file database has one writer connection, used by one transaction
        // at a time: its page cache stays warm (a pooled connection's cache
        // is invalidated by every write made through another, which then
        // re-reads each page), and no writer of ours sleeps in SQLite's busy
        // handler waiting for another.
        std::lock_guard writing(writer_);
        Connection* connection = nullptr;
        try {
            auto opened = writer_connection();
            if (!opened.has_value()) return std::move(opened).error();
            connection = *opened;
            if (auto begun = begin(*connection); !begun.has_value())
                return std::move(begun).error();
            R result = fn(*connection);
            if (!result.has_value()) {
                rollback(*connection);
                return result;
            }
            if (auto committed = commit(*connection); !committed.has_value()) {
                rollback(*connection);
                return std::move(committed).error();
            }
            return result;
        } catch (const std::exception& e) {
            if (connection) rollback(*connection);
            return exception_error(e.what());
        } catch (...) {
            if (connection) rollback(*connection);
            return exception_error("unknown exception");
        }
    }
    try {
        auto lease = acquire();
        if (!lease.has_value()) return std::move(lease).error();
        Connection& connection = lease->connection();
        if (auto begun = begin(connection); !begun.has_value()) return std::move(begun).error();
        R result = fn(connection);
        if (!result.has_value()) {
            rollback(connection);
            return result;
        }
        // On failure the Lease rolls back as it returns the connection.
        if (auto committed = commit(connection); !committed.has_value()) {
            return std::move(committed).error();
        }
        return result;
    } catch (const std::exception& e) {
        return exception_error(e.what());
    } catch (...) {
        return exception_error("unknown exception");
    }
}

}  // namespace tessera::storage::sqlite
