#include "deployments/deployment_service.hpp"

#include "deployments/deployment_repository.hpp"
#include "json/json_util.hpp"
#include "util/ids.hpp"

#include <rapidjson/document.h>

#include <algorithm>
#include <chrono>

namespace agenthost::deployments {
namespace {

long long now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// The extra context with `members` (JSON object text) laid over it.
std::string merged_context(const std::string& base_json, const std::string& members_json) {
    rapidjson::Document base;
    base.Parse(base_json.c_str());
    if (base.HasParseError() || !base.IsObject()) base.SetObject();
    rapidjson::Document members;
    members.Parse(members_json.c_str());
    if (!members.HasParseError() && members.IsObject())
        for (auto& member : members.GetObject()) {
            base.RemoveMember(member.name.GetString());
            base.AddMember(rapidjson::Value(member.name, base.GetAllocator()),
                           rapidjson::Value(member.value, base.GetAllocator()), base.GetAllocator());
        }
    return json::serialize(base);
}

std::string quoted(const std::string& text) {
    rapidjson::Document value;
    value.SetString(text.c_str(), static_cast<rapidjson::SizeType>(text.size()), value.GetAllocator());
    return json::serialize(value);
}

// One event as a log line a person reads.
std::string message_of(const store::RunEvent& event, const std::string& agent) {
    rapidjson::Document data;
    data.Parse(event.data_json.c_str());
    auto text = [&data](const char* name) -> std::string {
        if (!data.IsObject()) return {};
        auto found = data.FindMember(name);
        return found != data.MemberEnd() && found->value.IsString() ? found->value.GetString() : "";
    };
    const std::string prefix = "[" + agent + "] ";
    if (event.type == "run.queued") return prefix + "queued";
    if (event.type == "run.started") return prefix + "started";
    if (event.type == "run.succeeded") return prefix + "succeeded";
    if (event.type == "run.failed") return prefix + "failed: " + text("error");
    if (event.type == "run.cancelled") return prefix + "cancelled";
    if (event.type == "exec.output") return prefix + text("line");
    if (event.type == "exec.started") return prefix + "$ " + text("binary");
    if (event.type == "artifact") return prefix + "wrote " + text("path");
    if (!text("message").empty()) return prefix + text("message");
    if (!text("reason").empty()) return prefix + event.type + ": " + text("reason");
    return prefix + event.type;
}

}  // namespace

bool is_operation(const std::string& name) {
    return name == "analyze" || name == "generate" || name == "plan" || name == "apply" || name == "destroy";
}

bool changes_state(const std::string& operation) {
    return operation == "plan" || operation == "apply" || operation == "destroy";
}

runs::DagRequest DeploymentService::workflow_for(const ProjectRecord& project, const OperationRequest& request) const {
    runs::DagRequest dag;
    dag.thread_id = project.thread_id;
    dag.tenant = request.tenant;
    dag.key_id = request.key_id;
    dag.task = request.operation + " deployment project " + project.id;
    auto step = [&](const std::string& id, const std::string& agent, const std::string& members) {
        runs::DagStep out;
        out.id = id;
        out.request.agent_name = agent;
        out.request.task = dag.task;
        out.request.context_json = merged_context(request.context_json, members);
        return out;
    };
    if (request.operation == "analyze") {
        dag.steps.push_back(step("analyze", "context_analyzer", "{" + quoted(project.repository_kind) + ":" + quoted(project.repository) + "}"));
    } else if (request.operation == "generate") {
        dag.steps.push_back(step("dockerfile", "dockerfile_generator", "{}"));
        auto terraform = step("terraform", "terraform_generator", "{}");
        terraform.depends_on = {"dockerfile"};
        dag.steps.push_back(std::move(terraform));
    } else if (request.operation == "plan") {
        dag.steps.push_back(step("plan", "terraform_generator", R"({"mode":"plan"})"));
    } else {
        // apply and destroy change live infrastructure: a person approves first.
        auto change = step(request.operation, "terraform_generator", "{\"mode\":" + quoted(request.operation) + "}");
        change.request.options.require_approval = true;
        dag.steps.push_back(std::move(change));
    }
    return dag;
}

PreparedOperation DeploymentService::prepare(const OperationRequest& request) {
    if (!is_operation(request.operation))
        throw DeploymentError(404, "OperationNotFound",
                              "no deployment operation '" + request.operation + "' (analyze, generate, plan, apply, destroy)");
    PreparedOperation prepared;
    auto existing = project(request.tenant, request.project_id);
    if (!existing) {
        if (request.repository.empty())
            throw DeploymentError(404, "ProjectNotFound",
                                  "no deployment project '" + request.project_id +
                                      "'; name its repository (repo_url or path) in the first operation to create it");
        ProjectRecord created;
        created.tenant = request.tenant;
        created.id = request.project_id;
        created.repository = request.repository;
        created.repository_kind = request.repository_kind;
        created.thread_id = "deploy-" + new_uuid();
        created.created_at_ms = now_ms();
        store_.writes().run([&](soci::session& session) { insert_project(session, created); });
        existing = project(request.tenant, request.project_id);  // the first of two racing creations wins
        if (!existing) throw DeploymentError(503, "StoreUnavailable", "the project could not be stored");
    } else if (!request.repository.empty() && request.repository != existing->repository) {
        throw DeploymentError(409, "ProjectConflict",
                              "project '" + request.project_id + "' deploys " + existing->repository + ", not " +
                                  request.repository);
    }
    prepared.project = *existing;
    prepared.operation.id = "op-" + new_time_ordered_uuid();
    prepared.operation.tenant = request.tenant;
    prepared.operation.project_id = request.project_id;
    prepared.operation.operation = request.operation;
    prepared.operation.created_at_ms = now_ms();
    if (changes_state(request.operation)) {
        const std::string& id = prepared.operation.id;
        bool taken = false;
        store_.writes().run([&](soci::session& session) {
            taken = take_lock(session, request.tenant, request.project_id, id, std::nullopt, now_ms());
        });
        if (!taken) {
            auto holder = lock(prepared.project);
            if (holder && finished(holder->operation_id)) {
                store_.writes().run([&](soci::session& session) {
                    taken = take_lock(session, request.tenant, request.project_id, id, holder->operation_id, now_ms());
                });
            }
            if (!taken) {
                holder = lock(prepared.project);
                std::string who = holder ? holder->operation_id : "another operation";
                auto held = holder ? operation(holder->operation_id) : std::nullopt;
                throw DeploymentError(409, "ProjectLocked",
                                      "project '" + request.project_id + "' is locked by operation " + who +
                                          (held ? " (" + held->operation + ")" : "") +
                                          "; wait for it to finish, or release a stuck lock with POST /deployment/projects/" +
                                          request.project_id + "/force-unlock",
                                      {"holder: " + who});
            }
        }
        prepared.locked = true;
    }
    prepared.workflow = workflow_for(prepared.project, request);
    return prepared;
}

void DeploymentService::record(const OperationRecord& operation, std::function<void(const std::string& error)> done) {
    store_.writes().submit([operation](soci::session& session) { insert_operation(session, operation); }, std::move(done));
}

void DeploymentService::abandon(const PreparedOperation& prepared) {
    if (!prepared.locked) return;
    store_.writes().submit([tenant = prepared.project.tenant, project = prepared.project.id, id = prepared.operation.id](
                               soci::session& session) { release_lock(session, tenant, project, id); });
}

std::optional<ProjectRecord> DeploymentService::project(const std::string& tenant, const std::string& id) {
    return store_.read([&](soci::session& session) { return find_project(session, tenant, id); });
}

std::optional<OperationRecord> DeploymentService::operation(const std::string& id) {
    return store_.read([&](soci::session& session) { return find_operation(session, id); });
}

std::vector<OperationRecord> DeploymentService::operations(const std::string& tenant, const std::string& project_id,
                                                           int limit) {
    return store_.read([&](soci::session& session) { return project_operations(session, tenant, project_id, limit); });
}

std::optional<LockRecord> DeploymentService::lock(const ProjectRecord& project) {
    return store_.read([&](soci::session& session) { return find_lock(session, project.tenant, project.id); });
}

bool DeploymentService::finished(const std::string& operation_id) {
    auto held = operation(operation_id);
    if (!held) return false;  // its workflow is still being submitted, or its host died doing so: force-unlock
    auto status = state(*held).status;
    return status == "succeeded" || status == "failed" || status == "cancelled";
}

OperationState DeploymentService::state(const OperationRecord& operation) {
    OperationState out;
    out.operation = operation;
    auto view = workflows_.dag(operation.workflow_id);
    if (!view) {
        out.status = "queued";
        return out;
    }
    out.workflow = *view;
    bool any_running = false, any_waiting = false, any_failed = false, any_cancelled = false, all_done = !view->runs.empty();
    for (const auto& run : view->runs) {
        any_running = any_running || run.status == store::run_status::running;
        any_waiting = any_waiting || run.status == store::run_status::pending_approval;
        any_failed = any_failed || run.status == store::run_status::failed;
        any_cancelled = any_cancelled || run.status == store::run_status::cancelled;
        all_done = all_done && store::run_status::is_terminal(run.status);
    }
    if (any_waiting) out.status = "pending_approval";
    else if (all_done) out.status = any_failed ? "failed" : any_cancelled ? "cancelled" : "succeeded";
    else if (any_failed) out.status = "failed";  // a failed step's dependants never start
    else if (any_running) out.status = "running";
    else out.status = view->runs.empty() ? "queued" : "running";
    return out;
}

LogPage DeploymentService::logs(const OperationRecord& operation, long long since_index, size_t limit) {
    LogPage page;
    page.next_index = since_index;
    auto view = workflows_.dag(operation.workflow_id);
    if (!view) return page;
    // The steps run one after another (each depends on the one before). A
    // later step's log is shown only once the step before it has ended: it
    // has events before it runs (run.blocked), and shown early they took an
    // index the earlier step's later lines then pushed along, so a client
    // polling by since_index missed one of them. So the concatenation only
    // ever grows at its end.
    long long index = 0;
    for (const auto& run : view->runs) {
        const auto events = runs_.events(run.id, 0, 100000);
        std::vector<std::string> said;  // this run's lines so far
        for (const auto& event : events) {
            std::string message = message_of(event, run.agent);
            // An agent that said "wrote Dockerfile (python:3.12-slim, ...)"
            // and then recorded the artifact would log the file twice. The
            // skip depends only on earlier events, so indexes stay stable.
            if (event.type == "artifact" &&
                std::any_of(said.begin(), said.end(), [&](const std::string& line) { return line.rfind(message, 0) == 0; }))
                continue;
            said.push_back(message);
            if (index >= since_index) {
                if (page.lines.size() >= limit) {
                    page.has_more = true;
                    return page;
                }
                page.lines.push_back({index, event.ts_ms, run.id, run.agent, event.type, std::move(message)});
                page.next_index = index + 1;
            }
            ++index;
        }
        if (!store::run_status::is_terminal(run.status)) break;
    }
    return page;
}

std::vector<std::pair<std::string, std::string>> DeploymentService::generated_files(const ProjectRecord& project,
                                                                                   std::string& operation_id) {
    std::vector<std::pair<std::string, std::string>> files;
    for (const auto& operation : operations(project.tenant, project.id, 50)) {
        if (operation.operation != "generate") continue;
        auto view = state(operation);
        if (view.status != "succeeded") continue;
        for (const auto& run : view.workflow.runs) {
            rapidjson::Document result;
            result.Parse(run.result_json.c_str());
            if (result.HasParseError() || !result.IsObject() || !result.HasMember("artifacts") || !result["artifacts"].IsArray())
                continue;
            for (const auto& artifact : result["artifacts"].GetArray())
                if (artifact.IsObject() && artifact.HasMember("path") && artifact["path"].IsString() &&
                    artifact.HasMember("content") && artifact["content"].IsString())
                    files.emplace_back(artifact["path"].GetString(), artifact["content"].GetString());
        }
        operation_id = operation.id;
        return files;
    }
    return files;
}

std::optional<ForcedUnlock> DeploymentService::force_unlock(const ProjectRecord& project, const std::string& actor) {
    auto held = lock(project);
    if (!held) return std::nullopt;
    ForcedUnlock unlocked;
    unlocked.holder = held->operation_id;
    // Cancelled before the lock goes: once released, another operation may
    // take it, and the holder must not start beside it.
    if (auto holder = operation(held->operation_id)) {
        std::vector<std::string> unfinished;
        for (const auto& run : state(*holder).workflow.runs)
            if (!store::run_status::is_terminal(run.status)) unfinished.push_back(run.id);
        if (!unfinished.empty()) {
            auto outcomes = runs_.cancel_many(unfinished, actor);
            for (size_t i = 0; i < outcomes.size() && i < unfinished.size(); ++i)
                if (outcomes[i] == store::CancelOutcome::cancelled || outcomes[i] == store::CancelOutcome::requested)
                    unlocked.cancelled_runs.push_back(unfinished[i]);
        }
    }
    bool released = false;
    store_.writes().run([&](soci::session& session) {
        released = release_lock(session, project.tenant, project.id, held->operation_id);
    });
    if (!released) return std::nullopt;  // someone released it first
    return unlocked;
}

std::optional<LockRecord> DeploymentService::held_lock(const ProjectRecord& project) {
    auto held = lock(project);
    if (!held || !finished(held->operation_id)) return held;
    store_.writes().run([&](soci::session& session) {
        release_lock(session, project.tenant, project.id, held->operation_id);
    });
    return std::nullopt;
}

}  // namespace agenthost::deployments
