#include "support/test_database.hpp"

#include <array>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <stdexcept>
#include <vector>

#include "base/encoding.hpp"
#include "storage/postgres/connection.hpp"
#include "storage/postgres/postgres_test_fixture.hpp"

namespace tessera::testing {
namespace {

namespace pg = storage::postgres;

[[noreturn]] void fail(const std::string& what, const Error& error) {
    throw std::runtime_error(what + ": " + error.description + " " + error.log_detail);
}

// `conninfo` (a postgres:// URL or libpq key=value words) naming database
// `name` instead: a later dbname wins in both forms.
std::string with_database(const std::string& conninfo, const std::string& name) {
    bool is_url = conninfo.starts_with("postgres://") || conninfo.starts_with("postgresql://");
    if (!is_url) return conninfo + " dbname=" + name;
    char separator = conninfo.find('?') == std::string::npos ? '?' : '&';
    return conninfo + separator + "dbname=" + name;
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

Backend test_backend() {
    const char* value = std::getenv("TESSERA_TEST_DATABASE");
    std::string backend = value != nullptr ? value : "";
    if (backend.empty() || backend == "sqlite") return Backend::sqlite;
    if (backend == "postgres") return Backend::postgres;
    throw std::runtime_error("TESSERA_TEST_DATABASE=" + backend +
                             ": expected sqlite or postgres");
}

TestDatabase::TestDatabase(const std::filesystem::path& folder) : backend_(test_backend()) {
    if (backend_ == Backend::sqlite) {
        file_ = folder / "tessera.db";
        url_ = "sqlite://" + file_.string();
        return;
    }
    auto server = pg::test_server_conninfo();
    if (!server) fail("PostgreSQL test server", server.error());
    auto admin = pg::Connection::open(*server);
    if (!admin) fail("connect to the PostgreSQL test server", admin.error());
    admin_ = std::move(*admin);
    std::array<std::uint8_t, 8> random{};
    std::random_device device;
    for (auto& byte : random) byte = static_cast<std::uint8_t>(device());
    std::string name = "tessera_test_" + hex_encode(random);
    if (auto created = admin_->execute("CREATE DATABASE " + name); !created)
        fail("CREATE DATABASE", created.error());
    name_ = name;
    url_ = with_database(*server, name_);
}

TestDatabase::~TestDatabase() {
    // WITH (FORCE): a connection a test left open must not keep it.
    if (admin_ && !name_.empty()) (void)admin_->execute("DROP DATABASE " + name_ + " WITH (FORCE)");
}

std::string TestDatabase::stored_bytes() const {
    if (backend_ == Backend::sqlite) {
        return read_file(file_) + read_file(file_.string() + "-wal");
    }
    auto connection = pg::Connection::open(url_);
    if (!connection) fail("connect to " + name_, connection.error());
    auto columns = (*connection)->run(
        "SELECT table_name::text, column_name::text, data_type::text "
        "FROM information_schema.columns WHERE table_schema = current_schema() "
        "ORDER BY table_name, ordinal_position");
    if (!columns) fail("list columns", columns.error());
    // Each column as bytea: its own bytes, or its text's.
    std::map<std::string, std::vector<std::string>> tables;
    for (int i = 0; i < columns->size(); ++i) {
        auto row = columns->row(i);
        std::string column = "\"" + row.text(1) + "\"";
        tables[row.text(0)].push_back(row.text(2) == "bytea"
                                          ? column
                                          : "convert_to(" + column + "::text, 'UTF8')");
    }
    std::string bytes;
    for (const auto& [table, selected] : tables) {
        std::string sql = "SELECT ";
        for (std::size_t i = 0; i < selected.size(); ++i) sql += (i ? ", " : "") + selected[i];
        sql += " FROM \"" + table + "\"";
        auto rows = (*connection)->run(sql);
        if (!rows) fail("read " + table, rows.error());
        for (int r = 0; r < rows->size(); ++r) {
            auto row = rows->row(r);
            for (std::size_t c = 0; c < selected.size(); ++c) {
                int column = static_cast<int>(c);
                if (!row.is_null(column)) bytes += row.text(column) + '\n';
            }
        }
    }
    return bytes;
}

}  // namespace tessera::testing
