// The sentiment agent: SDK glue around the lexicon analyzer in sentiment.hpp.
// Reads the text from the run and the neutral band from the config, and turns
// the Analysis into the result object described in manifest.json.
#include <agenthost/agent.hpp>
#include <textkit/llm_call.hpp>
#include <textkit/run_text.hpp>

#include <sstream>
#include <stdexcept>
#include <string>

#include "llm_sentiment.hpp"
#include "sentiment.hpp"

namespace {

// The host validated the config against the manifest, but a host that
// skipped it must not get a threshold that makes every text neutral.
sentiment::Options options_from_config(const rapidjson::Value& config) {
    sentiment::Options options;
    if (!config.IsObject()) return options;
    auto found = config.FindMember("neutral_threshold");
    if (found == config.MemberEnd()) return options;
    if (!found->value.IsNumber() || found->value.GetDouble() < 0.0 || found->value.GetDouble() >= 1.0)
        throw std::invalid_argument("config neutral_threshold must be a number from 0 up to, not including, 1");
    options.neutral_threshold = found->value.GetDouble();
    return options;
}

rapidjson::Value label_json(sentiment::Label label) {
    // The label names are string literals, so the value need not copy them.
    const std::string_view name = sentiment::to_string(label);
    return rapidjson::Value(rapidjson::StringRef(name.data(), name.size()));
}

rapidjson::Value words_json(const std::vector<std::string>& words, rapidjson::Document& owner) {
    rapidjson::Value array(rapidjson::kArrayType);
    for (const auto& word : words) array.PushBack(agenthost::json::string(word, owner), owner.GetAllocator());
    return array;
}

rapidjson::Document to_json(const sentiment::Analysis& analysis) {
    rapidjson::Document result(rapidjson::kObjectType);
    auto& allocator = result.GetAllocator();

    rapidjson::Value drivers(rapidjson::kArrayType);
    for (const auto& driver : analysis.drivers) {
        rapidjson::Value entry(rapidjson::kObjectType);
        entry.AddMember("word", agenthost::json::string(driver.word, result), allocator);
        entry.AddMember("valence", driver.valence, allocator);
        entry.AddMember("negated", driver.negated, allocator);
        entry.AddMember("modifier",
                        driver.modifier ? agenthost::json::string(*driver.modifier, result) : rapidjson::Value(),
                        allocator);
        entry.AddMember("sentence", static_cast<uint64_t>(driver.sentence), allocator);
        drivers.PushBack(entry, allocator);
    }

    rapidjson::Value sentences(rapidjson::kArrayType);
    for (const auto& sentence : analysis.sentences) {
        rapidjson::Value entry(rapidjson::kObjectType);
        entry.AddMember("index", static_cast<uint64_t>(sentence.index), allocator);
        entry.AddMember("text", agenthost::json::string(sentence.text, result), allocator);
        entry.AddMember("score", sentence.score, allocator);
        entry.AddMember("label", label_json(sentence.label), allocator);
        sentences.PushBack(entry, allocator);
    }

    result.AddMember("label", label_json(analysis.label), allocator);
    result.AddMember("score", analysis.score, allocator);
    result.AddMember("confidence", analysis.confidence, allocator);
    result.AddMember("drivers", drivers, allocator);
    result.AddMember("positive_words", words_json(analysis.positive_words, result), allocator);
    result.AddMember("negative_words", words_json(analysis.negative_words, result), allocator);
    result.AddMember("sentences", sentences, allocator);
    return result;
}

class SentimentAgent final : public agenthost::Agent {
  public:
    explicit SentimentAgent(agenthost::Host& host)
        : agenthost::Agent(host), options_(options_from_config(host.config())) {
        std::ostringstream message;
        message << "neutral_threshold is " << options_.neutral_threshold << ": texts with |score| below it are neutral";
        host.info(message.str());
    }

    rapidjson::Document invoke(agenthost::Run& run) override {
        const std::string text = textkit::run_text(run, "analyze");
        run.throw_if_cancelled();
        const textkit::LlmTarget llm = textkit::llm_target(run);
        auto offline = [&] {
            const sentiment::Analysis analysis = sentiment::analyze(text, options_);
            run.progress("scored " + std::to_string(analysis.sentences.size()) + " sentences", 1.0);
            return to_json(analysis);
        };
        if (!llm.use()) return offline();
        return textkit::with_llm_fallback(run, llm, "sentiment", [&] {
            rapidjson::Document result = textkit::ask_json(
                run, {sentiment::kLlmSystemPrompt, text, sentiment::kLlmAnswerShape, 400},
                [&](const rapidjson::Document& answer) {
                    return sentiment::result_from_llm_answer(answer, llm.model, options_.neutral_threshold);
                });
            run.progress("classified by " + llm.provider + " (" + llm.model + ")", 1.0);
            return result;
        }, offline);
    }

  private:
    const sentiment::Options options_;
};

}  // namespace

AGENTHOST_AGENT(SentimentAgent, "sentiment", "1.0.0")
