// The SRE agent (seed 002): works one incident as a loop of observe,
// reason, act and evaluate. The host queues it for each new or reopened
// incident with the incident's signals and retrieved evidence, and hands it
// fresh ones at every iteration (input.observed). Acting runs an allowed
// action (kubectl rollout undo or restart) through the host's exec service,
// only after a person approved it; evaluating reads the signals that
// arrived since.
#include <agenthost/agent.hpp>
#include <textkit/llm_call.hpp>

#include <chrono>
#include <set>
#include <string>

#include "sre_loop.hpp"

namespace {

using agenthost::json::string;

long long now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

class SreAgent final : public agenthost::Agent {
  public:
    explicit SreAgent(agenthost::Host& host) : agenthost::Agent(host), settings_(sre::settings_from(host.config())) {}

    rapidjson::Document invoke(agenthost::Run& run) override {
        const rapidjson::Value* observed = &run.context();
        if (auto found = run.input().FindMember("observed");
            found != run.input().MemberEnd() && found->value.IsObject())
            observed = &found->value;
        const sre::Observation observation = sre::read_observation(*observed);
        if (observation.signals.empty() && observation.recent.empty())
            throw agenthost::InvalidInput("the context holds no signals (context.signals, context.recent_signals)");

        rapidjson::Document result(rapidjson::kObjectType);
        auto& allocator = result.GetAllocator();
        result.AddMember("incident_id", string(observation.incident_id, result), allocator);
        result.AddMember("iteration", run.input().HasMember("iteration") ? run.input()["iteration"].GetInt() : 1,
                         allocator);

        // Observe.
        rapidjson::Document seen(rapidjson::kObjectType);
        seen.AddMember("signals", static_cast<uint64_t>(observation.signals.size()), seen.GetAllocator());
        seen.AddMember("recent_signals", static_cast<uint64_t>(observation.recent.size()), seen.GetAllocator());
        seen.AddMember("evidence", static_cast<uint64_t>(observation.evidence.size()), seen.GetAllocator());
        run.emit("sre.observe", seen);
        run.throw_if_cancelled();

        // Reason.
        const incident::Analysis analysis = incident::analyse(sre::analysis_input(observation));
        std::string root_cause = analysis.hypotheses.empty() ? "unknown" : analysis.hypotheses.front().title;
        rapidjson::Value hypotheses(rapidjson::kArrayType);
        for (size_t i = 0; i < analysis.hypotheses.size() && i < 3; ++i) {
            const auto& h = analysis.hypotheses[i];
            rapidjson::Value item(rapidjson::kObjectType);
            item.AddMember("cause", string(h.cause, result), allocator);
            item.AddMember("title", string(h.title, result), allocator);
            item.AddMember("score", h.score, allocator);
            item.AddMember("action", string(h.action, result), allocator);
            hypotheses.PushBack(item, allocator);
        }
        rapidjson::Document reasoned(rapidjson::kObjectType);
        reasoned.AddMember("root_cause", string(root_cause, reasoned), reasoned.GetAllocator());
        reasoned.AddMember("summary", string(analysis.summary, reasoned), reasoned.GetAllocator());
        run.emit("sre.reason", reasoned);
        result.AddMember("root_cause", string(root_cause, result), allocator);  // the LLM's may replace it
        result.AddMember("summary", string(analysis.summary, result), allocator);
        result.AddMember("hypotheses", hypotheses, allocator);

        // What earlier iterations did (an approval round starts afresh: the
        // approved action then runs in its first iteration).
        rapidjson::Value actions(rapidjson::kArrayType);
        std::set<std::string> done;
        long long acted_at = 0;
        std::string acted_service;
        if (auto previous = run.input().FindMember("previous_result");
            previous != run.input().MemberEnd() && previous->value.IsObject()) {
            if (auto list = previous->value.FindMember("actions");
                list != previous->value.MemberEnd() && list->value.IsArray()) {
                for (const auto& item : list->value.GetArray()) {
                    if (!item.IsObject()) continue;
                    actions.PushBack(rapidjson::Value(item, allocator), allocator);
                    std::string action = item.HasMember("action") ? item["action"].GetString() : "";
                    std::string service = item.HasMember("service") ? item["service"].GetString() : "";
                    done.insert(action + ":" + service);
                    if (item.HasMember("at_ms") && item["at_ms"].IsInt64() && item["at_ms"].GetInt64() > acted_at) {
                        acted_at = item["at_ms"].GetInt64();
                        acted_service = service;
                    }
                }
            }
        }

        // Evaluate what the last action did, from signals since.
        std::string evaluation;
        bool resolved = false;
        bool act_again = acted_at == 0;
        if (acted_at != 0) {
            const sre::Verdict verdict = sre::evaluate(observation, acted_service, acted_at);
            resolved = verdict.resolved;
            evaluation = verdict.reason;
            act_again = !verdict.resolved && !verdict.waiting;
            rapidjson::Document data(rapidjson::kObjectType);
            data.AddMember("resolved", verdict.resolved, data.GetAllocator());
            data.AddMember("waiting", verdict.waiting, data.GetAllocator());
            data.AddMember("reason", string(verdict.reason, data), data.GetAllocator());
            run.emit("sre.evaluate", data);
        }

        // Act.
        bool acted_now = false;
        std::string reasoned_by = "rules";
        if (act_again) {
            const sre::Plan plan = next_plan(run, observation, analysis, done, root_cause, reasoned_by);
            rapidjson::Document data(rapidjson::kObjectType);
            data.AddMember("action", string(plan.action.empty() ? "none" : plan.action, data), data.GetAllocator());
            data.AddMember("reason", string(plan.reason, data), data.GetAllocator());
            if (plan.action.empty()) {
                run.emit("sre.act", data);
                if (evaluation.empty()) evaluation = plan.reason + ": a person has to take over";
            } else {
                const std::string command = sre::joined(plan.argv);
                rapidjson::Document details(rapidjson::kObjectType);
                details.AddMember("command", string(command, details), details.GetAllocator());
                details.AddMember("incident_id", string(observation.incident_id, details), details.GetAllocator());
                details.AddMember("hypothesis", string(plan.reason, details), details.GetAllocator());
                // Nothing changes a system before a person says so; the run
                // pauses here and starts again once approved.
                run.require_approval(plan.action, "runs `" + command + "`: " + plan.reason, &details);
                run.throw_if_cancelled();
                data.AddMember("command", string(command, data), data.GetAllocator());
                run.emit("sre.act", data);
                agenthost::ExecOptions options;
                options.argv = plan.argv;
                options.timeout_seconds = settings_.exec_timeout_seconds;
                options.network = true;  // kubectl reaches the cluster
                const agenthost::ExecResult ran = run.exec(options);
                rapidjson::Value action(rapidjson::kObjectType);
                action.AddMember("action", string(plan.action, result), allocator);
                action.AddMember("service", string(plan.service, result), allocator);
                action.AddMember("command", string(command, result), allocator);
                action.AddMember("status", rapidjson::StringRef(ran.succeeded() ? "executed" : "failed"), allocator);
                action.AddMember("exit_code", ran.exit_code, allocator);
                std::string output = ran.stdout_text + ran.stderr_text;
                if (output.size() > 4000) output = output.substr(0, 4000);
                action.AddMember("output", string(output, result), allocator);
                rapidjson::Value approval(rapidjson::kObjectType);
                approval.AddMember("operation", string(plan.action, result), allocator);
                action.AddMember("approval", approval, allocator);
                action.AddMember("at_ms", static_cast<int64_t>(now_ms()), allocator);
                actions.PushBack(action, allocator);
                acted_now = ran.succeeded();
                evaluation = ran.succeeded() ? "ran `" + command + "`; waiting for fresh signals to evaluate"
                                             : "`" + command + "` failed (exit " + std::to_string(ran.exit_code) + ")";
            }
        }
        // Fresh signals need time to arrive: the next iteration observes
        // after this pause.
        if (!resolved && (acted_now || (acted_at != 0 && !act_again))) {
            run.progress("waiting " + std::to_string(static_cast<int>(settings_.settle_seconds)) +
                         " s for fresh signals");
            run.sleep_for(std::chrono::milliseconds(static_cast<long long>(settings_.settle_seconds * 1000)));
        }
        result["root_cause"].SetString(root_cause.c_str(), static_cast<rapidjson::SizeType>(root_cause.size()), allocator);
        result.AddMember("reasoned_by", string(reasoned_by, result), allocator);
        result.AddMember("actions", actions, allocator);
        result.AddMember("evaluation", string(evaluation, result), allocator);
        result.AddMember("resolved", resolved, allocator);
        return result;
    }

