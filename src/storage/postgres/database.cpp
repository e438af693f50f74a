#include "storage/postgres/database.hpp"

#include <algorithm>
#include <chrono>
#include <functional>
#include <thread>

namespace tessera::storage::postgres {
namespace {

constexpr std::string_view kBeginReadCommitted = "BEGIN ISOLATION LEVEL READ COMMITTED";
constexpr std::string_view kBeginSerializable = "BEGIN ISOLATION LEVEL SERIALIZABLE";
constexpr std::string_view kRollback = "ROLLBACK";

}  // namespace

Result<std::unique_ptr<Database>> Database::open(std::string conninfo, DatabaseOptions options) {
    try {
        std::unique_ptr<Database> database(new Database(std::move(conninfo), options));
        TESSERA_TRY_ASSIGN(auto first, Connection::open(database->conninfo_));
        database->idle_.push_back(std::move(first));
        database->open_count_ = 1;
        return database;
    } catch (const std::exception& e) {
        return exception_error(e.what());
    }
}

Database::Database(std::string conninfo, DatabaseOptions options)
    : conninfo_(std::move(conninfo)),
      max_connections_(std::max(1, options.max_connections)),
      acquire_timeout_ms_(std::max(0, options.acquire_timeout_ms)),
      max_attempts_(std::max(1, options.max_attempts)) {
    // release() must not allocate: it runs in destructors.
    idle_.reserve(static_cast<std::size_t>(max_connections_));
}

Database::~Database() = default;

Result<Database::Lease> Database::acquire(std::string_view operation) {
    std::unique_lock lock(mutex_);
    bool ready = available_.wait_for(lock, std::chrono::milliseconds(acquire_timeout_ms_), [this] {
        return !idle_.empty() || open_count_ < max_connections_;
    });
    if (!ready) {
        return make_error(Code::unavailable, "the database is unavailable",
                          "postgres " + std::string(operation) + ": no free connection within " +
                              std::to_string(acquire_timeout_ms_) + " ms");
    }
    if (!idle_.empty()) {
        std::unique_ptr<Connection> connection = std::move(idle_.back());
        idle_.pop_back();
        lock.unlock();
        connection->set_operation(operation);
        connection->clear_failure();
        return Lease(this, std::move(connection));
    }
    // Connect outside the lock; the slot is reserved meanwhile.
    ++open_count_;
    lock.unlock();
    Result<std::unique_ptr<Connection>> opened = make_error(Code::internal, "");
    try {
        opened = Connection::open(conninfo_);
    } catch (...) {
        opened = exception_error("opening a connection");
    }
    if (!opened.has_value()) {
        lock.lock();
        --open_count_;
        lock.unlock();
        available_.notify_one();
        return std::move(opened).error();
    }
    (*opened)->set_operation(operation);
    return Lease(this, std::move(opened).value());
}

void Database::release(std::unique_ptr<Connection> connection) noexcept {
    if (!connection->is_broken() && connection->in_transaction()) rollback(*connection);
    // Closed outside the lock: PQfinish talks to the server.
    std::unique_ptr<Connection> closing;
    {
        std::lock_guard lock(mutex_);
        if (connection->is_broken() || connection->in_transaction()) {
            closing = std::move(connection);
            --open_count_;
        } else {
            idle_.push_back(std::move(connection));
        }
    }
    available_.notify_one();
}

Result<void> Database::begin(Connection& connection, Isolation isolation) {
    return connection.execute(isolation == Isolation::serializable ? kBeginSerializable
                                                                   : kBeginReadCommitted);
}

void Database::rollback(Connection& connection) noexcept {
    try {
        (void)connection.execute(kRollback);
    } catch (...) {
        // release() checks in_transaction() afterwards and drops the connection.
    }
}

bool Database::may_retry(const Connection& connection, int attempt) const {
    return attempt < max_attempts_ && is_retryable(connection.last_sqlstate());
}

void Database::pause_before_retry(int attempt) {
    // 1, 2, 4 ... 32 ms, plus up to as much again so that two transactions
    // that failed each other do not meet again in step.
    auto base = std::chrono::milliseconds(1 << std::min(attempt - 1, 5));
    auto seed = std::hash<std::thread::id>{}(std::this_thread::get_id()) +
                static_cast<std::size_t>(attempt) * 7919;
    auto jitter = std::chrono::milliseconds(static_cast<long>(seed % (base.count() + 1)));
    std::this_thread::sleep_for(base + jitter);
}

}  // namespace tessera::storage::postgres
