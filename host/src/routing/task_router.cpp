#include "routing/task_router.hpp"

#include "routing/llm_route.hpp"
#include "routing/tokenizer.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

namespace agenthost::routing {
namespace {

constexpr const char* kRootSupervisor = "root_supervisor";

std::vector<AgentProfile> sorted_by_name(std::vector<AgentProfile> agents) {
    std::sort(agents.begin(), agents.end(),
              [](const AgentProfile& a, const AgentProfile& b) { return a.name < b.name; });
    return agents;
}

std::vector<AgentDocument> build_documents(const std::vector<AgentProfile>& agents, const RouterSettings& settings) {
    std::vector<AgentDocument> documents;
    documents.reserve(agents.size());
    for (const auto& agent : agents) documents.push_back(build_agent_document(agent, settings));
    return documents;
}

std::vector<WeightedDocument> weighted(const std::vector<AgentDocument>& documents) {
    std::vector<WeightedDocument> out;
    out.reserve(documents.size());
    for (const auto& document : documents) out.push_back(document.weighted);
    return out;
}

std::string format_score(double score) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.3f", score);
    return buffer;
}

}  // namespace

std::string supervisor_name(const std::string& domain) { return domain + "_supervisor"; }

TaskRouter::TaskRouter(std::vector<AgentProfile> enabled_agents, RouterSettings settings)
    : agents_(sorted_by_name(std::move(enabled_agents))),
      settings_(settings),
      documents_(build_documents(agents_, settings_)),
      index_(weighted(documents_), settings_.k1, settings_.b, settings_.background_documents) {}

std::vector<TaskRouter::Scored> TaskRouter::score_all(const std::string& task,
                                                      const std::vector<std::string>& context_fields) const {
    TokenStream query = tokenize(without_addresses(task));
    // Distinct terms: a long text pasted into the task must not outvote the
    // instruction by repeating a word.
    std::set<std::string> terms(query.terms.begin(), query.terms.end());
    std::set<std::string> sent(context_fields.begin(), context_fields.end());
    // BM25's IDF over the agents that list a field, with the same background.
    auto field_idf = [this](const std::string& field) {
        double listing = 0;
        for (const auto& agent : agents_)
            if (std::find(agent.context_fields.begin(), agent.context_fields.end(), field) != agent.context_fields.end())
                ++listing;
        double n = static_cast<double>(agents_.size()) + settings_.background_documents;
        return std::log(1.0 + (n - listing + 0.5) / (listing + 0.5));
    };

    std::vector<Scored> scored;
    scored.reserve(agents_.size());
    for (size_t i = 0; i < agents_.size(); ++i) {
        const AgentDocument& document = documents_[i];
        Scored entry{i, 0, false, {}};
        for (const auto& term : terms) {
            double contribution = index_.term_score(i, term);
            if (contribution <= 0) continue;
            entry.score += contribution;
            entry.matched_terms.push_back(term);
            if (document.keyword_terms.count(term) != 0) entry.keyword_match = true;
            if (document.name_terms.count(term) != 0) entry.score += settings_.name_bonus * index_.idf(term);
        }
        for (const auto& field : sent) {
            const auto& listed = agents_[i].context_fields;
            if (std::find(listed.begin(), listed.end(), field) == listed.end()) continue;
            entry.score += settings_.context_bonus * field_idf(field);
            entry.matched_terms.push_back("context." + field);
            entry.keyword_match = true;
        }
        for (const auto& phrase : document.phrases) {
            if (!contains_phrase(query.sequence, phrase)) continue;
            double idf_sum = 0;
            for (const auto& word : phrase) idf_sum += index_.idf(word);
            entry.score += settings_.phrase_bonus * idf_sum;
            entry.keyword_match = true;
        }
        scored.push_back(std::move(entry));
    }
    // Best first; equal scores by name (agents_ is sorted, so by index).
    std::stable_sort(scored.begin(), scored.end(), [](const Scored& a, const Scored& b) { return a.score > b.score; });
    return scored;
}

