// End-to-end tests of the built libsummarizer.so through the C ABI, with the
// fake host standing in for agenthost.
#include <agenthost/agent.hpp>
#include <catch2/catch.hpp>
#include <fake_host.hpp>
#include <json_schema.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "paragraphs.hpp"

using textkit::testing::FakeHost;
using textkit::testing::run_input;
using textkit::testing::RunRecord;
using textkit::testing::text_context;

namespace {

std::vector<std::int64_t> indices_of(const rapidjson::Document& result) {
    std::vector<std::int64_t> indices;
    for (const auto& sentence : result["sentences"].GetArray()) indices.push_back(sentence["index"].GetInt64());
    return indices;
}

// Loads the plugin and creates its agent with the given config.
struct LoadedSummarizer {
    explicit LoadedSummarizer(const std::string& config_json = R"({"max_sentences":3})") {
        REQUIRE(host.create_agent(config_json) == AGENTHOST_OK);
    }
    ~LoadedSummarizer() { CHECK(host.violations().empty()); }
    FakeHost host{SUMMARIZER_PLUGIN_PATH};
};

}  // namespace

TEST_CASE("the plugin describes itself as the summarizer of its manifest", "[plugin]") {
    FakeHost host(SUMMARIZER_PLUGIN_PATH);
    const auto manifest = textkit::testing::read_json_file(SUMMARIZER_MANIFEST_PATH);
    const auto& descriptor = host.descriptor();
    CHECK(descriptor.struct_size == sizeof(agenthost_agent_descriptor));
    CHECK(descriptor.abi_version == AGENTHOST_MAKE_VERSION(1, 0));  // the manifest's abi_version
    CHECK(agenthost::from_abi(descriptor.name) == manifest["name"].GetString());
    CHECK(agenthost::from_abi(descriptor.version) == manifest["version"].GetString());
}

TEST_CASE("summarizing context.text returns a result that matches the output schema", "[plugin]") {
    LoadedSummarizer plugin;
    const RunRecord run = plugin.host.invoke(
        run_input("Summarize this report", text_context(paragraphs::outage_news, R"("max_sentences":2)")));
    REQUIRE(run.status == AGENTHOST_OK);
    REQUIRE(run.has_result);
    CHECK(run.error.empty());

    const auto result = textkit::testing::parse_json(run.result_json);
    const auto manifest = textkit::testing::read_json_file(SUMMARIZER_MANIFEST_PATH);
    CHECK(textkit::testing::schema_violation(manifest["output_schema"], result) == "");
    CHECK(result["method"] == "textrank");
    CHECK(result["sentence_count"] == 2);
    CHECK(result["original_sentence_count"] == 6);
    CHECK(indices_of(result) == std::vector<std::int64_t>{0, 3});
    CHECK(std::string(result["summary"].GetString()).rfind("A power failure at the company's Frankfurt", 0) == 0);
    CHECK(result["compression_ratio"].GetDouble() < 0.5);

    // Progress is reported as the phases finish.
    REQUIRE(run.events.size() == 3);
    for (const auto& event : run.events) {
        CHECK(event.type == "agent.progress");
        const auto data = textkit::testing::parse_json(event.data_json);
        CHECK(data["message"].IsString());
        CHECK(data["fraction"].IsNumber());
    }
    CHECK(run.cancellation_checks >= 3);
}

TEST_CASE("without context.text the task is summarized", "[plugin]") {
    LoadedSummarizer plugin;
    const RunRecord run = plugin.host.invoke(run_input(paragraphs::phone_review, R"({"max_sentences":1})"));
    REQUIRE(run.status == AGENTHOST_OK);
    const auto result = textkit::testing::parse_json(run.result_json);
    CHECK(indices_of(result) == std::vector<std::int64_t>{0});
}

TEST_CASE("an instruction before the text in the task is not summarized", "[plugin]") {
    // Found by trying it: "Summarize: ..." came back with "Summarize:" in it.
    LoadedSummarizer plugin;
    const RunRecord run = plugin.host.invoke(
        run_input("Summarize: The meeting covered Q3 plans. Budget was approved. Hiring is paused.", R"({"max_sentences":3})"));
    REQUIRE(run.status == AGENTHOST_OK);
    const auto result = textkit::testing::parse_json(run.result_json);
    CHECK(std::string(result["summary"].GetString()) == "The meeting covered Q3 plans. Budget was approved. Hiring is paused.");
}

TEST_CASE("a first sentence that asks for the summary is not summarized", "[plugin]") {
    // Found by an outside tester: "Summarize ... in one sentence." came back
    // as the summary's first sentence.
    LoadedSummarizer plugin;
    const RunRecord run = plugin.host.invoke(run_input(
        "Summarize the following update in two sentences. The meeting covered Q3 plans. Budget was approved.",
        R"({"max_sentences":2})"));
    REQUIRE(run.status == AGENTHOST_OK);
    const auto result = textkit::testing::parse_json(run.result_json);
    CHECK(std::string(result["summary"].GetString()) == "The meeting covered Q3 plans. Budget was approved.");
}

