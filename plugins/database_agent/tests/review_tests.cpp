// Review mode: each rule caught on a fixture, quiet on safe migrations.
#include <catch2/catch.hpp>

#include "support.hpp"

using Catch::Matchers::Contains;
using dbagent::Dialect;

namespace {

std::vector<dbagent::Finding> review(const std::string& up, Dialect dialect = Dialect::postgresql,
                                     const std::string& down = "SELECT 1;") {
    return dbagent::review_migrations({{"migrations/0002_change.up.sql", up}, {"migrations/0002_change.down.sql", down}},
                                      dialect);
}

std::vector<std::string> rules(const std::vector<dbagent::Finding>& findings) {
    std::vector<std::string> out;
    for (const auto& f : findings) out.push_back(f.rule);
    return out;
}

}  // namespace

TEST_CASE("each rule is caught, with why and the safe alternative", "[review]") {
    struct Case {
        const char* sql;
        const char* rule;
    };
    const Case cases[] = {
        {"ALTER TABLE users ADD COLUMN age integer NOT NULL;", "not-null-without-default"},
        {"CREATE INDEX idx_users_email ON users (email);", "create-index-not-concurrently"},
        {"CREATE UNIQUE INDEX IF NOT EXISTS u ON public.users USING btree (email);", "create-index-not-concurrently"},
        {"ALTER TABLE users DROP COLUMN legacy;", "drop-column"},
        {"ALTER TABLE users RENAME COLUMN name TO full_name;", "rename-column"},
        {"ALTER TABLE users RENAME TO customers;", "rename-table"},
        {"ALTER TABLE users ALTER COLUMN id TYPE bigint;", "alter-column-type"},
        {"ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();", "volatile-default"},
        {"ALTER TABLE users ALTER COLUMN email SET NOT NULL;", "set-not-null"},
        {"ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id);", "constraint-validation-lock"},
        {"ALTER TABLE orders ADD COLUMN coupon_id bigint REFERENCES coupons (id);", "foreign-key-without-index"},
        {"CREATE TABLE items (id bigint PRIMARY KEY, order_id bigint NOT NULL REFERENCES orders (id));",
         "foreign-key-without-index"},
        {"DROP TABLE sessions;", "drop-table"},
        {"CREATE INDEX CONCURRENTLY i ON users (email);\nALTER TABLE users ADD COLUMN x text;", "concurrently-in-transaction"},
    };
    for (const auto& c : cases) {
        const auto findings = review(c.sql);
        INFO(c.sql);
        const auto found = rules(findings);
        CHECK(std::find(found.begin(), found.end(), c.rule) != found.end());
        for (const auto& f : findings) {
            CHECK(!f.why.empty());
            CHECK(!f.safe_alternative.empty());
            CHECK(f.file == "migrations/0002_change.up.sql");
        }
    }
}

TEST_CASE("narrowing a type is caught when the old type is known or the new one bounded", "[review]") {
    auto found = rules(review("CREATE TABLE t (id bigint PRIMARY KEY, code text, n bigint);\n"
                              "ALTER TABLE t ALTER COLUMN code TYPE varchar(10);\nALTER TABLE t ALTER COLUMN n TYPE integer;"));
    CHECK(std::count(found.begin(), found.end(), "narrowing-type") == 2);
    CHECK(std::count(found.begin(), found.end(), "alter-column-type") == 0);  // the table is new here
    found = rules(review("ALTER TABLE accounts ALTER COLUMN balance SET DATA TYPE numeric(8,2);"));
    CHECK(std::count(found.begin(), found.end(), "narrowing-type") == 1);
    CHECK(std::count(found.begin(), found.end(), "alter-column-type") == 1);
    // Widening is not narrowing.
    found = rules(review("CREATE TABLE t (id integer PRIMARY KEY);\nALTER TABLE t ALTER COLUMN id TYPE bigint;"));
    CHECK(std::count(found.begin(), found.end(), "narrowing-type") == 0);
}

TEST_CASE("a missing or empty down migration is flagged", "[review]") {
    auto findings = dbagent::review_migrations({{"migrations/0001_a.up.sql", "CREATE TABLE a (id integer PRIMARY KEY);"},
                                                {"migrations/0002_b.up.sql", "CREATE TABLE b (id integer PRIMARY KEY);"},
                                                {"migrations/0002_b.down.sql", "-- nothing\n"}},
                                               Dialect::postgresql);
    REQUIRE(findings.size() == 2);
    CHECK(findings[0].rule == "missing-down-migration");
    CHECK(findings[0].file == "migrations/0001_a.up.sql");
    CHECK(findings[1].file == "migrations/0002_b.up.sql");
}

