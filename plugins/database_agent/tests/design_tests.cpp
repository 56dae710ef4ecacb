// Generate mode: prose and JSON designs, types, keys, indexes, quoting and
// hostile input (checked on the SQL text here; real_database_tests runs it).
#include <catch2/catch.hpp>

#include "support.hpp"

using Catch::Matchers::Contains;
using dbtest::run;

namespace {

std::vector<std::string> tables_of(const std::string& task) {
    return dbagent::design_from_text(task, dbagent::Dialect::postgresql).entities.size()
               ? [&] {
                     std::vector<std::string> out;
                     for (const auto& e : dbagent::design_from_text(task, dbagent::Dialect::postgresql).entities)
                         out.push_back(e.table);
                     return out;
                 }()
               : std::vector<std::string>{};
}

}  // namespace

TEST_CASE("prose: relations become foreign keys and verbs never become tables", "[text]") {
    const auto spec = dbagent::design_from_text("users have many orders; orders have items", dbagent::Dialect::postgresql);
    std::vector<std::string> tables;
    for (const auto& e : spec.entities) tables.push_back(e.table);
    CHECK(tables == std::vector<std::string>{"users", "orders", "items"});
    REQUIRE(spec.relations.size() == 2);
    CHECK(spec.relations[0].from == "users");
    CHECK(spec.relations[0].to == "orders");
    CHECK(spec.relations[1].from == "orders");
    CHECK(spec.relations[1].to == "items");

    CHECK(tables_of("design a postgres schema for users and orders") == std::vector<std::string>{"users", "orders"});
    CHECK(tables_of("Each order belongs to a customer. A customer has many addresses.") ==
          std::vector<std::string>{"orders", "customers", "addresses"});
    CHECK(tables_of("Students and courses are many-to-many") == std::vector<std::string>{"students", "courses"});
    CHECK(tables_of("an order has a total and a status; users have many orders") ==
          std::vector<std::string>{"orders", "users"});
    CHECK(tables_of("tables: user, product, order line") == std::vector<std::string>{"users", "products", "order_lines"});
    CHECK(tables_of("I need a database for a blog with posts, comments and tags") ==
          std::vector<std::string>{"posts", "comments", "tags"});
    CHECK(tables_of("a schema for a library: books belong to authors") == std::vector<std::string>{"books", "authors"});
    CHECK(tables_of("create tables for the user and order entities") == std::vector<std::string>{"users", "orders"});
    CHECK(tables_of("users with email and name have many orders") == std::vector<std::string>{"users", "orders"});
    CHECK(tables_of("the the have has many and of").empty());
    CHECK(tables_of("write a migration adding a column").empty());
}

TEST_CASE("prose: fields, to-one references and many-to-many", "[text]") {
    auto spec = dbagent::design_from_text("an order has a total and a status; users have many orders",
                                          dbagent::Dialect::postgresql);
    REQUIRE(spec.entities[0].table == "orders");
    REQUIRE(spec.entities[0].fields.size() == 2);
    CHECK(spec.entities[0].fields[0].name == "total");
    CHECK(spec.entities[0].fields[1].name == "status");

    spec = dbagent::design_from_text("each post has an author; authors have many books", dbagent::Dialect::postgresql);
    REQUIRE(spec.relations.size() == 2);
    CHECK(spec.relations[0].from == "authors");  // a post has an author: posts.author_id
    CHECK(spec.relations[0].to == "posts");

    spec = dbagent::design_from_text("users (email, display name) have many orders", dbagent::Dialect::postgresql);
    REQUIRE(spec.entities[0].fields.size() == 2);
    CHECK(spec.entities[0].fields[1].name == "display_name");
    REQUIRE(spec.relations.size() == 1);
    CHECK(spec.relations[0].from == "users");
    CHECK(spec.relations[0].to == "orders");

    spec = dbagent::design_from_text("students and courses are many-to-many", dbagent::Dialect::postgresql);
    REQUIRE(spec.relations.size() == 1);
    CHECK(spec.relations[0].kind == dbagent::RelationKind::many_to_many);
    const auto schema = dbagent::design_schema(spec);
    const auto* join = schema.table("student_courses");
    REQUIRE(join != nullptr);
    CHECK(join->primary_key == std::vector<std::string>{"student_id", "course_id"});
}

