// Blocked runs and what holds them: pipeline and DAG steps waiting for the
// steps they build on, and runs enqueued behind a busy thread's active run.
#include "json/json_util.hpp"
#include "store/row_reader.hpp"
#include "store/run_repository.hpp"
#include "store/run_rows.hpp"

namespace agenthost::store {
long long approval_deadline(const std::string& approval_json, long long now) {
    std::string error;
    auto approval = json::parse(approval_json, error);
    const rapidjson::Value* timeout = approval ? json::get_member(*approval, "timeout_seconds") : nullptr;
    if (timeout == nullptr || !timeout->IsNumber() || timeout->GetDouble() <= 0) return 0;
    return now + static_cast<long long>(timeout->GetDouble() * 1000);
}

void RunRepository::release_dependants(soci::session& session, const std::string& run_id,
                                       const std::string& status) const {
    // Iterative, because a failure cascades through chains of dependants.
    std::vector<std::pair<std::string, std::string>> ended{{run_id, status}};
    while (!ended.empty()) {
        auto [id, outcome] = ended.back();
        ended.pop_back();
        std::vector<std::pair<std::string, std::string>> waiting;
        soci::rowset<soci::row> rows =
            (session.prepare << "SELECT d.run_id, d.kind FROM run_dependencies d JOIN runs r ON r.id = d.run_id "
                                "WHERE d.depends_on = :id AND r.status = 'blocked'",
             soci::use(id));
        for (const soci::row& row : rows) waiting.emplace_back(text_at(row, 0), text_at(row, 1));
        if (waiting.empty()) continue;
        long long now = now_ms();
        for (const auto& [dependant, kind] : waiting) {
            if (kind == "success" && outcome != run_status::succeeded) {
                auto finished = find(session, id);
                std::string name = finished ? (finished->step_key.empty() ? finished->agent : finished->step_key) : id;
                std::string reason = "it depends on '" + name + "' (run " + id + "), which ended " + outcome;
                soci::statement update =
                    (session.prepare << "UPDATE runs SET status = 'failed', error = :e, error_type = 'dependency', "
                                        "finished_at_ms = :now, updated_at_ms = :now2 WHERE id = :id AND status = 'blocked'",
                     soci::use(reason), soci::use(now), soci::use(now), soci::use(dependant));
                update.execute(true);
                if (update.get_affected_rows() != 1) continue;
                append_next_event(session, dependant, "run.failed",
                                  "{\"status\":\"failed\",\"error\":" + quoted(reason) +
                                      ",\"error_type\":\"dependency\",\"depends_on\":" + quoted(id) + "}");
                if (auto failed = find(session, dependant)) queue_webhook(session, *failed, run_status::failed);
                ended.emplace_back(dependant, run_status::failed);
                continue;
            }
            long long unfinished = 0;
            session << "SELECT COUNT(*) FROM run_dependencies d JOIN runs r ON r.id = d.depends_on "
                       "WHERE d.run_id = :id AND r.status NOT IN ('succeeded', 'failed', 'cancelled')",
                soci::into(unfinished), soci::use(dependant);
            if (unfinished > 0) continue;
            auto run = find(session, dependant);
            if (!run) continue;
            if (run->approval_state == approval_state::required) {
                long long deadline = approval_deadline(run->approval_json, now);
                soci::indicator deadline_indicator = deadline == 0 ? soci::i_null : soci::i_ok;
                session << "UPDATE runs SET status = 'pending_approval', approval_state = 'pending', "
                           "approval_expires_at_ms = :e, updated_at_ms = :now WHERE id = :id AND status = 'blocked'",
                    soci::use(deadline, deadline_indicator), soci::use(now), soci::use(dependant);
                append_next_event(session, dependant, "approval.requested",
                                  run->approval_json.empty() ? "{}" : run->approval_json);
            } else {
                session << "UPDATE runs SET status = 'queued', updated_at_ms = :now WHERE id = :id AND status = 'blocked'",
                    soci::use(now), soci::use(dependant);
                append_next_event(session, dependant, "run.queued", "{\"after\":" + quoted(id) + "}");
            }
        }
    }
}

void RunRepository::mark_dependency_targets(soci::session& session, const std::string& pipeline_id) const {
    session << "UPDATE runs SET has_dependants = 1 WHERE has_dependants = 0 AND id IN (SELECT d.depends_on FROM "
               "run_dependencies d JOIN runs r ON r.id = d.run_id WHERE r.pipeline_id = :p)",
        soci::use(pipeline_id);
}

std::vector<Dependency> RunRepository::pipeline_dependencies(soci::session& session,
                                                             const std::string& pipeline_id) const {
    std::vector<Dependency> dependencies;
    soci::rowset<soci::row> rows =
        (session.prepare << "SELECT d.run_id, d.depends_on, d.kind FROM run_dependencies d JOIN runs r "
                            "ON r.id = d.run_id WHERE r.pipeline_id = :p",
         soci::use(pipeline_id));
    for (const soci::row& row : rows) dependencies.push_back({text_at(row, 0), text_at(row, 1), text_at(row, 2)});
    return dependencies;
}

std::vector<RunRecord> RunRepository::active_on_thread(soci::session& session, const std::string& thread_id,
                                                       bool lock) const {
    std::vector<RunRecord> runs;
    std::string for_update = lock && dialect_ == Dialect::postgresql ? " FOR UPDATE" : "";
    soci::rowset<soci::row> rows =
        (session.prepare << std::string("SELECT ") + kRunColumns +
                                " FROM runs WHERE thread_id = :t AND status IN ('queued', 'blocked', 'running', "
                                "'pending_approval') ORDER BY created_at_ms, id" + for_update,
         soci::use(thread_id));
    for (const soci::row& row : rows) runs.push_back(run_from_row(row));
    return runs;
}

std::vector<std::string> RunRepository::queue_tails(soci::session& session, const std::string& thread_id) const {
    std::vector<std::string> tails;
    soci::rowset<soci::row> rows =
        (session.prepare << "SELECT r.id FROM runs r WHERE r.thread_id = :t AND r.status IN ('queued', 'blocked', "
                            "'running', 'pending_approval') AND NOT EXISTS (SELECT 1 FROM run_dependencies d "
                            "JOIN runs w ON w.id = d.run_id WHERE d.depends_on = r.id AND w.status IN ('queued', "
                            "'blocked', 'running', 'pending_approval')) ORDER BY r.created_at_ms, r.id",
         soci::use(thread_id));
    for (const soci::row& row : rows) tails.push_back(text_at(row, 0));
    return tails;
}

std::optional<RunRecord> RunRepository::latest_on_thread(soci::session& session, const std::string& thread_id) const {
    soci::rowset<soci::row> rows =
        (session.prepare << std::string("SELECT ") + kRunColumns +
                                " FROM runs WHERE thread_id = :t ORDER BY created_at_ms DESC, id DESC LIMIT 1",
         soci::use(thread_id));
    for (const soci::row& row : rows) return run_from_row(row);
    return std::nullopt;
}

}  // namespace agenthost::store
