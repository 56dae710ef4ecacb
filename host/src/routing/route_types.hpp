// The routing supervisors' vocabulary: what they know of an agent, how they
// are tuned, and the decision they hand back. Plain structs with no JSON or
// HTTP types, so the run layer can store and render them as it likes.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace agenthost::routing {

// What routing reads from an enabled agent's manifest.
struct AgentProfile {
    std::string name;
    std::string domain;  // infrastructure | development | operations | text
    std::string description;
    std::vector<std::string> keywords;
    // The context members its input schema lists ("max_sentences").
    std::vector<std::string> context_fields;
};

struct RouterSettings {
    // BM25 saturation and length normalisation.
    double k1 = 1.2;
    double b = 0.75;
    // IDF counts this many extra documents that match nothing. With only the
    // handful of enabled agents as the corpus, a keyword held by the only
    // agent (or by every agent) would get an IDF near zero and no task could
    // clear min_score; the background keeps a routing term meaningful however
    // few agents are enabled, while terms shared by many agents still weigh
    // less than a term only one agent has.
    double background_documents = 2.0;
    // Field weights (BM25F-style: a term's frequency counts this many times
    // per occurrence). Keywords and name parts are chosen by the author for
    // routing; a description also says how the agent works, so its words are
    // weaker evidence.
    double keyword_weight = 3.0;
    double name_weight = 3.0;
    double description_weight = 1.0;
    // A multi-word keyword found as a phrase in the task adds this share of
    // the summed IDF of its words ("customer feedback" beats "customer" +
    // "feedback" found apart).
    double phrase_bonus = 0.5;
    // A task term that names the agent ("Dockerfile" for dockerfile_generator,
    // "Terraform" for terraform_generator) adds this many times its IDF: an
    // agent named after what the task asks for is the one to ask, even when
    // other agents list that word among many ("dockerfile" is a keyword of
    // scaffold_agent too, which writes one as part of a project, and "python"
    // or "service" then tipped "Write a Dockerfile for my python service"
    // there). Role words in names (generator, manager, expert) do not count.
    double name_bonus = 2.5;
    // A context member the request sends that an agent's input schema lists
    // adds this many times an IDF of its own (how few agents list it): the
    // caller sent a field the agent reads, which a field only one agent
    // reads ("max_sentences") says more clearly than the task's words can.
    // It counts as deliberate evidence, like a keyword.
    double context_bonus = 6.0;
    // A task is routed only when the chosen agent scores at least this and
    // matched at least one of its keywords or name parts. Matches in the
    // description alone ("Paris" in an example) are not enough to claim fit.
    double min_score = 0.5;
    bool require_keyword_match = true;
    // Candidates reported in a decision (best first).
    size_t max_candidates = 3;
    // What the LLM is shown: descriptions and the task are cut to these sizes.
    size_t llm_description_chars = 300;
    size_t llm_task_chars = 4000;
    int llm_max_tokens = 200;
};

struct Candidate {
    std::string agent;
    std::string domain;
    double score = 0;                        // BM25 plus phrase bonus
    std::vector<std::string> matched_terms;  // analysed task terms that scored, sorted
};

struct RouteDecision {
    bool routed = false;  // false: no enabled agent fits the task
    std::string agent;    // set when routed
    std::string domain;   // set when routed
    // The supervisors that decided, then the agent:
    // ["root_supervisor", "text_supervisor", "sentiment"]. Only
    // ["root_supervisor"] when nothing was routed.
    std::vector<std::string> supervisor_path;
    // Best first, at most max_candidates; when the LLM chose an agent outside
    // them, that agent is appended (so its offline score is on record).
    std::vector<Candidate> candidates;
    std::map<std::string, double> domain_scores;  // per domain with an enabled agent
    std::string method;                           // "bm25" | "llm"
    std::string reason;                           // why this agent, or why none
    std::string llm_error;                        // set when the LLM was asked and not followed
};

// "text" -> "text_supervisor".
std::string supervisor_name(const std::string& domain);

}  // namespace agenthost::routing
