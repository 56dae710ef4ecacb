#include "name_classifier.hpp"

#include "gazetteers.hpp"
#include "utf8.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>

namespace entity_extractor {

namespace {

// Evidence weights. A single strong clue (a gazetteer hit, a legal form, a
// title) is enough on its own; weak clues (a preposition, "said", the shape
// of two capitalised words) need company to pass the default threshold of 0.5.
constexpr double strong = 0.9;
constexpr double first_name_in_full_name = 0.8;
constexpr double first_name_alone = 0.45;
constexpr double compass_and_known_place = 0.8;
constexpr double head_of = 0.8;
constexpr double place_affix = 0.7;
constexpr double role_noun_before = 0.6;
constexpr double generational_suffix = 0.6;
constexpr double ampersand = 0.6;
constexpr double place_based = 0.6;
constexpr double alias_of_confident_name = 0.6;
constexpr double initials = 0.5;
constexpr double who_after = 0.5;
constexpr double acronym = 0.5;
constexpr double known_place_after_comma = 0.5;
constexpr double attribution = 0.4;
constexpr double two_or_three_capitalised_words = 0.35;
constexpr double particle = 0.3;
constexpr double business_verb_before = 0.3;
constexpr double settled_in = 0.3;
// With the shape of two or three capitalised words, enough: "Satya Nadella
// leads Microsoft", "Elon Musk founded SpaceX" (names no gazetteer lists).
constexpr double person_action_after = 0.15;

struct Scores {
    double person = 0;
    double organization = 0;
    double location = 0;
};

struct Classified {
    EntityType type;
    double confidence;
};

// Ties go to organisation, then place: a bare "Acme" or "Jordan" with equal
// evidence is more often not a person in news and business text.
Classified best_of(const Scores& scores) {
    Classified best{EntityType::organization, scores.organization};
    if (scores.location > best.confidence) best = {EntityType::location, scores.location};
    if (scores.person > best.confidence) best = {EntityType::person, scores.person};
    best.confidence = std::min(1.0, std::round(best.confidence * 100.0) / 100.0);
    return best;
}

const Token* word_before(const std::vector<Token>& tokens, std::size_t index) {
    if (index == 0 || tokens[index].line_break_before) return nullptr;
    const Token& token = tokens[index - 1];
    return token.kind == TokenKind::word ? &token : nullptr;
}

const Token* token_after(const std::vector<Token>& tokens, std::size_t index) {
    if (index + 1 >= tokens.size() || tokens[index + 1].line_break_before) return nullptr;
    return &tokens[index + 1];
}

const Token* word_after(const std::vector<Token>& tokens, std::size_t index) {
    const Token* token = token_after(tokens, index);
    return token && token->kind == TokenKind::word ? token : nullptr;
}

bool is_mark(const Token* token, const char* mark) {
    return token && token->kind == TokenKind::punctuation && token->key == mark;
}

// Everything about one span the evidence rules look at.
struct SpanView {
    const std::vector<Token>& tokens;
    const NameSpan& span;
    std::vector<std::size_t> words;
    std::string key;

    const Token& first() const { return tokens[words.front()]; }
    const Token& last() const { return tokens[words.back()]; }
    std::size_t size() const { return words.size(); }

