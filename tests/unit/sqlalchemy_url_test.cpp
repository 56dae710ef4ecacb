// The seeds' DATABASE_URL read as SQLAlchemy reads it, while agenthost's own
// database.url (--database-url, AGENTHOST_DATABASE_URL) keeps its meaning.
#include "config/host_config.hpp"
#include "config/sqlalchemy_url.hpp"
#include "store/database.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>

using namespace agenthost;
using Catch::Matchers::Contains;

namespace {

HostConfig load() {
    const char* args[] = {"agenthost"};
    return load_config(1, args);
}

struct ScopedEnv {
    ScopedEnv(const char* name, const char* value) : name(name) { setenv(name, value, 1); }
    ~ScopedEnv() { unsetenv(name); }
    const char* name;
};

std::string translated(const std::string& url) { return database_url_from_sqlalchemy(url, "/srv/app"); }

}  // namespace

TEST_CASE("SQLAlchemy's three-slash SQLite URL is relative to the working directory and four slashes absolute") {
    CHECK(translated("sqlite:///./app.db") == "sqlite:/srv/app/app.db");
    CHECK(translated("sqlite:///app.db") == "sqlite:/srv/app/app.db");
    CHECK(translated("sqlite:///data/app.db") == "sqlite:/srv/app/data/app.db");
    CHECK(translated("sqlite:///../shared/app.db") == "sqlite:/srv/app/../shared/app.db");
    CHECK(translated("sqlite:////var/lib/app.db") == "sqlite:/var/lib/app.db");
}

TEST_CASE("SQLAlchemy driver suffixes and pysqlite's query options are dropped") {
    CHECK(translated("sqlite+aiosqlite:///./x.db") == "sqlite:/srv/app/x.db");
    CHECK(translated("sqlite+pysqlite:////tmp/x.db") == "sqlite:/tmp/x.db");
    CHECK(translated("sqlite:///./x.db?check_same_thread=false") == "sqlite:/srv/app/x.db");
    CHECK(translated("postgresql+asyncpg://u:p@db:5432/app") == "postgresql://u:p@db:5432/app");
    CHECK(translated("postgresql+psycopg2://u:p@db/app") == "postgresql://u:p@db/app");
    CHECK(translated("postgresql://u:p@db/app") == "postgresql://u:p@db/app");
    CHECK(translated("postgres://u:p@db/app") == "postgres://u:p@db/app");
    // Not SQLAlchemy's form, or another database: left for resolve_database.
    CHECK(translated("sqlite:relative.db") == "sqlite:relative.db");
    CHECK(translated("mysql+pymysql://u:p@db/app") == "mysql+pymysql://u:p@db/app");
}

TEST_CASE("a SQLAlchemy SQLite URL naming no file or a host is refused") {
    for (const char* url : {"sqlite://", "sqlite:///", "sqlite:///:memory:", "sqlite+aiosqlite://"})
        CHECK_THROWS_WITH(translated(url), Contains("in-memory"));
    CHECK_THROWS_WITH(translated("sqlite://host/app.db"), Contains("names a host"));
}

TEST_CASE("DATABASE_URL is read with SQLAlchemy's meaning while agenthost's own names keep theirs") {
    std::string cwd = std::filesystem::current_path().string();
    {
        ScopedEnv url("DATABASE_URL", "sqlite:///./alt2.db");
        CHECK(load().database_url == "sqlite:" + cwd + "/alt2.db");
        auto settings = store::resolve_database(load().database_url, "");
        CHECK(settings.sqlite_path == cwd + "/alt2.db");
        CHECK(settings.display == "sqlite:" + cwd + "/alt2.db");
    }
    {
        ScopedEnv url("DATABASE_URL", "sqlite+aiosqlite:///x.db");
        CHECK(store::resolve_database(load().database_url, "").sqlite_path == cwd + "/x.db");
    }
    {
        ScopedEnv url("DATABASE_URL", "sqlite://");
        CHECK_THROWS_WITH(load(), Contains("DATABASE_URL") && Contains("in-memory"));
    }
    {
        // An operator's sqlite:///var/lib/x.db has always opened /var/lib/x.db.
        ScopedEnv ours("AGENTHOST_DATABASE_URL", "sqlite:///var/lib/x.db");
        CHECK(store::resolve_database(load().database_url, "").sqlite_path == "/var/lib/x.db");
        const char* args[] = {"agenthost", "--database-url", "sqlite:///var/lib/y.db"};
        CHECK(store::resolve_database(load_config(3, args).database_url, "").sqlite_path == "/var/lib/y.db");
    }
}

TEST_CASE("resolve_database names a relative SQLite file by its absolute path") {
    std::string cwd = std::filesystem::current_path().string();
    CHECK(store::resolve_database("sqlite:rel.db", "").sqlite_path == cwd + "/rel.db");
    CHECK(store::resolve_database("", "data").display == "sqlite:" + cwd + "/data/agenthost.db");
}
