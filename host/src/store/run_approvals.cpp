// Human approval gates: runs paused in pending_approval, the decision that
// resumes or ends them, and the audit trail that records who decided.
#include "store/row_reader.hpp"
#include "store/run_repository.hpp"
#include "store/run_rows.hpp"

namespace agenthost::store {

bool RunRepository::pause_for_approval(soci::session& session, const RunRecord& run, const std::string& event_type) const {
    long long now = now_ms();
    long long expires = run.approval_expires_at_ms;
    soci::indicator expires_indicator = expires == 0 ? soci::i_null : soci::i_ok;
    soci::statement update =
        // The execution that stopped to ask gives its attempt back: approval
        // rounds are not failures, so they never use up max_attempts.
        (session.prepare << "UPDATE runs SET status = 'pending_approval', approval = :a, approval_state = 'pending', "
                            "attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END, "
                            "approval_expires_at_ms = :e, lease_owner = NULL, lease_expires_at_ms = NULL, "
                            "updated_at_ms = :now WHERE id = :id AND fencing_token = :t AND status = 'running'",
         soci::use(run.approval_json), soci::use(expires, expires_indicator), soci::use(now), soci::use(run.id),
         soci::use(run.fencing_token));
    update.execute(true);
    if (update.get_affected_rows() != 1) return false;
    append_next_event(session, run.id, event_type, run.approval_json);
    audit(session, run.id, run.pipeline_id, event_type == "run.interrupted" ? "interrupt.requested" : event_type, run.agent,
          run.approval_json);
    return true;
}

bool RunRepository::decide_approval(soci::session& session, const RunRecord& run, bool approved,
                                    const std::string& actor, const std::string& comment,
                                    const std::string& approval_json) const {
    long long now = now_ms();
    std::string detail = "{\"approver\":" + quoted(actor) + ",\"comment\":" + quoted(comment) + "}";
    if (approved) {
        soci::statement update =
            (session.prepare << "UPDATE runs SET status = 'queued', approval = :a, approval_state = 'approved', "
                                "approval_expires_at_ms = NULL, updated_at_ms = :now "
                                "WHERE id = :id AND status = 'pending_approval'",
             soci::use(approval_json), soci::use(now), soci::use(run.id));
        update.execute(true);
        if (update.get_affected_rows() != 1) return false;
        append_next_event(session, run.id, "approval.granted", detail);
        append_next_event(session, run.id, "run.queued", "{\"reason\":\"approved\"}");
        audit(session, run.id, run.pipeline_id, "approval.granted", actor, comment);
        return true;
    }
    std::string error = "rejected by " + actor + (comment.empty() ? "" : ": " + comment);
    soci::statement update =
        (session.prepare << "UPDATE runs SET status = 'cancelled', approval = :a, approval_state = 'rejected', "
                            "approval_expires_at_ms = NULL, error = :e, error_type = 'rejected', finished_at_ms = :now, "
                            "updated_at_ms = :now2 WHERE id = :id AND status = 'pending_approval'",
         soci::use(approval_json), soci::use(error), soci::use(now), soci::use(now), soci::use(run.id));
    update.execute(true);
    if (update.get_affected_rows() != 1) return false;
    append_next_event(session, run.id, "approval.rejected", detail);
    append_next_event(session, run.id, "run.cancelled",
                      "{\"status\":\"cancelled\",\"error\":" + quoted(error) + ",\"error_type\":\"rejected\"}");
    audit(session, run.id, run.pipeline_id, "approval.rejected", actor, comment);
    queue_webhook(session, run, run_status::cancelled);
    release_dependants(session, run.id, run_status::cancelled);
    return true;
}

bool RunRepository::resume_interrupt(soci::session& session, const RunRecord& run, const std::string& actor,
                                     const std::string& approval_json, const std::string& resumed_event_json,
                                     const std::optional<std::string>& task,
                                     const std::optional<std::string>& context_json,
                                     const std::string& audit_action) const {
    long long now = now_ms();
    // An edited input replaces the stored one: the run is invoked again from
    // the start and reads it like any other.
    std::string new_task = task ? *task : run.task;
    std::string new_context = context_json ? *context_json : run.context_json;
    soci::statement update =
        (session.prepare << "UPDATE runs SET status = 'queued', approval = :a, approval_state = 'approved', "
                            "approval_expires_at_ms = NULL, task = :task, context = :context, updated_at_ms = :now "
                            "WHERE id = :id AND status = 'pending_approval'",
         soci::use(approval_json), soci::use(new_task), soci::use(new_context), soci::use(now), soci::use(run.id));
    update.execute(true);
    if (update.get_affected_rows() != 1) return false;
    append_next_event(session, run.id, "run.resumed", resumed_event_json);
    append_next_event(session, run.id, "run.queued", "{\"reason\":\"resumed\"}");
    audit(session, run.id, run.pipeline_id, audit_action, actor, resumed_event_json);
    return true;
}

std::vector<RunRecord> RunRepository::expired_approvals(soci::session& session, long long now) const {
    std::vector<RunRecord> expired;
    soci::rowset<soci::row> rows =
        (session.prepare << std::string("SELECT ") + kRunColumns +
                                " FROM runs WHERE approval_expires_at_ms < :now AND status = 'pending_approval'",
         soci::use(now));
    for (const soci::row& row : rows) expired.push_back(run_from_row(row));
    return expired;
}

std::vector<AuditEntry> RunRepository::audit_trail(soci::session& session, const std::string& run_id) const {
    std::vector<AuditEntry> entries;
    soci::rowset<soci::row> rows =
        (session.prepare << "SELECT run_id, pipeline_id, action, actor, detail, at_ms FROM audit_log "
                            "WHERE run_id = :r ORDER BY at_ms, id",
         soci::use(run_id));
    for (const soci::row& row : rows)
        entries.push_back({text_at(row, 0), text_at(row, 1), text_at(row, 2), text_at(row, 3), text_at(row, 4),
                           integer_at(row, 5)});
    return entries;
}

}  // namespace agenthost::store