RouteDecision TaskRouter::route_offline(const std::string& task, const std::vector<std::string>& context_fields) const {
    RouteDecision decision;
    decision.method = "bm25";
    decision.supervisor_path = {kRootSupervisor};
    if (agents_.empty()) {
        decision.reason = "no agent is enabled";
        return decision;
    }

    std::vector<Scored> scored = score_all(task, context_fields);
    for (size_t i = 0; i < scored.size() && i < settings_.max_candidates; ++i) {
        const auto& agent = agents_[scored[i].agent];
        decision.candidates.push_back({agent.name, agent.domain, scored[i].score, scored[i].matched_terms});
    }

    // Root supervisor: a domain is as good as its best agent.
    for (const auto& entry : scored) {
        const auto& domain = agents_[entry.agent].domain;
        auto found = decision.domain_scores.find(domain);
        if (found == decision.domain_scores.end() || entry.score > found->second)
            decision.domain_scores[domain] = entry.score;
    }
    std::string best_domain;
    double best_domain_score = -1;
    for (const auto& [domain, score] : decision.domain_scores) {  // std::map: ties go to the smaller name
        if (score > best_domain_score) {
            best_domain = domain;
            best_domain_score = score;
        }
    }

    // Domain supervisor: the best agent within the chosen domain. scored is
    // already best first with ties by name.
    const Scored* chosen = nullptr;
    for (const auto& entry : scored) {
        if (agents_[entry.agent].domain == best_domain) {
            chosen = &entry;
            break;
        }
    }
    const AgentProfile& agent = agents_[chosen->agent];

    if (chosen->score <= 0) {
        decision.reason = "no enabled agent's manifest matches any term of the task";
        return decision;
    }
    if (settings_.require_keyword_match && !chosen->keyword_match) {
        decision.reason = "the best candidate, " + agent.name + ", matched only words of its description, none of "
                          "its keywords";
        return decision;
    }
    if (chosen->score < settings_.min_score) {
        decision.reason = "the best candidate, " + agent.name + ", scored " + format_score(chosen->score) +
                          ", below the minimum of " + format_score(settings_.min_score);
        return decision;
    }

    decision.routed = true;
    decision.agent = agent.name;
    decision.domain = agent.domain;
    decision.supervisor_path = {kRootSupervisor, supervisor_name(agent.domain), agent.name};
    decision.reason = agent.name + " scored highest (" + format_score(chosen->score) + ") in domain " +
                      agent.domain;
    return decision;
}

RouteDecision TaskRouter::route(const std::string& task, llm::LlmClient* llm,
                                const std::vector<std::string>& context_fields) const {
    RouteDecision decision = route_offline(task, context_fields);
    if (llm == nullptr || agents_.empty() || tokenize(task).terms.empty()) return decision;
    bool configured = false;
    try {
        configured = llm->configured("");
    } catch (...) {
        // A client that cannot even say whether it is configured is treated as
        // not configured; the offline decision stands.
    }
    if (!configured) return decision;

    LlmChoice choice = ask_llm_for_route(task, agents_, *llm, settings_);
    if (!choice.accepted) {
        decision.llm_error = choice.error;
        return decision;
    }
    // The offline candidates and domain scores stay: they are what the
    // operator compares the model's choice against. The chosen agent is
    // always among them, even when BM25 ranked it below the top few.
    bool listed = std::any_of(decision.candidates.begin(), decision.candidates.end(),
                              [&](const Candidate& c) { return c.agent == choice.agent; });
    if (!listed) {
        for (const auto& entry : score_all(task, context_fields)) {
            const auto& agent = agents_[entry.agent];
            if (agent.name == choice.agent)
                decision.candidates.push_back({agent.name, agent.domain, entry.score, entry.matched_terms});
        }
    }
    decision.routed = true;
    decision.method = "llm";
    decision.agent = choice.agent;
    decision.domain = choice.domain;
    decision.supervisor_path = {kRootSupervisor, supervisor_name(choice.domain), choice.agent};
    decision.reason = choice.reason.empty() ? "chosen by the LLM" : "chosen by the LLM: " + choice.reason;
    return decision;
}

}  // namespace agenthost::routing
