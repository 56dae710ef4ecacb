// Tests for a Python module: its public functions read from the source,
// and the generated pytest file run against the module (passes) and a
// copy with the edge cases left unhandled (fails, naming the function).
#include "python_module.hpp"
#include "support.hpp"

using devkit::testing::Scratch;
using support::content;
using support::fixture;
using support::json_string;
using support::request;

TEST_CASE("public functions and their signatures are read from the source") {
    const auto functions = testgen::public_functions(fixture("textstats.py"));
    REQUIRE(functions.size() == 5);
    CHECK(functions[0].name == "word_count");
    CHECK(functions[0].returns == "int");
    REQUIRE(functions[0].params.size() == 1);
    CHECK(functions[0].params[0].annotation == "str");
    CHECK(functions[2].name == "slugify");
    REQUIRE(functions[2].params.size() == 2);
    CHECK(functions[2].params[1].default_value == "\"-\"");
    CHECK_THAT(functions[1].docstring, Catch::Contains(">>> mean([1, 2, 3])"));

    const auto tricky = testgen::public_functions(R"PY(
"""Module doc mentioning
def not_a_function(x):
"""
import functools

@functools.lru_cache(maxsize=None)
def cached(key: str,
           table: dict = {"a": (1, 2)},
           *,
           strict: bool = False) -> list:
    return []

async def fetch(url):
    pass

def _private():
    pass

def varargs(first, *rest, **options):
    pass
)PY");
    REQUIRE(tricky.size() == 3);
    CHECK(tricky[0].name == "cached");
    REQUIRE(tricky[0].params.size() == 3);
    CHECK(tricky[0].params[1].default_value == R"({"a": (1, 2)})");
    CHECK(tricky[0].params[2].name == "strict");
    CHECK(tricky[1].is_async);
    CHECK(tricky[2].has_varargs);
    REQUIRE(tricky[2].params.size() == 1);
}

TEST_CASE("the generated tests pass on the module and check its docstring examples", "[pytest]") {
    REQUIRE_PYTEST();
    const auto out = request("{\"source\":" + json_string(fixture("textstats.py")) + ",\"path\":\"lib/textstats.py\"}");
    CHECK(out.kind == "python_unit");
    CHECK(out.functions == 5);
    const std::string& tests = content(out, "tests/test_textstats.py");
    CHECK_THAT(tests, Catch::Contains("def test_mean_docstring_examples():"));
    CHECK_THAT(tests, Catch::Contains("def test_clamp_returns_int():"));
    CHECK_THAT(tests, Catch::Contains("def test_first_word_text_edge_cases(value):"));
    CHECK_THAT(tests, !Catch::Contains("_helper"));
    Scratch dir("testing-unit");
    dir.write_all(out.artifacts);
    dir.write("textstats.py", fixture("textstats.py"));
    const auto result = support::pytest(dir.str(), "tests");
    INFO(result.output);
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.output, Catch::Contains("passed"));
    CHECK_THAT(result.output, !Catch::Contains("failed"));

    // A module that no longer does what its docstring shows fails, quoting it.
    std::string changed = fixture("textstats.py");
    const std::string body = "return len(text.split())";
    changed.replace(changed.find(body), body.size(), "return len(text.split()) + 1");
    dir.write("textstats.py", changed);
    const auto caught = support::pytest(dir.str(), "tests");
    INFO(caught.output);
    CHECK(caught.exit_code == 1);
    CHECK_THAT(caught.output, Catch::Contains("word_count(\"the quick brown fox\") gave 5, the docstring says 4"));
}

TEST_CASE("edge cases the module does not handle fail, naming the function and the error", "[pytest]") {
    REQUIRE_PYTEST();
    const auto out = request("{\"source\":" + json_string(fixture("textstats_buggy.py")) + ",\"module_name\":\"stats\"}");
    Scratch dir("testing-unit-buggy");
    dir.write_all(out.artifacts);
    dir.write("stats.py", fixture("textstats_buggy.py"));
    const auto result = support::pytest(dir.str(), "tests");
    INFO(result.output);
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.output, Catch::Contains("mean([]) raised ZeroDivisionError"));
    CHECK_THAT(result.output, Catch::Contains("first_word('') raised IndexError"));
}

TEST_CASE("Python input errors name the field") {
    CHECK_THROWS_WITH(request(R"({"source":"   "})"), Catch::Contains("context.source is empty"));
    CHECK_THROWS_WITH(request(R"({"source":"x = 1\n"})"), Catch::Contains("no public top-level function"));
    CHECK_THROWS_WITH(request(R"({"source":"def f(): pass\n","module_name":"my-module"})"),
                      Catch::Contains("context.module_name"));
    CHECK_THROWS_WITH(request(R"({"source":7})"), Catch::Contains("context.source"));
}
