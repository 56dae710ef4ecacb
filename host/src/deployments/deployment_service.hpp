// Seed 000's deployment projects on the run engine. A project is a
// repository and a thread; each operation (analyze, generate, plan, apply,
// destroy) is a workflow of agents on that thread, so the analysis, the
// Dockerfiles and the Terraform build on each other through its memory.
// An operation's logs are its runs' events, read from the event log by
// position (durable: a client that polls from another host, or after a
// restart, sees every line once). plan, apply and destroy change the
// infrastructure's state, so a project runs one of them at a time under a
// stored lock; a finished holder's lock is taken over, a stuck one is
// released by force-unlock, which also cancels what of the holder had not
// finished (an apply still waiting for its approval never runs unlocked).
#pragma once

#include "deployments/deployment_records.hpp"
#include "runs/workflow_service.hpp"
#include "store/store.hpp"

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace agenthost::deployments {

// A refusal with the HTTP status and error type the API answers.
struct DeploymentError : std::runtime_error {
    DeploymentError(int status, std::string type, const std::string& message, std::vector<std::string> details = {})
        : std::runtime_error(message), status(status), type(std::move(type)), details(std::move(details)) {}
    int status;
    std::string type;
    std::vector<std::string> details;
};

struct OperationRequest {
    std::string tenant, key_id;
    std::string project_id;
    std::string operation;
    std::string repository_kind, repository;  // empty: the project must exist
    std::string context_json = "{}";           // extra context for the agents (target, project, region, ...)
};

// What to submit, with the lock already taken for a state-changing operation.
struct PreparedOperation {
    ProjectRecord project;
    OperationRecord operation;  // workflow_id filled once submitted
    runs::DagRequest workflow;
    bool locked = false;
};

struct LogLine {
    long long index = 0;  // 0-based position in the operation's log
    long long ts_ms = 0;
    std::string run_id, agent, type, message;
};

struct LogPage {
    std::vector<LogLine> lines;
    long long next_index = 0;  // where the next poll starts (since_index)
    bool has_more = false;     // more lines than one page were there
};

struct ForcedUnlock {
    std::string holder;                       // the operation that held the lock
    std::vector<std::string> cancelled_runs;  // its runs that had not finished
};

struct OperationState {
    OperationRecord operation;
    std::string status;  // queued | running | pending_approval | succeeded | failed | cancelled
    runs::DagView workflow;
};

bool is_operation(const std::string& name);
bool changes_state(const std::string& operation);

class DeploymentService {
  public:
    DeploymentService(store::Store& store, runs::WorkflowService& workflows, runs::RunService& runs)
        : store_(store), workflows_(workflows), runs_(runs) {}

    // Finds or creates the project and takes its lock when the operation
    // changes state. Throws DeploymentError (404 unknown project, 409 held
    // lock naming the holder, 409 another repository).
    PreparedOperation prepare(const OperationRequest& request);
    // After the workflow was committed: the operation's row. Queued, not
    // waited for (the caller may be on the store's writer thread); `done`
    // gets the error, empty on success.
    void record(const OperationRecord& operation, std::function<void(const std::string& error)> done);
    // After the workflow was refused: frees what prepare took (queued too).
    void abandon(const PreparedOperation& prepared);

    std::optional<ProjectRecord> project(const std::string& tenant, const std::string& id);
    std::optional<OperationRecord> operation(const std::string& id);
    std::vector<OperationRecord> operations(const std::string& tenant, const std::string& project_id, int limit);
    OperationState state(const OperationRecord& operation);
    LogPage logs(const OperationRecord& operation, long long since_index, size_t limit);
    // Releases the project's lock whoever holds it, and cancels what of the
    // holder's operation has not finished: without the lock it must not run
    // later (an apply approved after a destroy took the lock). nullopt when
    // nobody held it. `actor` is recorded as the canceller.
    std::optional<ForcedUnlock> force_unlock(const ProjectRecord& project, const std::string& actor);
    std::optional<LockRecord> lock(const ProjectRecord& project);
    // The lock while its operation has not finished; a finished holder's
    // lock is released here (operations end on the run engine, which knows
    // nothing of locks), so nobody is told a finished operation holds it.
    std::optional<LockRecord> held_lock(const ProjectRecord& project);
    // The files the newest succeeded generate operation wrote (path, content);
    // empty when there is none. `operation_id` gets that operation's id.
    std::vector<std::pair<std::string, std::string>> generated_files(const ProjectRecord& project, std::string& operation_id);

  private:
    bool finished(const std::string& operation_id);
    runs::DagRequest workflow_for(const ProjectRecord& project, const OperationRequest& request) const;

    store::Store& store_;
    runs::WorkflowService& workflows_;
    runs::RunService& runs_;
};

}  // namespace agenthost::deployments