TEST_CASE("a sentence count in the task's instruction is the budget when the context sets none", "[plugin]") {
    // An outsider's: "Summarize in two sentences: ..." came back with the
    // config's three.
    LoadedSummarizer plugin;
    const RunRecord run = plugin.host.invoke(
        run_input("Summarize in two sentences: Alpha went up. Beta went down. Gamma stayed. Delta left."));
    REQUIRE(run.status == AGENTHOST_OK);
    CHECK(textkit::testing::parse_json(run.result_json)["sentences"].Size() == 2);
    // With the text in context.text, the whole task is the instruction.
    const RunRecord in_context = plugin.host.invoke(run_input(
        "Summarize this in one sentence", R"({"text":"Alpha went up. Beta went down. Gamma stayed. Delta left."})"));
    REQUIRE(in_context.status == AGENTHOST_OK);
    CHECK(textkit::testing::parse_json(in_context.result_json)["sentences"].Size() == 1);
    // context.max_sentences wins over the words.
    const RunRecord both = plugin.host.invoke(run_input(
        "Summarize in one sentence: Alpha went up. Beta went down. Gamma stayed. Delta left.", R"({"max_sentences":3})"));
    CHECK(textkit::testing::parse_json(both.result_json)["sentences"].Size() == 3);
}

TEST_CASE("the config's max_sentences applies when the request does not say", "[plugin]") {
    SECTION("set by the operator") {
        LoadedSummarizer plugin(R"({"max_sentences":1})");
        CHECK(plugin.host.logs() ==
              std::vector<std::string>{"1: max_sentences defaults to 1 when a request does not set it"});
        const auto run = plugin.host.invoke(run_input("", text_context(paragraphs::outage_news)));
        CHECK(textkit::testing::parse_json(run.result_json)["sentence_count"] == 1);
    }
    SECTION("left out: the default of 3") {
        LoadedSummarizer plugin("{}");
        const auto run = plugin.host.invoke(run_input("", text_context(paragraphs::outage_news)));
        CHECK(textkit::testing::parse_json(run.result_json)["sentence_count"] == 3);
    }
}

TEST_CASE("empty text is rejected as invalid input", "[plugin]") {
    LoadedSummarizer plugin;
    SECTION("blank context.text") {
        const auto run = plugin.host.invoke(run_input("Summarize", text_context("  \n\t ")));
        CHECK(run.status == AGENTHOST_ERROR_INVALID_INPUT);
        CHECK_FALSE(run.has_result);
        CHECK_THAT(run.error, Catch::Contains("context.text is empty"));
    }
    SECTION("no context.text and a blank task") {
        const auto run = plugin.host.invoke(run_input("   ", "{}"));
        CHECK(run.status == AGENTHOST_ERROR_INVALID_INPUT);
        CHECK_THAT(run.error, Catch::Contains("the task is empty"));
    }
}

TEST_CASE("malformed requests are rejected as invalid input", "[plugin]") {
    LoadedSummarizer plugin;
    for (const char* context : {R"({"max_sentences":0})", R"({"max_sentences":51})", R"({"max_sentences":"2"})",
                                R"({"max_sentences":2.5})", R"({"text":42})"}) {
        CAPTURE(context);
        const auto run = plugin.host.invoke(run_input(paragraphs::outage_news, context));
        CHECK(run.status == AGENTHOST_ERROR_INVALID_INPUT);
        CHECK_FALSE(run.has_result);
        CHECK_FALSE(run.error.empty());
    }
}

TEST_CASE("a cancelled run stops with the cancelled status and no result", "[plugin]") {
    LoadedSummarizer plugin;
    const auto run = plugin.host.invoke(run_input("", text_context(paragraphs::outage_news)), /*cancelled=*/true);
    CHECK(run.status == AGENTHOST_ERROR_CANCELLED);
    CHECK_FALSE(run.has_result);
    CHECK(run.events.empty());
}

TEST_CASE("an out-of-range config makes agent creation fail with a reason", "[plugin]") {
    FakeHost host(SUMMARIZER_PLUGIN_PATH);
    CHECK(host.create_agent(R"({"max_sentences":0})") == AGENTHOST_ERROR_FAILED);
    CHECK_THAT(host.create_error(), Catch::Contains("max_sentences"));
}

TEST_CASE("the plugin unloads when the host closes it", "[plugin]") {
    {
        LoadedSummarizer plugin;
        plugin.host.invoke(run_input("", text_context(paragraphs::outage_news)));
        REQUIRE(textkit::testing::is_library_loaded(SUMMARIZER_PLUGIN_PATH));
    }
    CHECK_FALSE(textkit::testing::is_library_loaded(SUMMARIZER_PLUGIN_PATH));
}
