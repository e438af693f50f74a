// TLS to the database when the connection string asks for it (sslmode):
// the throwaway server of scripts/pg-test-server.sh offers TLS with the
// self-signed certificate it leaves in DIR/ca.crt, and DIR/other-ca.crt is
// a certificate of another authority.
#include <cstdlib>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "storage/postgres/database.hpp"
#include "storage/postgres/postgres_test_fixture.hpp"

namespace tessera::storage::postgres {
namespace {

class PostgresTls : public ::testing::Test {
protected:
    void SetUp() override {
        const char* url_file = std::getenv("TESSERA_TEST_POSTGRES_URL_FILE");
        ASSERT_NE(url_file, nullptr)
            << "needs the throwaway server of scripts/pg-test-server.sh (ctest's fixture)";
        ca_ = std::filesystem::path(url_file).parent_path() / "ca.crt";
        ASSERT_TRUE(std::filesystem::exists(ca_)) << ca_;
        auto conninfo = test_server_conninfo();
        ASSERT_TRUE(conninfo.has_value()) << conninfo.error().description;
        base_ = *conninfo;
        auto at = base_.find("sslmode=disable");
        ASSERT_NE(at, std::string::npos) << base_;
        base_.erase(at, std::string("sslmode=disable").size());
        if (base_.back() == '?' || base_.back() == '&') base_.pop_back();
    }

    // `base_` with these query parameters.
    std::string with(const std::string& query) const {
        return base_ + (base_.find('?') == std::string::npos ? '?' : '&') + query;
    }

    // Whether this session of `database` runs over TLS.
    static bool encrypted(Database& database) {
        auto ssl = database.read("ssl", [](Connection& c) -> Result<bool> {
            TESSERA_TRY_ASSIGN(Rows rows,
                               c.run("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"));
            return rows.row(0).boolean(0);
        });
        EXPECT_TRUE(ssl.has_value()) << ssl.error().log_detail;
        return ssl.has_value() && *ssl;
    }

    std::filesystem::path ca_;
    std::string base_;
};

TEST_F(PostgresTls, VerifyFullWithTheServersCertificateConnectsOverTls) {
    auto database = Database::open(with("sslmode=verify-full&sslrootcert=" + ca_.string()));
    ASSERT_TRUE(database.has_value()) << database.error().log_detail;
    EXPECT_TRUE(encrypted(**database));
}

TEST_F(PostgresTls, ACertificateFromAnotherAuthorityIsRefused) {
    auto other = ca_.parent_path() / "other-ca.crt";
    ASSERT_TRUE(std::filesystem::exists(other)) << other;
    auto database = Database::open(with("sslmode=verify-full&sslrootcert=" + other.string()));
    ASSERT_FALSE(database.has_value());
    EXPECT_EQ(database.error().code, Code::unavailable);
}

TEST_F(PostgresTls, WithoutTlsTheSessionIsPlain) {
    auto database = Database::open(with("sslmode=disable"));
    ASSERT_TRUE(database.has_value()) << database.error().log_detail;
    EXPECT_FALSE(encrypted(**database));
}

}  // namespace
}  // namespace tessera::storage::postgres
