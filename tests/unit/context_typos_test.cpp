// Context members that look like a misspelling of a field the agent reads.
#include "runs/context_typos.hpp"

#include <catch2/catch.hpp>

using agenthost::runs::context_typos;
using agenthost::runs::typo_warning;

namespace {

rapidjson::Document typo_json(const char* text) {
    rapidjson::Document document;
    document.Parse(text);
    REQUIRE_FALSE(document.HasParseError());
    return document;
}

const char* kTypoSchema = R"({"type":"object","properties":{"service":{},"replicas":{},"environment":{},"port":{},"namespace":{}}})";

}  // namespace

TEST_CASE("a member one or two edits from a listed field is a typo, named with the field", "[context]") {
    auto schema = typo_json(kTypoSchema);
    auto context = typo_json(R"({"service":"orders","replicsa":3,"environmnt":"prod","Namespace":"shop","prot":8080})");
    auto typos = context_typos(schema, context);
    REQUIRE(typos.size() == 4);
    CHECK(typos[0].field == "replicsa");
    CHECK(typos[0].suggestion == "replicas");
    CHECK(typos[1].suggestion == "environment");
    CHECK(typos[2].suggestion == "namespace");
    CHECK(typos[3].suggestion == "port");
    CHECK(typo_warning("kubernetes_agent", typos[0]) ==
          "context.replicsa is not a field agent 'kubernetes_agent' reads; did you mean context.replicas?");
}

TEST_CASE("listed fields, unrelated members and schemas without properties give no typo", "[context]") {
    auto schema = typo_json(kTypoSchema);
    // Earlier steps' results passed along, far from any listed name.
    CHECK(context_typos(schema, typo_json(R"({"service":"a","previous_result":{},"dockerfile":"FROM x","ab":1})")).empty());
    // Two letters are too few to call a typo.
    CHECK(context_typos(schema, typo_json(R"({"pt":1})")).empty());
    CHECK(context_typos(typo_json(R"({"type":"object"})"), typo_json(R"({"replicsa":3})")).empty());
    CHECK(context_typos(schema, typo_json(R"([1,2])")).empty());
}
