#include "api/task_routing.hpp"

#include "util/log.hpp"

#include "api/json_writer.hpp"
#include "http/api_error.hpp"
#include "json/json_util.hpp"

#include <cstdio>

namespace agenthost::api {
namespace {

std::string score_text(double score) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.3f", score);
    return buffer;
}

// Stored with the run and shown as its "routing": the path, how it was
// decided and the scores that decided.
std::string routing_json(const routing::RouteDecision& decision) {
    JsonWriter out;
    out->StartObject();
    out.string_array("supervisor_path", decision.supervisor_path);
    out.field("method", decision.method);
    out.field("domain", decision.domain);
    out.field("agent", decision.agent);
    out.field("reason", decision.reason);
    out.key("candidates");
    out->StartArray();
    for (const auto& candidate : decision.candidates) {
        out->StartObject();
        out.field("agent", candidate.agent);
        out.field("domain", candidate.domain);
        out.field("score", candidate.score);
        out.string_array("matched_terms", candidate.matched_terms);
        out->EndObject();
    }
    out->EndArray();
    out.key("domain_scores");
    out->StartObject();
    for (const auto& [domain, score] : decision.domain_scores) out.field(domain, score);
    out->EndObject();
    if (!decision.llm_error.empty()) out.field("llm_error", decision.llm_error);
    out->EndObject();
    return out.str();
}

}  // namespace

void route_if_unnamed(ApiContext& context, runs::InvokeRequest& request, const std::string& field) {
    if (!request.agent_name.empty()) return;
    auto router = context.router != nullptr ? context.router->get() : nullptr;
    if (router == nullptr || router->agents().empty())
        throw http::ApiError(422, "NoAgentFits", "no agent is enabled on this host to route the task to",
                             {{field, "name an agent; GET /agents lists them"}});
    // The context's members count toward the agents that read them.
    std::vector<std::string> fields;
    std::string error;
    if (auto parsed = json::parse(request.context_json, error); parsed && parsed->IsObject())
        for (const auto& member : parsed->GetObject())
            if (fields.size() < 64) fields.emplace_back(member.name.GetString(), member.name.GetStringLength());
    routing::RouteDecision decision = router->route(request.task, context.llm, fields);
    if (!decision.routed) {
        std::string best;
        std::vector<http::ErrorDetail> details;
        for (size_t i = 0; i < decision.candidates.size(); ++i) {
            const auto& candidate = decision.candidates[i];
            best += (best.empty() ? "" : ", ") + candidate.agent + " (" + score_text(candidate.score) + ")";
            details.push_back({"/candidates/" + std::to_string(i),
                                 candidate.agent + " (" + candidate.domain + ") scored " + score_text(candidate.score)});
        }
        details.push_back({field, "no enabled agent fits the task; name one"});
        throw http::ApiError(422, "NoAgentFits",
                             "no enabled agent fits the task: " + decision.reason +
                                 (best.empty() ? "" : "; best candidates: " + best),
                             details);
    }
    request.agent_name = decision.agent;
    request.routing_json = routing_json(decision);
    if (log::enabled(log::Level::debug)) {
        std::string candidates;
        for (const auto& candidate : decision.candidates)
            candidates += (candidates.empty() ? "" : ", ") + candidate.agent + " " + score_text(candidate.score);
        log::debug("task routed", {{"agent", decision.agent}, {"method", decision.method},
                                   {"reason", decision.reason}, {"candidates", candidates}});
    }
}

}  // namespace agenthost::api
