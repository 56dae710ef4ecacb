// The SDK glue: reads the agent config and the run's context, calls the
// extractor, and turns its entities into the result JSON. All the extraction
// logic lives in entity_extractor_core, which knows nothing of the SDK.
#include "entity_extractor.hpp"
#include "llm_names.hpp"

#include <agenthost/agent.hpp>
#include <textkit/llm_call.hpp>

#include <array>
#include <string>

namespace {

using entity_extractor::Entity;
using entity_extractor::EntityType;
using entity_extractor::EntityTypeSet;
using entity_extractor::ExtractionOptions;
using entity_extractor::ExtractionStage;

std::string known_type_names() {
    std::string names;
    for (EntityType type : entity_extractor::all_entity_types()) {
        if (!names.empty()) names += ", ";
        names += entity_extractor::entity_type_name(type);
    }
    return names;
}

// Parses a list of type names; `where` names the list in error messages.
// Throws agenthost::InvalidInput, which the config path reports as a failed
// agent creation and the request path as a 422.
EntityTypeSet parse_types(const rapidjson::Value& value, const std::string& where) {
    if (!value.IsArray()) throw agenthost::InvalidInput(where + " must be an array of entity type names");
    if (value.Empty()) throw agenthost::InvalidInput(where + " must name at least one entity type");
    EntityTypeSet types;
    for (const rapidjson::Value& item : value.GetArray()) {
        if (!item.IsString()) throw agenthost::InvalidInput(where + " must contain only strings");
        std::string_view name(item.GetString(), item.GetStringLength());
        std::optional<EntityType> type = entity_extractor::entity_type_from_name(name);
        if (!type)
            throw agenthost::InvalidInput(where + ": unknown entity type \"" + std::string(name) +
                                          "\" (expected one of: " + known_type_names() + ")");
        types.insert(*type);
    }
    return types;
}

ExtractionOptions options_from_config(const rapidjson::Value& config) {
    ExtractionOptions options;
    if (!config.IsObject()) return options;
    if (auto types = config.FindMember("types"); types != config.MemberEnd())
        options.types = parse_types(types->value, "config types");
    if (auto threshold = config.FindMember("min_name_confidence"); threshold != config.MemberEnd()) {
        if (!threshold->value.IsNumber() || threshold->value.GetDouble() < 0.0 || threshold->value.GetDouble() > 1.0)
            throw agenthost::InvalidInput("config min_name_confidence must be a number from 0 to 1");
        options.min_name_confidence = threshold->value.GetDouble();
    }
    if (auto order = config.FindMember("numeric_date_order"); order != config.MemberEnd()) {
        std::string value = order->value.IsString() ? order->value.GetString() : "";
        if (value == "month_first")
            options.numeric_date_order = entity_extractor::NumericDateOrder::month_first;
        else if (value != "day_first")
            throw agenthost::InvalidInput("config numeric_date_order must be \"day_first\" or \"month_first\"");
    }
    return options;
}

bool is_blank(std::string_view text) { return text.find_first_not_of(" \t\r\n\f\v") == std::string_view::npos; }

// context.text when given (even if empty: an explicit empty text is a
// mistake, not a request to fall back), otherwise the task.
std::string_view text_to_analyse(const agenthost::Run& run) {
    const rapidjson::Value& context = run.context();
    std::string_view text = run.task();
    if (auto given = context.FindMember("text"); given != context.MemberEnd()) {
        if (!given->value.IsString()) throw agenthost::InvalidInput("context.text must be a string");
        text = std::string_view(given->value.GetString(), given->value.GetStringLength());
    }
    if (is_blank(text)) throw agenthost::InvalidInput("no text to analyse: give context.text or a non-empty task");
    return text;
}

rapidjson::Value entity_to_json(const Entity& entity, rapidjson::Document& owner) {
    auto& allocator = owner.GetAllocator();
    rapidjson::Value json(rapidjson::kObjectType);
    json.AddMember("type", agenthost::json::string(entity_extractor::entity_type_name(entity.type), owner), allocator);
    json.AddMember("text", agenthost::json::string(entity.text, owner), allocator);
    json.AddMember("start", static_cast<uint64_t>(entity.start), allocator);
    json.AddMember("end", static_cast<uint64_t>(entity.end), allocator);
    if (!entity.normalized.empty())
        json.AddMember("normalized", agenthost::json::string(entity.normalized, owner), allocator);
    if (entity.confidence) json.AddMember("confidence", *entity.confidence, allocator);
    return json;
}

rapidjson::Document result_to_json(const std::vector<Entity>& entities, const EntityTypeSet& types,
                                   const char* method = "rules") {
    rapidjson::Document result(rapidjson::kObjectType);
    auto& allocator = result.GetAllocator();
    std::array<uint64_t, entity_extractor::entity_type_count> counts{};
    rapidjson::Value list(rapidjson::kArrayType);
    for (const Entity& entity : entities) {
        ++counts[static_cast<std::size_t>(entity.type)];
        list.PushBack(entity_to_json(entity, result), allocator);
    }
    // Every requested type appears in counts, zero included, so clients need no defaults.
    rapidjson::Value counts_json(rapidjson::kObjectType);
    for (EntityType type : entity_extractor::all_entity_types())
        if (types.contains(type))
            counts_json.AddMember(agenthost::json::string(entity_extractor::entity_type_name(type), result),
                                  rapidjson::Value(counts[static_cast<std::size_t>(type)]), allocator);
    result.AddMember("entities", list, allocator);
    result.AddMember("counts", counts_json, allocator);
    result.AddMember("entity_count", static_cast<uint64_t>(entities.size()), allocator);
    result.AddMember("method", rapidjson::StringRef(method), allocator);
    return result;
}

class EntityExtractorAgent : public agenthost::Agent {
  public:
    explicit EntityExtractorAgent(agenthost::Host& host)
        : agenthost::Agent(host), defaults_(options_from_config(host.config())) {}

