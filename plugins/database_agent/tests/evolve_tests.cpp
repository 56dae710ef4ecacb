// Evolve mode: the diff between two schemas as migrations, and changes
// asked for in prose.
#include <catch2/catch.hpp>

#include "support.hpp"

using Catch::Matchers::Contains;
using dbtest::run;

namespace {

const char* current_pg = R"~(
CREATE TABLE users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL UNIQUE,
    legacy_code varchar(20),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE audit_log (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, message text);
)~";

const char* target_pg = R"~(
CREATE TABLE users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL UNIQUE,
    phone text,
    country text NOT NULL DEFAULT 'NL',
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_users_country ON users (country);
CREATE TABLE orders (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES users (id),
    total numeric(12,2) NOT NULL DEFAULT 0
);
CREATE INDEX idx_orders_user_id ON orders (user_id);
)~";

}  // namespace

TEST_CASE("the DDL reader reads tables, keys and indexes", "[ddl]") {
    const auto schema = dbagent::parse_schema(target_pg, "x");
    REQUIRE(schema.tables.size() == 2);
    const auto* users = schema.table("users");
    REQUIRE(users != nullptr);
    CHECK(users->primary_key == std::vector<std::string>{"id"});
    CHECK(users->column("country")->default_sql == "'NL'");
    CHECK(users->column("country")->not_null);
    CHECK(users->column("email")->unique);
    const auto* orders = schema.table("orders");
    REQUIRE(orders->foreign_keys.size() == 1);
    CHECK(orders->foreign_keys[0].table == "users");
    CHECK(orders->column("total")->type == "numeric(12,2)");
    REQUIRE(schema.indexes.size() == 2);
    CHECK_THROWS_WITH(dbagent::parse_schema("SELECT 1;", "context.current_schema"),
                      Contains("context.current_schema holds no CREATE TABLE"));
    CHECK_THROWS_WITH(dbagent::parse_schema("CREATE TABLE (", "context.target_schema"),
                      Contains("context.target_schema"));
    const auto quoted = dbagent::parse_schema("CREATE TABLE \"order\" (\"desc\" text, id integer PRIMARY KEY);", "x");
    CHECK(quoted.tables[0].name == "order");
    CHECK(quoted.tables[0].columns[0].name == "desc");
}

TEST_CASE("evolve: add and drop tables, columns and indexes; PostgreSQL indexes CONCURRENTLY", "[evolve]") {
    rapidjson::Document context(rapidjson::kObjectType);
    context.AddMember("current_schema", rapidjson::StringRef(current_pg), context.GetAllocator());
    context.AddMember("target_schema", rapidjson::StringRef(target_pg), context.GetAllocator());
    const auto out = dbagent::handle(context, "");
    CHECK(out.mode == "evolve");
    std::vector<std::string> paths;
    for (const auto& a : out.artifacts) paths.push_back(a.path);
    CHECK(paths == std::vector<std::string>{
                       "migrations/0001_create_orders.up.sql", "migrations/0001_create_orders.down.sql",
                       "migrations/0002_add_phone_country_to_users.up.sql",
                       "migrations/0002_add_phone_country_to_users.down.sql",
                       "migrations/0003_add_index_idx_users_country.up.sql",
                       "migrations/0003_add_index_idx_users_country.down.sql",
                       "migrations/0004_drop_legacy_code_from_users.up.sql",
                       "migrations/0004_drop_legacy_code_from_users.down.sql", "migrations/0005_drop_audit_log.up.sql",
                       "migrations/0005_drop_audit_log.down.sql"});
    CHECK_THAT(out.artifacts[2].content, Contains("ALTER TABLE users ADD COLUMN phone text;"));
    CHECK_THAT(out.artifacts[2].content, Contains("ALTER TABLE users ADD COLUMN country text NOT NULL DEFAULT 'NL';"));
    CHECK_THAT(out.artifacts[3].content, Contains("ALTER TABLE users DROP COLUMN phone;"));
    CHECK_THAT(out.artifacts[4].content, Contains("CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_users_country ON users (country);"));
    CHECK_THAT(out.artifacts[4].content, Contains("outside a transaction"));
    CHECK_THAT(out.artifacts[5].content, Contains("DROP INDEX CONCURRENTLY IF EXISTS idx_users_country;"));
    CHECK_THAT(out.artifacts[6].content, Contains("ALTER TABLE users DROP COLUMN legacy_code;"));
    CHECK_THAT(out.artifacts[7].content, Contains("ALTER TABLE users ADD COLUMN legacy_code varchar(20);"));
    CHECK_THAT(out.artifacts[9].content, Contains("CREATE TABLE audit_log"));
    CHECK(out.warnings.size() == 2);  // a dropped column and a dropped table
    // Its own review flags only what is risky on purpose: the drops.
    std::vector<dbagent::MigrationFile> files;
    for (const auto& a : out.artifacts) files.push_back({a.path, a.content});
    std::set<std::string> rules;
    for (const auto& f : dbagent::review_migrations(files, dbagent::Dialect::postgresql)) rules.insert(f.rule);
    CHECK(rules == std::set<std::string>{"drop-column", "drop-table"});
}

