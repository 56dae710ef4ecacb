// Looping workflows (seed 002's observe, reason, act, evaluate at workflow
// scale): when every step of an iteration succeeded and no final step's
// result says resolved, the steps are queued again as the next iteration,
// on the same thread, so they read what the last iteration left in memory.
#include "store/pipeline_repository.hpp"
#include "store/row_reader.hpp"
#include "store/run_repository.hpp"
#include "store/run_rows.hpp"
#include "util/ids.hpp"

#include <map>
#include <set>

namespace agenthost::store {
std::vector<RunRecord> RunRepository::pipeline_iteration(soci::session& session, const std::string& pipeline_id,
                                                         int iteration) const {
    std::vector<RunRecord> runs;
    soci::rowset<soci::row> rows =
        (session.prepare << std::string("SELECT ") + kRunColumns +
                                " FROM runs WHERE pipeline_id = :p AND COALESCE(pipeline_iteration, 1) = :i "
                                "ORDER BY pipeline_step",
         soci::use(pipeline_id), soci::use(iteration));
    for (const soci::row& row : rows) runs.push_back(run_from_row(row));
    return runs;
}

bool RunRepository::continue_pipeline_loop(soci::session& session, const std::string& pipeline_id,
                                           const std::function<bool(const std::string&)>& resolved) const {
    auto pipeline = PipelineRepository().find(session, pipeline_id);
    if (!pipeline || pipeline->status != "processing" || pipeline->loop_max_iterations <= 1) return false;
    if (pipeline->iteration >= pipeline->loop_max_iterations) return false;
    std::vector<RunRecord> steps = pipeline_iteration(session, pipeline_id, pipeline->iteration);
    for (const RunRecord& run : steps)
        if (run.status != run_status::succeeded) return false;  // unfinished, or the iteration failed
    // The evaluation: any final step (one nothing else waits for) resolved.
    std::vector<Dependency> dependencies = pipeline_dependencies(session, pipeline_id);
    std::set<std::string> awaited;
    for (const auto& dependency : dependencies) awaited.insert(dependency.depends_on);
    for (const RunRecord& run : steps)
        if (awaited.count(run.id) == 0 && resolved(run.result_json)) return false;

    int next = pipeline->iteration + 1;
    long long now = now_ms();
    std::map<std::string, std::string> renamed;
    for (const RunRecord& run : steps) renamed[run.id] = new_uuid();
    for (const RunRecord& run : steps) {
        RunRecord again;
        again.id = renamed[run.id];
        again.thread_id = run.thread_id;
        again.agent = run.agent;
        again.task = run.task;
        again.context_json = run.context_json;
        again.status = run_status::queued;
        again.max_attempts = run.max_attempts;
        again.pipeline_id = run.pipeline_id;
        again.pipeline_step = run.pipeline_step;
        again.step_key = run.step_key;
        again.routing_json = run.routing_json;
        again.options_json = run.options_json;
        again.pipeline_iteration = next;
        again.tenant = run.tenant;
        again.key_id = run.key_id;
        again.trace_parent = run.trace_parent;
        again.created_at_ms = again.updated_at_ms = now;
        for (const auto& dependency : dependencies)
            if (dependency.run_id == run.id) again.depends_on.emplace_back(renamed[dependency.depends_on], dependency.kind);
        if (!again.depends_on.empty()) again.status = run_status::blocked;
        insert(session, again);
    }
    mark_dependency_targets(session, pipeline_id);
    session << "UPDATE pipelines SET iteration = :i WHERE id = :id", soci::use(next), soci::use(pipeline_id);
    return true;
}

}  // namespace agenthost::store
