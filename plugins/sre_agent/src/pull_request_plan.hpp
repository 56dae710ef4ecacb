// When the evidence points at a change in a watched repository, which
// commit is the suspect and where it lives (the incident's repository from
// POST /api/repos, or the GitHub signal's owner/name): the open_pull_request
// action's plan, the pull request's text, and the validation of a patch an
// LLM proposes instead of a revert (never trusted as given).
#ifndef SRE_AGENT_PULL_REQUEST_PLAN_HPP
#define SRE_AGENT_PULL_REQUEST_PLAN_HPP

#include "sre_loop.hpp"

#include <optional>
#include <set>
#include <string>

namespace sre {

struct Suspect {
    CommitView commit;
    std::string owner;
    std::string repo;
    std::string repository;  // the watched repository's name
    long long pushed_at_ms = 0;
    std::string why;  // what ties it to the incident
};

// The commit most likely behind the incident: pushed to the incident's
// repository within an hour before its first error (or a few minutes
// after), preferring one whose message or files share words with the
// errors, then the latest. nullopt with `why_not` otherwise.
std::optional<Suspect> suspect_commit(const Observation& observation, std::string& why_not);

// The open_pull_request plan (a revert of the suspect commit) when it is
// allowed, not done, a token is configured, the rules' best hypothesis
// calls for rolling a change back and a suspect commit is known; nullopt
// with `why_not` (for the event saying why none is proposed).
std::optional<Plan> plan_pull_request(const Observation& observation, const incident::Analysis& analysis,
                                      const Settings& settings, const std::set<std::string>& done, std::string& why_not);

// "sre/revert-<short sha>-<incident id>": one branch per incident and
// commit, so a second attempt finds it exists rather than piling up.
std::string branch_for(const Plan& plan, const std::string& incident_id);
std::string pull_request_title(const Plan& plan);
std::string pull_request_body(const Plan& plan, const Observation& observation, const std::string& root_cause,
                              const Settings& settings);

// An LLM's patch {"title", "files": [{"path", "content"}]} checked: at
// least one file and at most github_max_files, each path relative and
// inside the repository (no "..", no ".git", no absolute or backslashed
// path, no control characters, not under .github/workflows where a token
// would let it change CI), no duplicates, each content at most
// github_max_file_bytes. Fills the plan's patch or throws
// std::runtime_error naming what is wrong.
void apply_llm_patch(const rapidjson::Value& patch, const Settings& settings, Plan& plan);

// An open_pull_request plan as JSON and back: what a person was asked to
// approve is kept (thread memory) and is what runs once approved, even if
// the evidence or the model would now propose another commit or patch.
std::string plan_to_json(const Plan& plan);
std::optional<Plan> plan_from_json(const rapidjson::Value& value);

}  // namespace sre

#endif  // SRE_AGENT_PULL_REQUEST_PLAN_HPP
