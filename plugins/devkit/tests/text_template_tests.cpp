#include <devkit/text_template.hpp>

#include <catch2/catch.hpp>

#include <stdexcept>

using devkit::render_template;
using devkit::TemplateValues;

TEST_CASE("values are filled in and sections kept or dropped by their flag") {
    TemplateValues v{{{"name", "inventory"}}, {{"db", true}, {"docker", false}}};
    CHECK(render_template("app {{name}}{{#db}} with db{{#docker}} and docker{{/docker}}{{/db}}.", v) ==
          "app inventory with db.");
    CHECK(render_template("{{^docker}}no docker{{/docker}}{{^db}}no db{{/db}}", v) == "no docker");
    CHECK(render_template("plain text, no tags", v) == "plain text, no tags");
}

TEST_CASE("a template naming what was not given is refused, never rendered with a hole") {
    TemplateValues v{{{"name", "x"}}, {{"db", true}}};
    CHECK_THROWS_AS(render_template("{{missing}}", v), std::logic_error);
    CHECK_THROWS_AS(render_template("{{#nope}}x{{/nope}}", v), std::logic_error);
    CHECK_THROWS_AS(render_template("{{#db}}never closed", v), std::logic_error);
    CHECK_THROWS_AS(render_template("{{#db}}x{{/name}}", v), std::logic_error);
    CHECK_THROWS_AS(render_template("{{/db}}", v), std::logic_error);
    CHECK_THROWS_AS(render_template("{{name", v), std::logic_error);
}

TEST_CASE("a brace before a tag is kept, for path templates") {
    TemplateValues v{{{"id", "item_id"}}, {}};
    CHECK(render_template("/items/{{{id}}}", v) == "/items/{item_id}");
    CHECK(render_template("{ {{id}} }", v) == "{ item_id }");
}
