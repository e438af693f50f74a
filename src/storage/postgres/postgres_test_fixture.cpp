#include "storage/postgres/postgres_test_fixture.hpp"

#include <array>
#include <cstdlib>
#include <fstream>
#include <random>

#include "base/encoding.hpp"

namespace tessera::storage::postgres {
namespace {

// `conninfo` with `schema` first on its search_path, in its own form.
std::string with_search_path(const std::string& conninfo, const std::string& schema) {
    bool is_url = conninfo.starts_with("postgres://") || conninfo.starts_with("postgresql://");
    if (!is_url) return conninfo + " options='-csearch_path=" + schema + "'";
    char separator = conninfo.find('?') == std::string::npos ? '?' : '&';
    return conninfo + separator + "options=-csearch_path%3D" + schema;
}

}  // namespace

Result<std::string> test_server_conninfo() {
    if (const char* conninfo = std::getenv("TESSERA_TEST_POSTGRES"); conninfo && *conninfo)
        return std::string(conninfo);
    const char* file = std::getenv("TESSERA_TEST_POSTGRES_URL_FILE");
    std::string url;
    if (file != nullptr && *file != '\0') {
        std::ifstream in(file);
        std::getline(in, url);
    }
    if (!url.empty()) return url;
    std::string why =
        file != nullptr
            ? "the URL file " + std::string(file) +
                  " is missing or empty: the ctest fixture postgres_test_server_start failed or "
                  "did not run (is the postgresql package installed?)"
            : "neither TESSERA_TEST_POSTGRES nor TESSERA_TEST_POSTGRES_URL_FILE is set";
    return make_error(Code::unavailable,
                      "no PostgreSQL test server: " + why +
                          ". Run the tests with ctest (make test), which starts a throwaway "
                          "server with scripts/pg-test-server.sh from Debian's postgresql "
                          "package (make test-deps), or set "
                          "TESSERA_TEST_POSTGRES=postgres://USER@HOST:PORT/DB");
}

Result<std::unique_ptr<TestSchema>> TestSchema::create() {
    TESSERA_TRY_ASSIGN(std::string server, test_server_conninfo());
    std::array<std::uint8_t, 8> random{};
    std::random_device device;
    for (auto& byte : random) byte = static_cast<std::uint8_t>(device());

    std::unique_ptr<TestSchema> schema(new TestSchema());
    schema->name_ = "conformance_" + hex_encode(random);
    schema->conninfo_ = with_search_path(server, schema->name_);
    TESSERA_TRY_ASSIGN(schema->sql_, Connection::open(server));
    TESSERA_TRY(schema->sql_->execute("CREATE SCHEMA " + schema->name_));
    schema->created_ = true;
    TESSERA_TRY(schema->sql_->execute("SET search_path TO " + schema->name_));
    return schema;
}

TestSchema::~TestSchema() {
    if (created_) (void)sql_->execute("DROP SCHEMA " + name_ + " CASCADE");
}

void SchemaTest::SetUp() {
    auto schema = TestSchema::create();
    ASSERT_TRUE(schema.has_value())
        << schema.error().description << " " << schema.error().log_detail;
    schema_ = std::move(schema).value();
}

std::unique_ptr<Database> SchemaTest::open(DatabaseOptions options) {
    auto database = Database::open(schema_->conninfo(), options);
    EXPECT_TRUE(database.has_value()) << database.error().log_detail;
    return database.has_value() ? std::move(database).value() : nullptr;
}

}  // namespace tessera::storage::postgres