TEST_CASE("generated PostgreSQL: keys, an index per foreign key, types, defaults, timestamps", "[generate]") {
    const auto out = run("{}", "users have many orders; orders have items");
    CHECK(out.mode == "generate");
    CHECK(out.dialect == dbagent::Dialect::postgresql);
    REQUIRE(out.artifacts.size() == 6);
    CHECK(out.artifacts[0].path == "migrations/0001_create_users.up.sql");
    CHECK(out.artifacts[1].path == "migrations/0001_create_users.down.sql");
    CHECK(out.artifacts[2].path == "migrations/0002_create_orders.up.sql");
    CHECK(out.artifacts[5].path == "migrations/0003_create_items.down.sql");
    for (const auto& a : out.artifacts) CHECK(a.media_type == "application/sql");
    const std::string users = out.artifacts[0].content;
    CHECK_THAT(users, Contains("id bigint GENERATED ALWAYS AS IDENTITY NOT NULL PRIMARY KEY"));
    CHECK_THAT(users, Contains("email text NOT NULL UNIQUE"));
    CHECK_THAT(users, Contains("created_at timestamptz NOT NULL DEFAULT now()"));
    CHECK_THAT(users, Contains("updated_at timestamptz NOT NULL DEFAULT now()"));
    const std::string orders = out.artifacts[2].content;
    CHECK_THAT(orders, Contains("user_id bigint NOT NULL"));
    CHECK_THAT(orders, Contains("FOREIGN KEY (user_id) REFERENCES users (id)"));
    CHECK_THAT(orders, Contains("CREATE INDEX IF NOT EXISTS idx_orders_user_id ON orders (user_id);"));
    CHECK_THAT(orders, Contains("total numeric(12,2) NOT NULL DEFAULT 0"));
    CHECK_THAT(orders, Contains("status text NOT NULL DEFAULT 'pending'"));
    CHECK_THAT(out.artifacts[4].content, Contains("CREATE INDEX IF NOT EXISTS idx_items_order_id ON items (order_id);"));
    CHECK_THAT(out.artifacts[3].content, Contains("DROP TABLE IF EXISTS orders;"));
    CHECK(out.tables == std::vector<std::string>{"users", "orders", "items"});
    CHECK_THAT(out.summary, Contains("3 tables"));
}

TEST_CASE("generated SQLite uses SQLite's types", "[generate]") {
    const auto out = run(R"~({"dialect":"sqlite","entities":[{"name":"accounts","fields":["email","is_active","balance","opened_on"]}]})~");
    CHECK(out.dialect == dbagent::Dialect::sqlite);
    const std::string sql = out.artifacts[0].content;
    CHECK_THAT(sql, Contains("id integer PRIMARY KEY"));
    CHECK_THAT(sql, Contains("is_active integer NOT NULL DEFAULT 0 CHECK (is_active IN (0, 1))"));
    CHECK_THAT(sql, Contains("balance numeric NOT NULL"));
    CHECK_THAT(sql, Contains("created_at text NOT NULL DEFAULT CURRENT_TIMESTAMP"));
    CHECK(run("{}", "an sqlite schema for users and orders").dialect == dbagent::Dialect::sqlite);
}

TEST_CASE("JSON entities: explicit types, nullability, defaults and relations", "[generate]") {
    const auto out = run(R"~({"entities":[
        {"name":"customers","fields":[{"name":"email","type":"varchar(320)","unique":true},
                                       {"name":"nickname","nullable":true},{"name":"tier","default":"free"}]},
        {"name":"invoices","fields":{"amount":"decimal(10,2)","paid":"boolean","meta":"json"}}],
      "relations":[{"from":"invoices","to":"customers","type":"belongs_to","on_delete":"cascade"}]})~");
    const std::string customers = out.artifacts[0].content;
    CHECK_THAT(customers, Contains("email varchar(320) NOT NULL UNIQUE"));
    CHECK_THAT(customers, Contains("nickname text,"));
    CHECK_THAT(customers, Contains("tier text NOT NULL DEFAULT 'free'"));
    const std::string invoices = out.artifacts[2].content;
    CHECK_THAT(invoices, Contains("amount numeric(10,2) NOT NULL"));
    CHECK_THAT(invoices, Contains("paid boolean NOT NULL DEFAULT false"));
    CHECK_THAT(invoices, Contains("meta jsonb NOT NULL"));
    CHECK_THAT(invoices, Contains("REFERENCES customers (id) ON DELETE CASCADE"));
    CHECK_THAT(invoices, Contains("idx_invoices_customer_id"));
}

TEST_CASE("SQL keywords as names are quoted", "[generate]") {
    const auto out = run(R"~({"entities":[{"name":"user","fields":["select","from"]},{"name":"order","fields":["desc"]}],
        "relations":[{"from":"user","to":"order"}]})~");
    CHECK_THAT(out.artifacts[0].content, Contains("CREATE TABLE \"user\""));
    CHECK_THAT(out.artifacts[0].content, Contains("\"select\" text NOT NULL"));
    CHECK_THAT(out.artifacts[2].content, Contains("CREATE TABLE \"order\""));
    CHECK_THAT(out.artifacts[2].content, Contains("REFERENCES \"user\" (id)"));
    CHECK_THAT(out.artifacts[2].content, Contains("\"desc\" text NOT NULL"));
    CHECK(dbagent::quote_identifier("orders") == "orders");
    CHECK(dbagent::quote_identifier("group") == "\"group\"");
    CHECK(dbagent::quote_identifier("Weird\"Name") == "\"Weird\"\"Name\"");
}