TEST_CASE("evolve: a NOT NULL column without a default is added NULL, with a warning", "[evolve]") {
    const auto out = run(R"~({"current_schema":"CREATE TABLE t (id integer PRIMARY KEY);",
        "target_schema":"CREATE TABLE t (id integer PRIMARY KEY, code text NOT NULL, at timestamptz DEFAULT now());",
        "dialect":"sqlite"})~");
    CHECK_THAT(out.artifacts[0].content, Contains("ALTER TABLE t ADD COLUMN code text;"));
    CHECK_THAT(out.artifacts[0].content, Contains("ALTER TABLE t ADD COLUMN at timestamptz;"));  // SQLite: constant defaults only
    REQUIRE(out.warnings.size() == 2);
    CHECK_THAT(out.warnings[0], Contains("backfill"));
    CHECK(run(R"~({"current_schema":"CREATE TABLE t (id int PRIMARY KEY);","target_schema":"CREATE TABLE t (id integer PRIMARY KEY);"})~")
              .artifacts.empty());
}

TEST_CASE("evolve from prose: add a column, add an index, drop a column", "[evolve]") {
    auto out = run("{}", "Write a migration adding a column phone to users");
    CHECK(out.mode == "evolve");
    REQUIRE(out.artifacts.size() == 2);
    CHECK(out.artifacts[0].path == "migrations/0001_add_phone_to_users.up.sql");
    CHECK_THAT(out.artifacts[0].content, Contains("ALTER TABLE users ADD COLUMN phone text;"));
    CHECK_THAT(out.artifacts[1].content, Contains("ALTER TABLE users DROP COLUMN phone;"));

    out = run(R"~({"current_schema":"CREATE TABLE \"order\" (id bigint PRIMARY KEY, status text);","first_number":7})~",
              "add a required column shipped_at of type timestamp to order and an index on order (status)");
    CHECK(out.artifacts[0].path == "migrations/0007_add_shipped_at_to_order.up.sql");
    CHECK_THAT(out.artifacts[0].content, Contains("ALTER TABLE \"order\" ADD COLUMN shipped_at timestamptz;"));
    CHECK_THAT(out.artifacts[2].content, Contains("CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_order_status ON \"order\" (status);"));

    out = run(R"~({"current_schema":"CREATE TABLE users (id bigint PRIMARY KEY, legacy text);"})~",
              "drop the column legacy from users");
    CHECK_THAT(out.artifacts[0].content, Contains("ALTER TABLE users DROP COLUMN legacy;"));
    CHECK_THAT(out.artifacts[1].content, Contains("ALTER TABLE users ADD COLUMN legacy text;"));

    out = run("{}", "add a column " + std::string(15000, 'x') + " to users");
    CHECK_THAT(out.artifacts[0].content, Contains("ADD COLUMN " + std::string(63, 'x') + " text;"));
    CHECK_THROWS_WITH(run(R"~({"current_schema":"CREATE TABLE users (id int);"})~", "make it better"),
                      Contains("context.target_schema"));
}