    // The word before "of" ("Bureau" in "Federal Bureau of Investigation"); nullptr without "of".
    const Token* word_before_of() const {
        for (std::size_t i = span.first_token + 1; i <= span.last_token; ++i)
            if (tokens[i].key == "of" && !tokens[i].capitalised) return &tokens[i - 1];
        return nullptr;
    }
    bool contains_particle() const {
        for (std::size_t i = span.first_token; i <= span.last_token; ++i)
            if (tokens[i].kind == TokenKind::word && !tokens[i].capitalised &&
                gazetteer::is_name_particle(tokens[i].key))
                return true;
        return false;
    }
    // The key without its first word: "northern california" -> "california".
    std::string key_after_first_word() const {
        std::size_t space = key.find(' ');
        return space == std::string::npos ? std::string() : key.substr(space + 1);
    }
};

// "Jean-Luc" counts as "Jean".
bool is_first_name(const std::string& key) {
    return gazetteer::is_first_name(key) || gazetteer::is_first_name(key.substr(0, key.find('-')));
}

double person_evidence(const SpanView& view) {
    const std::vector<Token>& tokens = view.tokens;
    double score = view.span.had_title ? strong : 0.0;
    bool several = view.size() >= 2;
    if (several && gazetteer::is_generational_suffix(view.last().key)) score += generational_suffix;
    if (is_first_name(view.first().key)) score += several ? first_name_in_full_name : first_name_alone;
    auto is_initial_word = [&](std::size_t i) { return is_initial(tokens[i]); };
    if (several && std::any_of(view.words.begin(), view.words.end(), is_initial_word)) score += initials;
    if (several && view.contains_particle()) score += particle;

    const Token* before = word_before(tokens, view.span.first_token);
    if (before && gazetteer::is_attribution_verb(before->key)) score += attribution;
    if (before && !before->capitalised && gazetteer::is_role_noun(before->key)) score += role_noun_before;
    const Token* after = word_after(tokens, view.span.last_token);
    if (after && gazetteer::is_attribution_verb(after->key)) score += attribution;
    if (after && several && gazetteer::is_person_action_verb(after->key)) score += person_action_after;
    const Token* next = token_after(tokens, view.span.last_token);
    if (is_mark(next, ",")) {
        const Token* then = word_after(tokens, view.span.last_token + 1);
        if (then && then->key == "who") score += who_after;
    }

    bool plain_shape = view.size() <= 3 && !gazetteer::is_organization_suffix(view.last().key) &&
                       !gazetteer::is_location_suffix(view.last().key) &&
                       std::all_of(view.words.begin(), view.words.end(),
                                   [&](std::size_t i) { return !tokens[i].all_caps && !is_initial(tokens[i]); });
    if (several && plain_shape) score += two_or_three_capitalised_words;
    return score;
}

double organization_evidence(const SpanView& view) {
    const std::vector<Token>& tokens = view.tokens;
    double score = gazetteer::is_known_organization(view.key) ? strong : 0.0;
    if (view.size() >= 2 && gazetteer::is_organization_suffix(view.last().key)) score += strong;
    const Token* head = view.word_before_of();
    if (head && gazetteer::is_organization_head(head->key)) score += head_of;
    if (view.key.find('&') != std::string::npos) score += ampersand;
    if (view.size() == 1 && view.first().all_caps) {
        std::size_t letters = utf8::count_code_points(view.key);
        if (letters >= 2 && letters <= 5) score += acronym;
    }
    const Token* before = word_before(tokens, view.span.first_token);
    if (before) {
        static const char* const business_verbs[] = {"joined", "acquired", "acquire", "acquires", "acquiring"};
        for (const char* verb : business_verbs)
            if (before->key == verb) score += business_verb_before;
        if (before->key == "at") score += gazetteer::location_preposition_weight("at");
    }
    return score;
}

// "Springfield, Illinois": the known place after the comma vouches for the span.
bool followed_by_known_place(const std::vector<Token>& tokens, std::size_t last_token) {
    if (!is_mark(token_after(tokens, last_token), ",")) return false;
    const Token* first = word_after(tokens, last_token + 1);
    if (!first || !first->capitalised) return false;
    if (gazetteer::is_known_location(first->key)) return true;
    const Token* second = word_after(tokens, last_token + 2);
    return second && gazetteer::is_known_location(first->key + " " + second->key);
}

double location_evidence(const SpanView& view) {
    const std::vector<Token>& tokens = view.tokens;
    double score = gazetteer::is_known_location(view.key) ? strong : 0.0;
    bool several = view.size() >= 2;
    if (several && gazetteer::is_compass_prefix(view.first().key) &&
        gazetteer::is_known_location(view.key_after_first_word()))
        score += compass_and_known_place;
    if (several && gazetteer::is_location_suffix(view.last().key)) score += place_affix;
    const Token* head = view.word_before_of();
    if (head && gazetteer::is_location_head(head->key)) score += place_affix;
    if (several && gazetteer::is_location_prefix(view.first().key)) score += place_affix;

    if (const Token* before = word_before(tokens, view.span.first_token)) {
        score += gazetteer::location_preposition_weight(before->key);
        static const char* const settling_words[] = {"based",  "headquartered", "located", "born",
                                                     "lives", "lived",         "live",    "situated"};
        const Token* before_that = before->key == "in" ? word_before(tokens, view.span.first_token - 1) : nullptr;
        if (before_that)
            for (const char* word : settling_words)
                if (before_that->key == word) score += settled_in;
    }
    if (followed_by_known_place(tokens, view.span.last_token)) score += known_place_after_comma;
    const Token* next = token_after(tokens, view.span.last_token);
    if (is_mark(next, "-") && !tokens[view.span.last_token + 1].space_before) {
        const Token* then = word_after(tokens, view.span.last_token + 1);
        if (then && then->key == "based") score += place_based;
    }
    return score;
}

// Single words that look like names but never are ("March", "CEO", "French").
bool is_excluded_single_word(const SpanView& view) {
    if (view.size() != 1) return false;
    const std::string& key = view.first().key;
    return gazetteer::is_never_a_name(key) || gazetteer::is_function_word(key) || gazetteer::is_person_title(key) ||
           gazetteer::is_title_modifier(key) || gazetteer::is_organization_suffix(key);
}

struct Alias {
    EntityType type;
    double confidence;
    std::size_t source;  // the span it was learnt from, which it must not vouch for
};

using AliasTable = std::unordered_map<std::string, Alias>;

void add_alias(AliasTable& aliases, const std::string& key, const Alias& alias) {
    if (key.empty()) return;
    auto [found, inserted] = aliases.emplace(key, alias);
    if (!inserted && found->second.confidence < alias.confidence) found->second = alias;
}

// The short forms a confident name is later referred to by: a person's
// surname ("Smith"), an organisation's distinctive first word ("Acme") and
// its name without the legal form ("Acme Widgets").
void add_aliases(AliasTable& aliases, const SpanView& view, const Classified& classified, std::size_t source) {
    const Alias alias{classified.type, classified.confidence, source};
    add_alias(aliases, view.key, alias);
    if (view.size() < 2) return;
    const std::vector<Token>& tokens = view.tokens;
    if (classified.type == EntityType::person) {
        std::size_t surname = view.words.size() - 1;
        if (gazetteer::is_generational_suffix(tokens[view.words[surname]].key)) --surname;
        add_alias(aliases, tokens[view.words[surname]].key, alias);
    } else if (classified.type == EntityType::organization) {
        const std::string& first = view.first().key;
        if (!gazetteer::is_generic_organization_word(first) && !gazetteer::is_function_word(first) &&
            !gazetteer::is_known_location(first) && !is_first_name(first))
            add_alias(aliases, first, alias);
        if (gazetteer::is_organization_suffix(view.last().key)) {
            std::size_t last_space = view.key.rfind(' ');
            add_alias(aliases, view.key.substr(0, last_space), alias);
        }
    }
}

void add_to(Scores& scores, EntityType type, double amount) {
    if (type == EntityType::person) scores.person += amount;
    if (type == EntityType::organization) scores.organization += amount;
    if (type == EntityType::location) scores.location += amount;
}

}  // namespace

std::vector<Candidate> classify_names(const std::vector<Token>& tokens, const std::vector<NameSpan>& spans,
                                      double min_confidence) {
    std::vector<SpanView> views;
    std::vector<Scores> scores;
    for (const NameSpan& span : spans) {
        SpanView view{tokens, span, name_word_indices(tokens, span), span_key(tokens, span)};
        if (view.words.empty() || is_excluded_single_word(view)) continue;
        scores.push_back({person_evidence(view), organization_evidence(view), location_evidence(view)});
        views.push_back(std::move(view));
    }

    AliasTable aliases;
    for (std::size_t i = 0; i < views.size(); ++i) {
        Classified classified = best_of(scores[i]);
        if (classified.confidence >= min_confidence) add_aliases(aliases, views[i], classified, i);
    }

    std::vector<Candidate> names;
    for (std::size_t i = 0; i < views.size(); ++i) {
        auto alias = aliases.find(views[i].key);
        if (alias != aliases.end() && alias->second.source != i)
            add_to(scores[i], alias->second.type, alias_of_confident_name);
        Classified classified = best_of(scores[i]);
        if (classified.confidence < min_confidence) continue;
        const NameSpan& span = views[i].span;
        names.push_back({classified.type, tokens[span.first_token].begin, tokens[span.last_token].end, {},
                         classified.confidence});
    }
    return names;
}

}  // namespace entity_extractor