    rapidjson::Document invoke(agenthost::Run& run) override {
        std::string_view text = text_to_analyse(run);
        ExtractionOptions options = defaults_;
        const rapidjson::Value& context = run.context();
        if (auto types = context.FindMember("types"); types != context.MemberEnd())
            options.types = parse_types(types->value, "context.types");

        run.progress("extracting entities from " + std::to_string(text.size()) + " bytes of text", 0.0);
        auto extract = [&](const ExtractionOptions& with) {
            return entity_extractor::extract_entities(text, with, [&run](ExtractionStage stage, std::size_t found) {
                run.throw_if_cancelled();
                if (stage == ExtractionStage::patterns_found)
                    run.progress("found " + std::to_string(found) + " patterned entities; classifying names", 0.5);
            });
        };
        auto offline = [&] {
            std::vector<Entity> entities = extract(options);
            run.progress("extracted " + std::to_string(entities.size()) + " entities", 1.0);
            return result_to_json(entities, options.types);
        };
        const textkit::LlmTarget llm = textkit::llm_target(run);
        if (!llm.use() || !options.types.contains_any_name_type()) return offline();
        return textkit::with_llm_fallback(run, llm, "entity_extractor", [&] {
            // Patterns from the scanners, names from the model.
            ExtractionOptions patterns_only = options;
            patterns_only.types = EntityTypeSet();
            for (EntityType type : entity_extractor::all_entity_types())
                if (options.types.contains(type) && !entity_extractor::is_name_type(type)) patterns_only.types.insert(type);
            std::vector<Entity> entities = patterns_only.types.empty() ? std::vector<Entity>{} : extract(patterns_only);
            const textkit::JsonQuestion question{entity_extractor::llm_names_prompt(options.types), std::string(text),
                                                 entity_extractor::kLlmNamesShape, 1000};
            entities = textkit::ask_json(run, question, [&](const rapidjson::Document& answer) {
                return entity_extractor::merge_llm_names(answer, text, options.types, entities);
            });
            run.progress("extracted " + std::to_string(entities.size()) + " entities; names by " + llm.provider, 1.0);
            return result_to_json(entities, options.types, "llm");
        }, offline);
    }

  private:
    const ExtractionOptions defaults_;
};

}  // namespace

AGENTHOST_AGENT(EntityExtractorAgent, "entity_extractor", "1.0.0")
