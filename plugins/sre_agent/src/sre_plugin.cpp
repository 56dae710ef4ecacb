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
#include <optional>
#include <set>
#include <string>

#include "github_client.hpp"
#include "pull_request_plan.hpp"
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

        // What earlier iterations did. An approval round starts afresh (the
        // approved action then runs in its first iteration) with no
        // previous result, so this run's actions are also kept in the
        // thread's memory: a pull request opened before the pause is neither
        // opened again nor missing from the incident's record.
        rapidjson::Value actions(rapidjson::kArrayType);
        std::set<std::string> done;
        long long acted_at = 0;
        std::string acted_service;
        std::set<std::string> seen_actions;
        auto take = [&](const rapidjson::Value& list) {
            if (!list.IsArray()) return;
            for (const auto& item : list.GetArray()) {
                if (!item.IsObject()) continue;
                std::string action = item.HasMember("action") && item["action"].IsString() ? item["action"].GetString() : "";
                std::string service =
                    item.HasMember("service") && item["service"].IsString() ? item["service"].GetString() : "";
                long long at = item.HasMember("at_ms") && item["at_ms"].IsInt64() ? item["at_ms"].GetInt64() : 0;
                if (!seen_actions.insert(action + ":" + service + ":" + std::to_string(at)).second) continue;
                actions.PushBack(rapidjson::Value(item, allocator), allocator);
                done.insert(action + ":" + service);
                // A pull request changes no running system, nor does a
                // command the host refused: evaluation waits only on what did.
                const bool refused = item.HasMember("status") && item["status"] == "refused";
                if (action != "open_pull_request" && !refused && at > acted_at) {
                    acted_at = at;
                    acted_service = service;
                }
            }
        };
        // An earlier iteration that handed the incident to a person leaves
        // nothing for this run to try: the loop ends without asking again.
        const rapidjson::Value* handed_over_before = nullptr;
        if (auto previous = run.input().FindMember("previous_result");
            previous != run.input().MemberEnd() && previous->value.IsObject()) {
            if (auto list = previous->value.FindMember("actions"); list != previous->value.MemberEnd())
                take(list->value);
            if (auto handed = previous->value.FindMember("handed_over");
                handed != previous->value.MemberEnd() && handed->value.IsTrue())
                handed_over_before = &previous->value;
        }
        rapidjson::Document remembered = remembered_actions(run);
        if (remembered.IsArray()) take(remembered);

        // Evaluate what the last action did, from signals since.
        std::string evaluation;
        bool resolved = false;
        bool act_again = acted_at == 0 && handed_over_before == nullptr;
        if (acted_at != 0) {
            const sre::Verdict verdict = sre::evaluate(observation, acted_service, acted_at);
            resolved = verdict.resolved;
            evaluation = verdict.reason;
            act_again = !verdict.resolved && !verdict.waiting && handed_over_before == nullptr;
            rapidjson::Document data(rapidjson::kObjectType);
            data.AddMember("resolved", verdict.resolved, data.GetAllocator());
            data.AddMember("waiting", verdict.waiting, data.GetAllocator());
            data.AddMember("reason", string(verdict.reason, data), data.GetAllocator());
            run.emit("sre.evaluate", data);
        }

        // Act. A command this host would refuse (its operator's exec
        // settings) is recorded as refused without asking anyone to approve
        // it, and the next option is taken; each refusal joins `done`, so
        // the options run out and the incident goes to a person.
        bool acted_now = false;
        bool handed_over = false;
        std::string reasoned_by = "rules";
        std::string refusals;  // what the host would not run, and why
        while (act_again) {
            const sre::Plan plan = next_plan(run, observation, analysis, done, root_cause, reasoned_by);
            rapidjson::Document data(rapidjson::kObjectType);
            data.AddMember("action", string(plan.action.empty() ? "none" : plan.action, data), data.GetAllocator());
            data.AddMember("reason", string(plan.reason, data), data.GetAllocator());
            if (plan.action.empty()) {
                run.emit("sre.act", data);
                handed_over = true;
                std::string take_over = plan.reason + ": a person has to take over";
                if (!refusals.empty())
                    take_over = refusals + "; " + take_over +
                                ", or an operator fixes what stops it (agents.sre_agent.exec: allow, network, "
                                "allow_unsandboxed; or the host's PATH) and the incident is worked again";
                evaluation = evaluation.empty() ? take_over : evaluation + "; " + take_over;
                break;
            }
            if (plan.action == "open_pull_request") {
                rapidjson::Value action = open_pull_request(run, observation, plan, root_cause, result);
                const bool opened = std::string(action["status"].GetString()) == "executed";
                evaluation = opened ? "opened pull request " + std::string(action["pull_request"]["url"].GetString())
                                    : "the pull request failed (" + std::string(action["error"].GetString()) +
                                          "); trying the next option";
                actions.PushBack(action, allocator);
                remember_actions(run, actions);
                break;
            }
            const agenthost::ExecOptions options = exec_options(plan);
            const std::string command = sre::joined(plan.argv);
            data.AddMember("command", string(command, data), data.GetAllocator());
            if (const std::optional<agenthost::Error> refusal = run.exec_refusal(options)) {
                const std::string refused = refusal->what();
                data.AddMember("status", "refused", data.GetAllocator());
                data.AddMember("error", string(refused, data), data.GetAllocator());
                run.emit("sre.act", data);
                actions.PushBack(refused_action(plan, refused, result), allocator);
                remember_actions(run, actions);
                done.insert(plan.action + ":" + plan.service);
                refusals += (refusals.empty() ? "this host cannot run `" : "; nor `") + command + "` (" + refused + ")";
                continue;
            }
            rapidjson::Document details(rapidjson::kObjectType);
            details.AddMember("command", string(command, details), details.GetAllocator());
            details.AddMember("incident_id", string(observation.incident_id, details), details.GetAllocator());
            details.AddMember("hypothesis", string(plan.reason, details), details.GetAllocator());
            // Nothing changes a system before a person says so; the run
            // pauses here and starts again once approved.
            run.require_approval(plan.action, "runs `" + command + "`: " + plan.reason, &details);
            run.throw_if_cancelled();
            run.emit("sre.act", data);
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
            remember_actions(run, actions);
            acted_now = ran.succeeded();
            evaluation = ran.succeeded() ? "ran `" + command + "`; waiting for fresh signals to evaluate"
                                         : "`" + command + "` failed (exit " + std::to_string(ran.exit_code) + ")";
            break;
        }
        // Handed over in an earlier iteration: its outcome stands (unless
        // the signals since show recovery) and this iteration ends at once.
        if (handed_over_before != nullptr && !resolved) {
            handed_over = true;
            evaluation = text_of(*handed_over_before, "evaluation");
            root_cause = text_of(*handed_over_before, "root_cause", root_cause);
            reasoned_by = text_of(*handed_over_before, "reasoned_by", reasoned_by);
        }
        // Fresh signals need time to arrive: the next iteration observes
        // after this pause.
        if (!resolved && !handed_over && (acted_now || (acted_at != 0 && !act_again))) {
            run.progress("waiting " + std::to_string(static_cast<int>(settings_.settle_seconds)) +
                         " s for fresh signals");
            run.sleep_for(std::chrono::milliseconds(static_cast<long long>(settings_.settle_seconds * 1000)));
        }
        result["root_cause"].SetString(root_cause.c_str(), static_cast<rapidjson::SizeType>(root_cause.size()), allocator);
        result.AddMember("reasoned_by", string(reasoned_by, result), allocator);
        result.AddMember("actions", actions, allocator);
        result.AddMember("evaluation", string(evaluation, result), allocator);
        result.AddMember("resolved", resolved, allocator);
        // Nothing left for this run to try: the host's loop may go on, but
        // later iterations only carry this outcome over.
        result.AddMember("handed_over", handed_over, allocator);
        return result;
    }

  private:
    static std::string text_of(const rapidjson::Value& object, const char* name, const std::string& otherwise = "") {
        auto found = object.FindMember(name);
        return found != object.MemberEnd() && found->value.IsString()
                   ? std::string(found->value.GetString(), found->value.GetStringLength())
                   : otherwise;
    }

    // The same options for the check as for the run, so the check answers
    // for what would run.
    agenthost::ExecOptions exec_options(const sre::Plan& plan) const {
        agenthost::ExecOptions options;
        options.argv = plan.argv;
        options.timeout_seconds = settings_.exec_timeout_seconds;
        options.network = true;  // kubectl reaches the cluster
        return options;
    }

    // A refused command, recorded like an action that failed: the
    // incident's record shows what was not done and why.
    static rapidjson::Value refused_action(const sre::Plan& plan, const std::string& why, rapidjson::Document& result) {
        auto& allocator = result.GetAllocator();
        rapidjson::Value action(rapidjson::kObjectType);
        action.AddMember("action", string(plan.action, result), allocator);
        action.AddMember("service", string(plan.service, result), allocator);
        action.AddMember("command", string(sre::joined(plan.argv), result), allocator);
        action.AddMember("status", "refused", allocator);
        action.AddMember("error", string(why, result), allocator);
        action.AddMember("at_ms", static_cast<int64_t>(now_ms()), allocator);
        return action;
    }

    static constexpr const char* kActionsKey = "sre_agent.actions";

    // This run's actions from the thread's memory (an empty array for
    // another run's, or on a host without memory).
    static rapidjson::Document remembered_actions(agenthost::Run& run) {
        rapidjson::Document out(rapidjson::kArrayType);
        try {
            auto text = run.memory_get(kActionsKey);
            if (!text) return out;
            rapidjson::Document kept;
            kept.Parse(text->c_str());
            if (!kept.IsObject() || !kept.HasMember("run_id") || !kept["run_id"].IsString() ||
                std::string_view(kept["run_id"].GetString()) != run.run_id() || !kept.HasMember("actions") ||
                !kept["actions"].IsArray())
                return out;
            out.CopyFrom(kept["actions"], out.GetAllocator());
        } catch (const agenthost::Cancelled&) {
            throw;
        } catch (const std::exception& e) {
            run.progress(std::string("this run's earlier actions could not be read from memory: ") + e.what());
        }
        return out;
    }

    static void remember_actions(agenthost::Run& run, const rapidjson::Value& actions) {
        rapidjson::Document kept(rapidjson::kObjectType);
        kept.AddMember("run_id", string(std::string(run.run_id()), kept), kept.GetAllocator());
        kept.AddMember("actions", rapidjson::Value(actions, kept.GetAllocator()), kept.GetAllocator());
        try {
            run.memory_put(kActionsKey, agenthost::json::serialize(kept));
        } catch (const agenthost::Cancelled&) {
            throw;
        } catch (const std::exception& e) {
            run.progress(std::string("this run's actions could not be kept in memory: ") + e.what());
        }
    }

    static constexpr const char* kPendingKey = "sre_agent.pending_pull_request";

    static std::optional<sre::Plan> pending_pull_request(agenthost::Run& run) {
        try {
            auto text = run.memory_get(kPendingKey);
            if (!text) return std::nullopt;
            rapidjson::Document kept;
            kept.Parse(text->c_str());
            if (!kept.IsObject() || !kept.HasMember("run_id") || !kept["run_id"].IsString() ||
                std::string_view(kept["run_id"].GetString()) != run.run_id() || !kept.HasMember("plan"))
                return std::nullopt;
            return sre::plan_from_json(kept["plan"]);
        } catch (const agenthost::Cancelled&) {
            throw;
        } catch (const std::exception&) {
            return std::nullopt;
        }
    }

    static void keep_pending_pull_request(agenthost::Run& run, const sre::Plan& plan) {
        rapidjson::Document kept(rapidjson::kObjectType);
        kept.AddMember("run_id", string(std::string(run.run_id()), kept), kept.GetAllocator());
        rapidjson::Document planned;
        planned.Parse(sre::plan_to_json(plan).c_str());
        kept.AddMember("plan", rapidjson::Value(planned, kept.GetAllocator()), kept.GetAllocator());
        try {
            run.memory_put(kPendingKey, agenthost::json::serialize(kept));
        } catch (const agenthost::Cancelled&) {
            throw;
        } catch (const std::exception& e) {
            run.progress(std::string("the proposed pull request could not be kept in memory: ") + e.what());
        }
    }

    // GitHub through the host's outbound HTTP (the "http" permission); a
    // private GitHub Enterprise host must be in agents.sre_agent.http.allowed_hosts.
    static sre::HttpTransport transport(agenthost::Run& run) {
        return [&run](const std::string& method, const std::string& url, const sre::Headers& headers,
                      const std::string& body) {
            rapidjson::Document request(rapidjson::kObjectType);
            auto& a = request.GetAllocator();
            request.AddMember("method", string(method, request), a);
            request.AddMember("url", string(url, request), a);
            rapidjson::Value names(rapidjson::kObjectType);
            for (const auto& [name, value] : headers)
                names.AddMember(string(name, request), string(value, request), a);
            request.AddMember("headers", names, a);
            if (!body.empty()) request.AddMember("body", string(body, request), a);
            request.AddMember("timeout_seconds", 30, a);
            std::string answer;
            try {
                answer = run.http_request(agenthost::json::serialize(request));
            } catch (const agenthost::Cancelled&) {
                throw;
            } catch (const agenthost::Error& error) {
                throw std::runtime_error(
                    "GitHub did not answer " + method + " " + url.substr(0, url.find('?')) + ": " + error.what() +
                    (error.status() == AGENTHOST_ERROR_PERMISSION_DENIED
                         ? " (a private GitHub host must be in agents.sre_agent.http.allowed_hosts)"
                         : ""));
            }
            rapidjson::Document parsed;
            parsed.Parse(answer.c_str());
            sre::HttpReply reply;
            if (parsed.IsObject() && parsed.HasMember("status") && parsed["status"].IsInt())
                reply.status = parsed["status"].GetInt();
            if (parsed.IsObject() && parsed.HasMember("body") && parsed["body"].IsString())
                reply.body.assign(parsed["body"].GetString(), parsed["body"].GetStringLength());
            return reply;
        };
    }

    // Approval first; then the branch, its commits and the pull request.
    // The action is recorded either way: executed with the pull request's
    // URL, or failed with GitHub's reason.
    rapidjson::Value open_pull_request(agenthost::Run& run, const sre::Observation& observation, const sre::Plan& proposed,
                                       const std::string& root_cause, rapidjson::Document& result) const {
        auto& allocator = result.GetAllocator();
        // The run starts afresh once approved, and new evidence or the model
        // might then propose another commit or patch: what runs is the plan
        // the person was shown, kept in the thread's memory when asked.
        sre::Plan plan = proposed;
        if (std::optional<sre::Plan> pending = pending_pull_request(run)) plan = *pending;
        else keep_pending_pull_request(run, plan);
        const std::string where = plan.owner + "/" + plan.repo;
        const std::string branch = sre::branch_for(plan, observation.incident_id);
        const std::string title = sre::pull_request_title(plan);
        const std::string command =
            plan.patch_files.empty() ? "open a pull request in " + where + " reverting " + plan.commit.substr(0, 12)
                                     : "open a pull request in " + where + " with the model's patch";
        rapidjson::Document details(rapidjson::kObjectType);
        auto& d = details.GetAllocator();
        details.AddMember("command", string(command, details), d);
        details.AddMember("incident_id", string(observation.incident_id, details), d);
        details.AddMember("hypothesis", string(plan.reason, details), d);
        details.AddMember("repository", string(where, details), d);
        details.AddMember("commit", string(plan.commit, details), d);
        details.AddMember("branch", string(branch, details), d);
        details.AddMember("title", string(title, details), d);
        if (!plan.patch_files.empty()) {
            rapidjson::Value files(rapidjson::kArrayType);
            for (const auto& [path, content] : plan.patch_files) {
                rapidjson::Value file(rapidjson::kObjectType);
                file.AddMember("path", string(path, details), d);
                file.AddMember("bytes", static_cast<uint64_t>(content.size()), d);
                files.PushBack(file, d);
            }
            details.AddMember("patch_files", files, d);
        }
        run.require_approval(plan.action, command + ": " + plan.reason, &details);
        run.throw_if_cancelled();

        rapidjson::Document data(rapidjson::kObjectType);
        data.AddMember("action", "open_pull_request", data.GetAllocator());
        data.AddMember("command", string(command, data), data.GetAllocator());
        data.AddMember("reason", string(plan.reason, data), data.GetAllocator());
        run.emit("sre.act", data);

        rapidjson::Value action(rapidjson::kObjectType);
        action.AddMember("action", "open_pull_request", allocator);
        action.AddMember("service", string(plan.service, result), allocator);
        action.AddMember("command", string(command, result), allocator);
        action.AddMember("repository", string(where, result), allocator);
        action.AddMember("commit", string(plan.commit, result), allocator);
        sre::GitHubSettings github{settings_.github_token, settings_.github_api_base_url, settings_.github_max_files,
                                   settings_.github_max_file_bytes};
        const sre::GitHubClient client(github, transport(run));
        try {
            sre::RepoRef repo{plan.owner, plan.repo, observation.default_branch};
            std::vector<sre::FileChange> changes;
            std::string message;
            if (plan.patch_files.empty()) {
                const sre::Commit commit = client.commit(repo, plan.commit);
                changes = sre::revert_changes(client, repo, commit);
                message = "Revert \"" + commit.message.substr(0, commit.message.find('\n')) + "\"\n\nThis reverts commit " +
                          commit.sha + ".\nIncident: " + observation.incident_id;
            } else {
                for (const auto& [path, content] : plan.patch_files) changes.push_back({path, content, false});
                message = plan.patch_title + "\n\nIncident: " + observation.incident_id;
            }
            run.throw_if_cancelled();
            const sre::PullRequest pr = sre::submit_pull_request(client, repo, branch, changes, message, title,
                                                                 sre::pull_request_body(plan, observation, root_cause, settings_));
            action.AddMember("status", "executed", allocator);
            rapidjson::Value opened(rapidjson::kObjectType);
            opened.AddMember("url", string(pr.url, result), allocator);
            opened.AddMember("number", pr.number, allocator);
            opened.AddMember("branch", string(pr.branch, result), allocator);
            opened.AddMember("base", string(pr.base, result), allocator);
            opened.AddMember("title", string(title, result), allocator);
            rapidjson::Value files(rapidjson::kArrayType);
            for (const auto& change : changes) {
                rapidjson::Value file(rapidjson::kObjectType);
                file.AddMember("path", string(change.path, result), allocator);
                file.AddMember("change", rapidjson::StringRef(change.remove ? "delete" : "write"), allocator);
                files.PushBack(file, allocator);
            }
            opened.AddMember("files", files, allocator);
            action.AddMember("pull_request", opened, allocator);
            rapidjson::Document event(rapidjson::kObjectType);
            event.AddMember("url", string(pr.url, event), event.GetAllocator());
            event.AddMember("branch", string(pr.branch, event), event.GetAllocator());
            event.AddMember("repository", string(where, event), event.GetAllocator());
            run.emit("sre.pull_request", event);
        } catch (const agenthost::Cancelled&) {
            throw;
        } catch (const std::exception& e) {
            if (run.cancelled()) throw agenthost::Cancelled();
            action.AddMember("status", "failed", allocator);
            action.AddMember("error", string(e.what(), result), allocator);
            if (const auto* github_error = dynamic_cast<const sre::GitHubError*>(&e); github_error && github_error->status())
                action.AddMember("http_status", github_error->status(), allocator);
            run.progress(std::string("the pull request failed: ") + e.what());
        }
        rapidjson::Value approval(rapidjson::kObjectType);
        approval.AddMember("operation", "open_pull_request", allocator);
        action.AddMember("approval", approval, allocator);
        action.AddMember("at_ms", static_cast<int64_t>(now_ms()), allocator);
        return action;
    }

    // The next action: from the configured LLM when there is one (its root
    // cause replaces the rules'), else, or when it fails and the manifest
    // allows it, from the rules: a revert pull request when the evidence
    // points at a commit in a watched repository, else the best hypothesis.
    sre::Plan next_plan(agenthost::Run& run, const sre::Observation& observation, const incident::Analysis& analysis,
                        const std::set<std::string>& done, std::string& root_cause, std::string& reasoned_by) const {
        std::string why_no_pull_request;
        const std::optional<sre::Plan> pull_request =
            sre::plan_pull_request(observation, analysis, settings_, done, why_no_pull_request);
        if (!pull_request) {
            rapidjson::Document data(rapidjson::kObjectType);
            data.AddMember("proposed", false, data.GetAllocator());
            data.AddMember("reason", string(why_no_pull_request, data), data.GetAllocator());
            run.emit("sre.pull_request", data);
        }
        const sre::Plan* offered = pull_request ? &*pull_request : nullptr;
        const textkit::LlmTarget llm = textkit::llm_target(run);
        if (llm.use()) {
            try {
                const textkit::JsonQuestion question{
                    "You are an SRE agent working one production incident. From its signals, name the root cause "
                    "and the one next remediation. Actions: rollout_undo (roll the service's Kubernetes Deployment "
                    "back to its previous revision), restart (restart its pods), open_pull_request (when offered: "
                    "a pull request reverting the suspect commit, or fixing it with your patch), or none. Choose "
                    "only an allowed action; service is the Deployment's name (for open_pull_request, the one "
                    "offered); patch stays null unless you fix the code yourself.",
                    sre::llm_question(observation, analysis, settings_, offered),
                    "{\"root_cause\": \"...\", \"action\": \"rollout_undo|restart|open_pull_request|none\", "
                    "\"service\": \"...\", \"patch\": null}",
                    offered != nullptr ? 4000 : 400};
                std::string cause;
                sre::Plan plan = textkit::ask_json(run, question, [&](const rapidjson::Document& answer) {
                    return sre::plan_from_llm(answer, settings_, done, sre::action_targets(observation), cause, offered);
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
        if (pull_request) return *pull_request;
        return sre::plan_action(analysis, settings_, sre::action_targets(observation), done);
    }

    const sre::Settings settings_;
};

}  // namespace

AGENTHOST_AGENT(SreAgent, "sre_agent", "0.1.0")
