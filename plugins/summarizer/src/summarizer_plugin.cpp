// The summarizer agent: SDK glue around the TextRank core in summarizer.hpp.
// Reads the text and sentence budget from the run, reports progress, and
// turns the Summary into the result object described in manifest.json.
#include <agenthost/agent.hpp>
#include <textkit/llm_call.hpp>
#include <textkit/run_text.hpp>

#include <optional>
#include <stdexcept>
#include <string>

#include "llm_summary.hpp"
#include "sentence_budget.hpp"
#include "summarizer.hpp"

namespace {

constexpr int fewest_sentences = 1;
constexpr int most_sentences = 50;
constexpr int default_sentences = 3;
// Room for the sentence numbers, or for a short summary in prose.
constexpr int kLlmMaxTokens = 400;

bool is_sentence_budget(const rapidjson::Value& value) {
    return value.IsInt() && value.GetInt() >= fewest_sentences && value.GetInt() <= most_sentences;
}

std::string budget_error(const std::string& where) {
    return where + " must be an integer from " + std::to_string(fewest_sentences) + " to " +
           std::to_string(most_sentences);
}

// The agent's default budget. The host validated the config against the
// manifest, but a host that skipped it must not get an out-of-range value.
int configured_max_sentences(const rapidjson::Value& config) {
    if (!config.IsObject()) return default_sentences;
    auto found = config.FindMember("max_sentences");
    if (found == config.MemberEnd()) return default_sentences;
    if (!is_sentence_budget(found->value)) throw std::invalid_argument(budget_error("config max_sentences"));
    return found->value.GetInt();
}

// The instruction part of the task: all of it when context.text holds the
// text, else what comes before the text ("Summarize in two sentences: ").
std::string_view instruction_of(const agenthost::Run& run) {
    const std::string_view task = run.task();
    if (run.context().HasMember("text")) return task;
    const std::string text = textkit::strip_instruction(task);
    return task.substr(0, task.size() - text.size());
}

int requested_max_sentences(const agenthost::Run& run, int configured) {
    const rapidjson::Value& context = run.context();
    auto found = context.FindMember("max_sentences");
    if (found == context.MemberEnd()) return summarizer::sentences_named(instruction_of(run)).value_or(configured);
    if (!is_sentence_budget(found->value)) throw agenthost::InvalidInput(budget_error("context.max_sentences"));
    return found->value.GetInt();
}

rapidjson::Document to_json(const summarizer::Summary& summary, const char* method = "textrank") {
    rapidjson::Document result(rapidjson::kObjectType);
    auto& allocator = result.GetAllocator();
    rapidjson::Value sentences(rapidjson::kArrayType);
    for (const auto& sentence : summary.sentences) {
        rapidjson::Value entry(rapidjson::kObjectType);
        entry.AddMember("index", static_cast<uint64_t>(sentence.index), allocator);
        entry.AddMember("text", agenthost::json::string(sentence.text, result), allocator);
        entry.AddMember("score", sentence.score, allocator);
        entry.AddMember("start", static_cast<uint64_t>(sentence.start), allocator);
        entry.AddMember("end", static_cast<uint64_t>(sentence.end), allocator);
        sentences.PushBack(entry, allocator);
    }
    result.AddMember("summary", agenthost::json::string(summary.text, result), allocator);
    result.AddMember("sentences", sentences, allocator);
    result.AddMember("sentence_count", static_cast<uint64_t>(summary.sentences.size()), allocator);
    result.AddMember("original_sentence_count", static_cast<uint64_t>(summary.original_sentence_count), allocator);
    result.AddMember("compression_ratio", summary.compression_ratio, allocator);
    result.AddMember("method", rapidjson::StringRef(method), allocator);
    return result;
}

class SummarizerAgent final : public agenthost::Agent {
  public:
    explicit SummarizerAgent(agenthost::Host& host)
        : agenthost::Agent(host), configured_max_sentences_(configured_max_sentences(host.config())) {
        host.info("max_sentences defaults to " + std::to_string(configured_max_sentences_) +
                  " when a request does not set it");
    }

    rapidjson::Document invoke(agenthost::Run& run) override {
        const std::string text = textkit::run_text(run, "summarize");
        const int max_sentences = requested_max_sentences(run, configured_max_sentences_);
        // Between phases: report, and stop early on long input once cancelled.
        const auto after_phase = [&run](std::string_view done, double fraction) {
            run.throw_if_cancelled();
            run.progress(done, fraction);
        };
        const textkit::LlmTarget llm = textkit::llm_target(run);
        auto offline = [&] {
            return to_json(summarizer::summarize(text, static_cast<std::size_t>(max_sentences), after_phase));
        };
        if (!llm.use()) return offline();
        return textkit::with_llm_fallback(run, llm, "summarizer", [&] {
            const auto sentences = textkit::split_sentences(text);
            const auto budget = static_cast<std::size_t>(max_sentences);
            // A text within the budget is its own summary: no call needed.
            if (sentences.size() <= budget) return offline();
            const textkit::JsonQuestion question{summarizer::llm_system_prompt(budget),
                                                 summarizer::llm_user_message(sentences), summarizer::kLlmAnswerShape,
                                                 kLlmMaxTokens};
            rapidjson::Document result = textkit::ask_json(
                run, question,
                [&](const rapidjson::Document& answer) {
                    return to_json(summarizer::summary_from_llm_answer(answer, sentences, budget), "llm");
                },
                [&](const std::string& prose) -> std::optional<rapidjson::Document> {
                    auto read = summarizer::summary_from_llm_prose(prose, sentences, budget);
                    if (!read) return std::nullopt;
                    return to_json(read->summary, read->own_words ? "llm_prose" : "llm");
                });
            run.progress("summarized by " + llm.provider + " (" + llm.model + ")", 1.0);
            return result;
        }, offline);
    }

  private:
    const int configured_max_sentences_;
};

}  // namespace

AGENTHOST_AGENT(SummarizerAgent, "summarizer", "1.0.0")
