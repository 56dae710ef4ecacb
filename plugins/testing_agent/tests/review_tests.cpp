// Review mode: what a suite leaves uncovered of a spec.
#include <set>

#include "support.hpp"

using support::content;
using support::fixture;
using support::json_string;
using support::request;

namespace {

std::string spec_json() { return json_string(fixture("pets.openapi.yaml")); }

}  // namespace

TEST_CASE("the agent's own contract suite covers every operation and response") {
    const auto suite = request("{\"spec\":" + spec_json() + "}");
    const auto out = request("{\"spec\":" + spec_json() + ",\"tests\":" +
                             json_string(content(suite, "tests/contract/test_contract.py")) + "}");
    CHECK(out.mode == "review");
    CHECK(out.coverage.operations == 4);
    CHECK(out.coverage.operations_covered == 4);
    CHECK(out.coverage.responses == 7);
    for (const auto& g : out.coverage.uncovered_responses) INFO(g.operation_id << " " << g.status);
    CHECK(out.coverage.responses_covered == 7);
    CHECK(out.coverage.uncovered_operations.empty());
}

TEST_CASE("a hand-written suite's gaps are listed by operation and status") {
    const std::string tests = R"PY(
import requests

BASE = "http://localhost:8000"

def test_list():
    r = requests.get(f"{BASE}/pets")
    assert r.status_code == 200

def test_create():
    r = requests.post(BASE + "/pets", json={"name": "rex"})
    assert r.status_code == 201
    pet_id = r.json()["id"]
    r = requests.get(BASE + "/pets/" + str(pet_id))
    assert r.ok
)PY";
    const auto out = request("{\"spec\":" + spec_json() + ",\"tests\":[{\"path\":\"tests/test_pets.py\",\"content\":" +
                             json_string(tests) + "}]}");
    CHECK(out.coverage.tests_found == 2);
    CHECK(out.coverage.operations_covered == 3);
    REQUIRE(out.coverage.uncovered_operations.size() == 1);
    CHECK(out.coverage.uncovered_operations[0].operation_id == "deletePet");
    std::set<std::string> gaps;
    for (const auto& g : out.coverage.uncovered_responses) gaps.insert(g.operation_id + " " + g.status);
    CHECK(gaps == std::set<std::string>{"createPet 422", "showPetById 404", "deletePet 204", "deletePet 404"});
    CHECK_THAT(out.summary, Catch::Contains("3 of 4 operations"));
}

TEST_CASE("review input errors name the field") {
    CHECK_THROWS_WITH(request(R"({"mode":"review","tests":"def test_x(): pass"})"), Catch::Contains("context.spec"));
    CHECK_THROWS_WITH(request("{\"mode\":\"review\",\"spec\":" + spec_json() + "}"), Catch::Contains("context.tests"));
    CHECK_THROWS_WITH(request("{\"spec\":" + spec_json() + ",\"tests\":[]}"), Catch::Contains("context.tests is empty"));
    CHECK_THROWS_WITH(request("{\"spec\":" + spec_json() + ",\"tests\":[{\"path\":\"x\"}]}"),
                      Catch::Contains("context.tests[0].content"));
    CHECK_THROWS_WITH(request("{\"spec\":" + spec_json() + ",\"tests\":5}"), Catch::Contains("context.tests"));
}
