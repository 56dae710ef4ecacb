// End-to-end tests of the built libsentiment.so through the C ABI, with the
// fake host standing in for agenthost.
#include <agenthost/agent.hpp>
#include <catch2/catch.hpp>
#include <fake_host.hpp>
#include <json_schema.hpp>

#include <string>
#include <utility>
#include <vector>

#include "texts.hpp"

using textkit::testing::FakeHost;
using textkit::testing::run_input;
using textkit::testing::RunRecord;
using textkit::testing::text_context;

namespace {

// Loads the plugin and creates its agent with the given config.
struct LoadedSentiment {
    explicit LoadedSentiment(const std::string& config_json = R"({"neutral_threshold":0.05})") {
        REQUIRE(host.create_agent(config_json) == AGENTHOST_OK);
    }
    ~LoadedSentiment() { CHECK(host.violations().empty()); }
    FakeHost host{SENTIMENT_PLUGIN_PATH};
};

}  // namespace

TEST_CASE("the plugin describes itself as the sentiment agent of its manifest", "[plugin]") {
    FakeHost host(SENTIMENT_PLUGIN_PATH);
    const auto manifest = textkit::testing::read_json_file(SENTIMENT_MANIFEST_PATH);
    const auto& descriptor = host.descriptor();
    CHECK(descriptor.struct_size == sizeof(agenthost_agent_descriptor));
    CHECK(descriptor.abi_version == AGENTHOST_MAKE_VERSION(1, 0));  // the manifest's abi_version
    CHECK(agenthost::from_abi(descriptor.name) == manifest["name"].GetString());
    CHECK(agenthost::from_abi(descriptor.version) == manifest["version"].GetString());
}

TEST_CASE("analyzing context.text returns a result that matches the output schema", "[plugin]") {
    LoadedSentiment plugin;
    const RunRecord run = plugin.host.invoke(
        run_input("How do customers feel?", text_context("The hardware is good but the support is terrible.")));
    REQUIRE(run.status == AGENTHOST_OK);
    REQUIRE(run.has_result);

    const auto result = textkit::testing::parse_json(run.result_json);
    const auto manifest = textkit::testing::read_json_file(SENTIMENT_MANIFEST_PATH);
    CHECK(textkit::testing::schema_violation(manifest["output_schema"], result) == "");
    CHECK(result["label"] == "negative");
    CHECK(result["score"].GetDouble() < 0.0);
    REQUIRE(result["drivers"].Size() == 2);
    CHECK(result["drivers"][0]["word"] == "terrible");
    CHECK(result["drivers"][0]["negated"] == false);
    CHECK(result["drivers"][0]["modifier"].IsNull());
    CHECK(result["drivers"][1]["word"] == "good");
    CHECK(result["positive_words"][0] == "good");
    CHECK(result["negative_words"][0] == "terrible");
    CHECK(result["sentences"][0]["label"] == "negative");

    REQUIRE(run.events.size() == 1);
    CHECK(run.events[0].type == "agent.progress");
}

TEST_CASE("modifiers and negation show in the drivers", "[plugin]") {
    LoadedSentiment plugin;
    const auto run = plugin.host.invoke(run_input("", text_context("The update is not very stable.")));
    const auto result = textkit::testing::parse_json(run.result_json);
    REQUIRE(result["drivers"].Size() == 1);
    CHECK(result["drivers"][0]["word"] == "stable");
    CHECK(result["drivers"][0]["negated"] == true);
    CHECK(result["drivers"][0]["modifier"] == "very");
    CHECK(result["label"] == "negative");
}

TEST_CASE("without context.text the task is analyzed", "[plugin]") {
    LoadedSentiment plugin;
    const auto run = plugin.host.invoke(run_input(texts::laptop_review));
    REQUIRE(run.status == AGENTHOST_OK);
    CHECK(textkit::testing::parse_json(run.result_json)["label"] == "positive");
}

TEST_CASE("a question about the review before it is not scored", "[plugin]") {
    // An outsider's: "positive" and "negative" in the question were the only
    // drivers, and the review itself scored neutral.
    LoadedSentiment plugin;
    const auto run = plugin.host.invoke(
        run_input("Is this review positive or negative? The product is awful and broke twice."));
    REQUIRE(run.status == AGENTHOST_OK);
    const auto result = textkit::testing::parse_json(run.result_json);
    CHECK(result["label"] == "negative");
    for (const auto& driver : result["drivers"].GetArray()) {
        CHECK(driver["word"] != "positive");
        CHECK(driver["word"] != "negative");
    }
}

TEST_CASE("the config's neutral threshold sets the neutral band", "[plugin]") {
    const std::string mild = "The rollout had a minor issue with one region, otherwise the day was uneventful.";
    SECTION("the default band") {
        LoadedSentiment plugin("{}");
        CHECK(textkit::testing::parse_json(plugin.host.invoke(run_input(mild)).result_json)["label"] == "negative");
    }
    SECTION("a wide band") {
        LoadedSentiment plugin(R"({"neutral_threshold":0.5})");
        CHECK(plugin.host.logs() ==
              std::vector<std::string>{"1: neutral_threshold is 0.5: texts with |score| below it are neutral"});
        CHECK(textkit::testing::parse_json(plugin.host.invoke(run_input(mild)).result_json)["label"] == "neutral");
    }
}

TEST_CASE("empty or malformed text is rejected as invalid input", "[plugin]") {
    LoadedSentiment plugin;
    for (const auto& [task, context] : std::vector<std::pair<std::string, std::string>>{
             {"", "{}"}, {"  \n ", "{}"}, {"Fine.", text_context(" \t")}, {"Fine.", R"({"text":["a"]})"}}) {
        CAPTURE(task, context);
        const auto run = plugin.host.invoke(run_input(task, context));
        CHECK(run.status == AGENTHOST_ERROR_INVALID_INPUT);
        CHECK_FALSE(run.has_result);
        CHECK_FALSE(run.error.empty());
    }
}

TEST_CASE("a cancelled run stops with the cancelled status and no result", "[plugin]") {
    LoadedSentiment plugin;
    const auto run = plugin.host.invoke(run_input(texts::incident_report), /*cancelled=*/true);
    CHECK(run.status == AGENTHOST_ERROR_CANCELLED);
    CHECK_FALSE(run.has_result);
}

TEST_CASE("an out-of-range threshold makes agent creation fail with a reason", "[plugin]") {
    FakeHost host(SENTIMENT_PLUGIN_PATH);
    CHECK(host.create_agent(R"({"neutral_threshold":1.5})") == AGENTHOST_ERROR_FAILED);
    CHECK_THAT(host.create_error(), Catch::Contains("neutral_threshold"));
}

TEST_CASE("the plugin unloads when the host closes it", "[plugin]") {
    {
        LoadedSentiment plugin;
        plugin.host.invoke(run_input(texts::laptop_review));
        REQUIRE(textkit::testing::is_library_loaded(SENTIMENT_PLUGIN_PATH));
    }
    CHECK_FALSE(textkit::testing::is_library_loaded(SENTIMENT_PLUGIN_PATH));
}
