#include "entity_extractor.hpp"

#include "code_point_offsets.hpp"
#include "name_classifier.hpp"
#include "name_spans.hpp"
#include "name_tokens.hpp"
#include "span_resolution.hpp"

#include <algorithm>

namespace entity_extractor {

namespace {

// Every pattern scanner runs whatever types were asked for: a URL must still
// claim its digits when only phones are wanted.
std::vector<Candidate> find_patterned_entities(std::string_view text, NumericDateOrder date_order) {
    std::vector<Candidate> candidates;
    scan_emails(text, candidates);
    scan_urls(text, candidates);
    scan_dates(text, date_order, candidates);
    scan_money(text, candidates);
    scan_percentages(text, candidates);
    scan_phones(text, candidates);
    return resolve_overlaps(text, std::move(candidates));
}

std::vector<Entity> to_entities(std::string_view text, const std::vector<Candidate>& candidates,
                                const EntityTypeSet& types) {
    std::vector<Entity> entities;
    ForwardOffsetConverter offsets(text);
    for (const Candidate& candidate : candidates) {
        if (!types.contains(candidate.type)) continue;
        std::size_t start = offsets.to_code_points(candidate.begin);
        std::size_t end = offsets.to_code_points(candidate.end);
        std::optional<double> confidence;
        if (is_name_type(candidate.type)) confidence = candidate.confidence;
        entities.push_back({candidate.type, std::string(text.substr(candidate.begin, candidate.end - candidate.begin)),
                            start, end, candidate.normalized, confidence});
    }
    return entities;
}

}  // namespace

std::vector<Entity> extract_entities(std::string_view text, const ExtractionOptions& options,
                                     const StageCallback& on_stage) {
    std::vector<Candidate> found = find_patterned_entities(text, options.numeric_date_order);
    if (on_stage) on_stage(ExtractionStage::patterns_found, found.size());

    if (options.types.contains_any_name_type()) {
        std::vector<Token> tokens = tokenize_for_names(text, found);
        std::vector<Candidate> names =
            classify_names(tokens, find_name_spans(tokens), options.min_name_confidence);
        found.insert(found.end(), names.begin(), names.end());
        std::sort(found.begin(), found.end(), [](const Candidate& a, const Candidate& b) { return a.begin < b.begin; });
        if (on_stage) on_stage(ExtractionStage::names_classified, found.size());
    }
    return to_entities(text, found, options.types);
}

}  // namespace entity_extractor