TEST_CASE("SQLite: no CONCURRENTLY rule, still NOT NULL without default", "[review]") {
    CHECK(review("CREATE INDEX i ON users (email);", Dialect::sqlite).empty());
    CHECK(rules(review("ALTER TABLE users ADD COLUMN age integer NOT NULL;", Dialect::sqlite)) ==
          std::vector<std::string>{"not-null-without-default"});
}

TEST_CASE("safe migrations pass quietly", "[review]") {
    const char* safe[] = {
        "CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, user_id bigint NOT NULL REFERENCES "
        "users (id), note text);\nCREATE INDEX idx_orders_user_id ON orders (user_id);",
        "ALTER TABLE users ADD COLUMN phone text;",
        "ALTER TABLE users ADD COLUMN active boolean NOT NULL DEFAULT true;",
        "ALTER TABLE users ADD COLUMN seen_at timestamptz DEFAULT now();",
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_users_email ON users (email);",
        "-- a comment ; with a semicolon\nCREATE TABLE \"order\" (id integer PRIMARY KEY, \"desc\" text DEFAULT 'a;b');",
        "CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN NEW.updated_at = now(); DROP TABLE x; RETURN NEW; END $$ "
        "LANGUAGE plpgsql;",
    };
    for (const char* sql : safe) {
        INFO(sql);
        const auto findings = review(sql);
        for (const auto& f : findings) INFO(f.rule << ": " << f.message);
        CHECK(findings.empty());
    }
    // A foreign key added NOT VALID, its index built CONCURRENTLY in a file of its own.
    CHECK(dbagent::review_migrations(
              {{"m/0003_fk.up.sql", "ALTER TABLE orders ADD CONSTRAINT fk_orders_user FOREIGN KEY (user_id) REFERENCES "
                                    "users (id) NOT VALID;"},
               {"m/0003_fk.down.sql", "ALTER TABLE orders DROP CONSTRAINT fk_orders_user;"},
               {"m/0004_idx.up.sql", "CREATE INDEX CONCURRENTLY idx_orders_user ON orders (user_id);"},
               {"m/0004_idx.down.sql", "DROP INDEX CONCURRENTLY idx_orders_user;"}},
              Dialect::postgresql)
              .empty());
    // What the agent generates passes its own review.
    const auto out = dbtest::run("{}", "users have many orders; orders have many line items; products have many line items");
    std::vector<dbagent::MigrationFile> files;
    for (const auto& a : out.artifacts) files.push_back({a.path, a.content});
    CHECK(dbagent::review_migrations(files, Dialect::postgresql).empty());
}

TEST_CASE("review through handle: formats of context.migrations and bad input", "[review]") {
    auto out = dbtest::run(R"~({"migrations":"ALTER TABLE users ADD COLUMN age integer NOT NULL;"})~");
    CHECK(out.mode == "review");
    REQUIRE(out.findings.size() == 1);
    CHECK(out.files_reviewed == 1);
    out = dbtest::run(R"~({"migrations":{"m/0001_x.up.sql":"DROP TABLE a;","m/0001_x.down.sql":"CREATE TABLE a (id int);"}})~");
    CHECK(rules(out.findings) == std::vector<std::string>{"drop-table"});
    CHECK_THROWS_WITH(dbtest::run(R"~({"migrations":[]})~"), Contains("context.migrations is empty"));
    CHECK_THROWS_WITH(dbtest::run(R"~({"migrations":"  -- nothing "})~"), Contains("no SQL statement"));
    CHECK_THROWS_WITH(dbtest::run(R"~({"migrations":[{"path":"a.sql"}]})~"), Contains("context.migrations[0].content"));
    CHECK_THROWS_WITH(dbtest::run(R"~({"migrations":42})~"), Contains("context.migrations must be"));
    CHECK_THROWS_WITH(dbtest::run(R"~({"mode":"review"})~"), Contains("context.migrations"));
    // Garbage is read without crashing.
    std::string junk;
    for (int i = 0; i < 2000; ++i) junk += "ALTER TABLE ( ) ADD ,, ; CREATE INDEX ON ; '";
    CHECK_NOTHROW(dbagent::review_migrations({{"x.sql", junk}}, Dialect::postgresql));
}
