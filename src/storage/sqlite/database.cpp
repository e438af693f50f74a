#include "storage/sqlite/database.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>

namespace tessera::storage::sqlite {
namespace {

constexpr const char* kMemoryPath = ":memory:";
constexpr std::string_view kBegin = "BEGIN IMMEDIATE";
constexpr std::string_view kCommit = "COMMIT";
constexpr std::string_view kRollback = "ROLLBACK";

}  // namespace

Result<std::unique_ptr<Database>> Database::open(const std::string& path, DatabaseOptions options) {
    try {
        // The pool shares connections across threads (one at a time), which
        // needs an SQLite built thread-safe.
        if (sqlite3_threadsafe() == 0) {
            return make_error(Code::internal, "the database failed",
                              "sqlite open: this SQLite is built without thread-safety");
        }
        // An empty path is a private temporary database: like ":memory:",
        // each connection would see its own.
        bool is_file = path != kMemoryPath && !path.empty();
        std::unique_ptr<Database> database(new Database(path, is_file, options));
        TESSERA_TRY_ASSIGN(auto first, Connection::open(path, is_file, options.busy_timeout_ms));
        database->idle_.push_back(std::move(first));
        database->open_count_ = 1;
        return database;
    } catch (const std::exception& e) {
        return exception_error(e.what());
    }
}

Database::Database(std::string path, bool is_file, DatabaseOptions options)
    : path_(std::move(path)),
      is_file_(is_file),
      max_connections_(is_file ? std::max(1, options.max_connections) : 1),
      busy_timeout_ms_(std::max(0, options.busy_timeout_ms)),
      writer_cache_kib_(std::max(64, options.writer_cache_kib)) {
    // release() must not allocate: it runs in destructors.
    idle_.reserve(static_cast<std::size_t>(max_connections_));
}

Database::~Database() = default;

Result<Connection*> Database::writer_connection() {
    if (!writer_connection_) {
        TESSERA_TRY_ASSIGN(writer_connection_, Connection::open(path_, is_file_, busy_timeout_ms_));
        TESSERA_TRY(writer_connection_->execute("PRAGMA cache_size = -" +
                                                std::to_string(writer_cache_kib_)));
    }
    return writer_connection_.get();
}

Result<Database::Lease> Database::acquire() {
    std::unique_lock lock(mutex_);
    bool ready = available_.wait_for(lock, std::chrono::milliseconds(busy_timeout_ms_), [this] {
        return !idle_.empty() || open_count_ < max_connections_;
    });
    if (!ready) {
        return make_error(
            Code::unavailable, "the database is unavailable",
            "sqlite pool: no free connection within " + std::to_string(busy_timeout_ms_) + " ms");
    }
    if (!idle_.empty()) {
        std::unique_ptr<Connection> connection = std::move(idle_.back());
        idle_.pop_back();
        return Lease(this, std::move(connection));
    }
    // Open a new connection outside the lock; the slot is reserved meanwhile.
    ++open_count_;
    lock.unlock();
    Result<std::unique_ptr<Connection>> opened = make_error(Code::internal, "");
    try {
        opened = Connection::open(path_, is_file_, busy_timeout_ms_);
    } catch (...) {
        opened = exception_error("opening a connection");
    }
    if (!opened.has_value()) {
        lock.lock();
        --open_count_;
        available_.notify_one();
        return std::move(opened).error();
    }
    return Lease(this, std::move(opened).value());
}

void Database::release(std::unique_ptr<Connection> connection) noexcept {
    if (connection->in_transaction()) rollback(*connection);
    std::unique_ptr<Connection> broken;
    {
        std::lock_guard lock(mutex_);
        // A file connection stuck in a transaction is closed and later
        // reopened. The one in-memory connection holds the data, so it stays.
        if (connection->in_transaction() && is_file_) {
            broken = std::move(connection);
            --open_count_;
        } else {
            idle_.push_back(std::move(connection));
        }
    }
    available_.notify_one();
}

Result<void> Database::begin(Connection& connection) {
    TESSERA_TRY_ASSIGN(Statement statement, connection.prepare(kBegin));
    return statement.run();
}

Result<void> Database::commit(Connection& connection) {
    TESSERA_TRY_ASSIGN(Statement statement, connection.prepare(kCommit));
    return statement.run();
}

void Database::rollback(Connection& connection) noexcept {
    try {
        auto statement = connection.prepare(kRollback);
        if (statement.has_value()) (void)statement->run();
    } catch (...) {
        // release() checks in_transaction() afterwards and drops the connection.
    }
}

}  // namespace tessera::storage::sqlite