  private:
    // The next action: from the configured LLM when there is one (its root
    // cause replaces the rules'), else, or when it fails and the manifest
    // allows it, from the rules' best hypothesis.
    sre::Plan next_plan(agenthost::Run& run, const sre::Observation& observation, const incident::Analysis& analysis,
                        const std::set<std::string>& done, std::string& root_cause, std::string& reasoned_by) const {
        const textkit::LlmTarget llm = textkit::llm_target(run);
        if (llm.use()) {
            try {
                const textkit::JsonQuestion question{
                    "You are an SRE agent working one production incident. From its signals, name the root cause "
                    "and the one next remediation. Actions: rollout_undo (roll the service's Kubernetes Deployment "
                    "back to its previous revision), restart (restart its pods), or none. Choose only an allowed "
                    "action; service is the Deployment's name.",
                    sre::llm_question(observation, analysis, settings_),
                    "{\"root_cause\": \"...\", \"action\": \"rollout_undo|restart|none\", \"service\": \"...\"}", 400};
                std::string cause;
                sre::Plan plan = textkit::ask_json(run, question, [&](const rapidjson::Document& answer) {
                    return sre::plan_from_llm(answer, settings_, done, cause);
                });
                root_cause = cause;
                reasoned_by = "llm";
                return plan;
            } catch (const agenthost::Cancelled&) {
                throw;
            } catch (const std::exception& e) {
                if (run.cancelled()) throw agenthost::Cancelled();
                if (llm.fallback != "offline")
                    throw agenthost::Error(AGENTHOST_ERROR_FAILED,
                                           "sre_agent: the LLM (" + llm.provider + ") failed: " + e.what());
                run.progress("LLM (" + llm.provider + ") failed, reasoning from the rules: " + e.what());
            }
        }
        return sre::plan_action(analysis, settings_, observation.service, done);
    }

    const sre::Settings settings_;
};

}  // namespace

AGENTHOST_AGENT(SreAgent, "sre_agent", "0.1.0")
