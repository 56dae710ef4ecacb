// The bar: the real databases accept every artifact. Each generated
// migration set is applied up, down and up again on SQLite (libsqlite3,
// foreign keys on) and on the PostgreSQL test server
// (AGENTHOST_TEST_DATABASE_URL; without it those sections WARN and skip).
#include <catch2/catch.hpp>

#include "support.hpp"

using dbtest::files_of;
using dbtest::run;

namespace {

struct Design {
    const char* name;
    const char* context;  // without "dialect"
    const char* task;
};

const Design designs[] = {
    {"prose", "{}", "users have many orders; orders have items"},
    {"prose with conventions", "{}", "design a schema for users, orders, order items and products"},
    {"to-one and many-to-many", "{}",
     "each post has an author; authors have many posts; posts and tags are many-to-many; a user has one profile; "
     "users have many authors"},
    {"keywords as names",
     R"~({"entities":[{"name":"user","fields":["select","from","where"]},{"name":"order","fields":[{"name":"desc","type":"text"},{"name":"group","type":"integer"}]},
        {"name":"table","fields":["column"]}],
        "relations":[{"from":"user","to":"order"},{"from":"order","to":"table","type":"many_to_many"},{"from":"user","to":"table","type":"one_to_one"}]})~",
     ""},
    {"every type",
     R"~({"entities":[{"name":"samples","fields":[{"name":"a","type":"text"},{"name":"b","type":"varchar(30)"},{"name":"c","type":"integer"},
        {"name":"d","type":"bigint"},{"name":"e","type":"smallint"},{"name":"f","type":"numeric(10,3)"},{"name":"g","type":"money"},
        {"name":"h","type":"double"},{"name":"i","type":"boolean","default":true},{"name":"j","type":"date"},{"name":"k","type":"time"},
        {"name":"l","type":"timestamp","default":"now"},{"name":"m","type":"uuid","nullable":true},{"name":"n","type":"json","nullable":true},
        {"name":"o","type":"bytes","nullable":true},{"name":"p","default":"it's"},{"name":"q","type":"integer","default":-5}]}]})~",
     ""},
    {"self reference and a cycle",
     R"~({"entities":[{"name":"employees"},{"name":"departments"}],
        "relations":[{"from":"employees","to":"employees"},{"from":"departments","to":"employees"},
                     {"from":"employees","to":"departments","column":"head_id","optional":true}]})~",
     ""},
};

std::set<std::string> table_set(const dbagent::Outcome& out) { return {out.tables.begin(), out.tables.end()}; }

std::string with_dialect(const char* context, const char* dialect) {
    std::string json = context;
    json.insert(1, std::string("\"dialect\":\"") + dialect + "\"" + (json == "{}" ? "" : ","));
    return json;
}

}  // namespace

TEST_CASE("generated migrations apply up, down and up on SQLite", "[sqlite]") {
    for (const auto& design : designs) {
        SECTION(design.name) {
            const auto out = run(with_dialect(design.context, "sqlite"), design.task);
            dbtest::Sqlite db;
            dbtest::up_down_up(db, files_of(out), table_set(out));
            CHECK(db.integrity() == "");
        }
    }
}

TEST_CASE("generated migrations apply up, down and up on PostgreSQL", "[postgresql]") {
    if (dbtest::pg_url().empty()) {
        WARN("AGENTHOST_TEST_DATABASE_URL is not set: skipping the PostgreSQL checks "
             "(tools/pg-test-cluster start DIR PORT starts a server)");
        return;
    }
    for (const auto& design : designs) {
        SECTION(design.name) {
            const auto out = run(with_dialect(design.context, "postgresql"), design.task);
            dbtest::Postgres db;
            dbtest::up_down_up(db, files_of(out), table_set(out));
        }
    }
}

TEST_CASE("the schema works: rows go in with defaults, keys are enforced", "[sqlite][postgresql]") {
    const char* task = "users have many orders; orders have items";
    {
        const auto out = run(R"~({"dialect":"sqlite"})~", task);
        dbtest::Sqlite db;
        for (const auto& file : files_of(out).up) db.exec(file);
        db.exec("INSERT INTO users (email, name) VALUES ('a@example.com', 'A');");
        db.exec("INSERT INTO orders (user_id) VALUES (1);");
        CHECK(db.try_exec("INSERT INTO orders (user_id) VALUES (99);") != "");  // no such user
        CHECK(db.try_exec("INSERT INTO users (email, name) VALUES ('a@example.com', 'B');") != "");  // unique
    }
    if (dbtest::pg_url().empty()) return;
    const auto out = run("{}", task);
    dbtest::Postgres db;
    for (const auto& file : files_of(out).up) db.apply(file);
    db.exec("INSERT INTO users (email, name) VALUES ('a@example.com', 'A');");
    db.exec("INSERT INTO orders (user_id) SELECT id FROM users;");
    CHECK(db.count("SELECT count(*) FROM orders WHERE status = 'pending' AND created_at IS NOT NULL") == 1);
    CHECK(db.try_exec("INSERT INTO orders (user_id) VALUES (999999);") != "");
}