TEST_CASE("names: plurals, singulars and identifiers", "[names]") {
    CHECK(dbagent::plural("category") == "categories");
    CHECK(dbagent::plural("status") == "statuses");
    CHECK(dbagent::plural("address") == "addresses");
    CHECK(dbagent::plural("person") == "people");
    CHECK(dbagent::plural("order_item") == "order_items");
    CHECK(dbagent::plural("users") == "users");
    CHECK(dbagent::singular("categories") == "category");
    CHECK(dbagent::singular("addresses") == "address");
    CHECK(dbagent::singular("people") == "person");
    CHECK(dbagent::singular("status") == "status");
    CHECK(dbagent::identifier_of("Order Line-Items") == "order_line_items");
    CHECK(dbagent::identifier_of("createdAt") == "created_at");
    CHECK(dbagent::identifier_of("2fa codes") == "t_2fa_codes");
    CHECK(dbagent::identifier_of(std::string(300, 'x')).size() == 63);
    CHECK(dbagent::identifier_of("'; DROP TABLE x; --") == "drop_table_x");
}

TEST_CASE("bad input is an InputError naming the field", "[input]") {
    auto error_of = [](const std::string& context, const std::string& task = "") {
        try {
            run(context, task);
        } catch (const dbagent::InputError& e) {
            return std::string(e.what());
        } catch (const devkit::FieldError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    CHECK_THAT(error_of("{}", ""), Contains("task"));
    CHECK_THAT(error_of("{}", "   "), Contains("no entities"));
    CHECK_THAT(error_of(R"~({"entities":[]})~"), Contains("context.entities is empty"));
    CHECK_THAT(error_of(R"~({"entities":"users"})~"), Contains("context.entities must be an array"));
    CHECK_THAT(error_of(R"~({"entities":[{"fields":[]}]})~"), Contains("context.entities[0].name"));
    CHECK_THAT(error_of(R"~({"entities":[{"name":"%%%"}]})~"), Contains("context.entities[0].name"));
    CHECK_THAT(error_of(R"~({"entities":[{"name":"a"},{"name":"A"}]})~"), Contains("context.entities[1].name"));
    CHECK_THAT(error_of(R"~({"entities":[{"name":"a","fields":[{"name":"x","type":"blob of doom"}]}]})~"),
               Contains("unknown type"));
    CHECK_THAT(error_of(R"~({"entities":[{"name":"a","fields":[{"name":"x","type":"varchar(1); drop"}]}]})~"),
               Contains("malformed"));
    CHECK_THAT(error_of(R"~({"entities":[{"name":"a"}],"relations":[{"from":"a","to":"zzz"}]})~"),
               Contains("context.relations[0].to"));
    CHECK_THAT(error_of(R"~({"entities":[{"name":"a"}],"relations":[{"from":"a","to":"a","type":"sideways"}]})~"),
               Contains("context.relations[0].type"));
    CHECK_THAT(error_of(R"~({"dialect":"oracle","entities":[{"name":"a"}]})~"), Contains("context.dialect"));
    CHECK_THAT(error_of(R"~({"mode":"explode"})~", "users"), Contains("context.mode"));
    CHECK_THAT(error_of(R"~({"first_number":0,"entities":[{"name":"a"}]})~"), Contains("context.first_number"));
    CHECK_THAT(error_of(R"~({"relations":[]})~", "users have orders"), Contains("context.relations needs"));
}

TEST_CASE("hostile sizes: hundreds of entities, long and odd names", "[input]") {
    std::string entities = "[";
    for (int i = 0; i < 200; ++i) entities += std::string(i ? "," : "") + "{\"name\":\"t" + std::to_string(i) + "\"}";
    entities += "]";
    const auto out = run(R"~({"entities":)~" + entities + "}");
    CHECK(out.artifacts.size() == 400);
    CHECK(out.artifacts[399].path == "migrations/0200_create_t199.down.sql");
    entities.insert(entities.size() - 1, R"~(,{"name":"one_too_many"})~");
    CHECK_THROWS_AS(run(R"~({"entities":)~" + entities + "}"), dbagent::InputError);

    std::string prose;
    for (int i = 0; i < 300; ++i) prose += "things" + std::to_string(i) + " have many widgets" + std::to_string(i) + ". ";
    CHECK_THROWS_WITH(run("{}", prose), Contains("more than 200"));
    CHECK_THROWS_AS(run("{}", std::string(100000, 'a')), dbagent::InputError);  // one long word: no table
}