TEST_CASE("evolution migrations apply to a populated database, down and up again", "[sqlite][postgresql]") {
    const std::string current = R"~(CREATE TABLE users (id integer PRIMARY KEY, email text NOT NULL UNIQUE, legacy varchar(20), note text);
CREATE INDEX idx_users_note ON users (note);
CREATE TABLE audit (id integer PRIMARY KEY, message text);)~";
    const std::string target = R"~(CREATE TABLE users (id integer PRIMARY KEY, email text NOT NULL UNIQUE, phone text,
  country text NOT NULL DEFAULT 'NL', code text NOT NULL, note text);
CREATE INDEX idx_users_country ON users (country);
CREATE TABLE "order" (id integer PRIMARY KEY, user_id integer NOT NULL REFERENCES users (id), total numeric(12,2) NOT NULL DEFAULT 0);
CREATE INDEX idx_order_user_id ON "order" (user_id);)~";
    auto context = [&](const char* dialect) {
        rapidjson::Document doc(rapidjson::kObjectType);
        auto& a = doc.GetAllocator();
        doc.AddMember("dialect", rapidjson::StringRef(dialect), a);
        doc.AddMember("current_schema", rapidjson::Value(current.c_str(), a), a);
        doc.AddMember("target_schema", rapidjson::Value(target.c_str(), a), a);
        return doc;
    };
    const char* rows = "INSERT INTO users (id, email, legacy, note) VALUES (1, 'a@x', 'L1', 'n'), (2, 'b@x', NULL, NULL);"
                       "INSERT INTO audit (id, message) VALUES (1, 'hello');";
    SECTION("sqlite") {
        const auto out = dbagent::handle(context("sqlite"), "");
        dbtest::Sqlite db;
        db.exec(current);
        db.exec(rows);
        dbtest::up_down_up(db, files_of(out), {"users", "order"}, {"users", "audit"});
    }
    SECTION("postgresql") {
        if (dbtest::pg_url().empty()) {
            WARN("AGENTHOST_TEST_DATABASE_URL is not set: skipping the PostgreSQL evolution check");
            return;
        }
        const auto out = dbagent::handle(context("postgresql"), "");
        bool concurrent = false;
        for (const auto& a : out.artifacts) concurrent = concurrent || a.content.find("CONCURRENTLY") != std::string::npos;
        CHECK(concurrent);
        dbtest::Postgres db;
        db.exec(current);
        db.exec(rows);
        dbtest::up_down_up(db, files_of(out), {"users", "order"}, {"users", "audit"});
        CHECK(db.count("SELECT count(*) FROM users WHERE country = 'NL'") == 2);
    }
}

TEST_CASE("a migration from prose applies to an existing table", "[sqlite][postgresql]") {
    const char* task = "Write a migration adding a column phone to users and an index on users (phone)";
    {
        const auto out = run(R"~({"dialect":"sqlite"})~", task);
        dbtest::Sqlite db;
        db.exec("CREATE TABLE users (id integer PRIMARY KEY); INSERT INTO users DEFAULT VALUES;");
        dbtest::up_down_up(db, files_of(out), {"users"}, {"users"});
    }
    if (dbtest::pg_url().empty()) return;
    const auto out = run("{}", task);
    dbtest::Postgres db;
    db.exec("CREATE TABLE users (id bigint PRIMARY KEY); INSERT INTO users VALUES (1);");
    dbtest::up_down_up(db, files_of(out), {"users"}, {"users"});
}

TEST_CASE("two hundred tables apply on both databases", "[sqlite][postgresql]") {
    std::string entities = "[", relations = "[";
    for (int i = 0; i < 200; ++i) {
        entities += std::string(i ? "," : "") + "{\"name\":\"table " + std::to_string(i) + "\",\"fields\":[\"name\",\"is_on\"]}";
        if (i) relations += std::string(i > 1 ? "," : "") + "{\"from\":\"table " + std::to_string(i - 1) + "\",\"to\":\"table " +
                            std::to_string(i) + "\"}";
    }
    const std::string context = "{\"entities\":" + entities + "],\"relations\":" + relations + "]";
    {
        const auto out = run(context + ",\"dialect\":\"sqlite\"}");
        dbtest::Sqlite db;
        dbtest::up_down_up(db, files_of(out), table_set(out));
    }
    if (dbtest::pg_url().empty()) return;
    const auto out = run(context + "}");
    dbtest::Postgres db;
    dbtest::up_down_up(db, files_of(out), table_set(out));
}
