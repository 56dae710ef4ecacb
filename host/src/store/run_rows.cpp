#include "store/run_rows.hpp"

#include "store/row_reader.hpp"

namespace agenthost::store {

const char* kRunColumns =
    "id, thread_id, agent, task, context, status, result, error, attempts, max_attempts, fencing_token, "
    "lease_owner, lease_expires_at_ms, cancel_requested, pipeline_id, pipeline_step, webhook_url, "
    "webhook_secret, created_at_ms, started_at_ms, finished_at_ms, updated_at_ms, error_type, routing, options, "
    "approval, approval_state, approval_expires_at_ms, step_key, llm_usage, pipeline_iteration, tenant, key_id, trace_parent, "
    "run_after_ms, on_completion";


RunRecord run_from_row(const soci::row& row) {
    RunRecord run;
    run.id = text_at(row, 0);
    run.thread_id = text_at(row, 1);
    run.agent = text_at(row, 2);
    run.task = text_at(row, 3);
    run.context_json = text_at(row, 4);
    run.status = text_at(row, 5);
    run.result_json = text_at(row, 6);
    run.error = text_at(row, 7);
    run.attempts = static_cast<int>(integer_at(row, 8));
    run.max_attempts = static_cast<int>(integer_at(row, 9));
    run.fencing_token = integer_at(row, 10);
    run.lease_owner = text_at(row, 11);
    run.lease_expires_at_ms = integer_at(row, 12);
    run.cancel_requested = integer_at(row, 13) != 0;
    run.pipeline_id = text_at(row, 14);
    run.pipeline_step = row.get_indicator(15) == soci::i_null ? -1 : static_cast<int>(integer_at(row, 15));
    run.webhook_url = text_at(row, 16);
    run.webhook_secret = text_at(row, 17);
    run.created_at_ms = integer_at(row, 18);
    run.started_at_ms = integer_at(row, 19);
    run.finished_at_ms = integer_at(row, 20);
    run.updated_at_ms = integer_at(row, 21);
    run.error_type = text_at(row, 22);
    run.routing_json = text_at(row, 23);
    run.options_json = text_at(row, 24);
    run.approval_json = text_at(row, 25);
    run.approval_state = text_at(row, 26);
    run.approval_expires_at_ms = integer_at(row, 27);
    run.step_key = text_at(row, 28);
    run.llm_usage_json = text_at(row, 29);
    run.pipeline_iteration = static_cast<int>(integer_at(row, 30));
    run.tenant = text_at(row, 31);
    run.key_id = text_at(row, 32);
    run.trace_parent = text_at(row, 33);
    run.run_after_ms = integer_at(row, 34);
    run.on_completion = text_at(row, 35);
    return run;
}

// JSON string literal of `text`, for event data built in SQL callers.
std::string quoted(const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        if (static_cast<unsigned char>(c) < 0x20) {
            out += ' ';
            continue;
        }
        out += c;
    }
    return out + "\"";
}

}  // namespace agenthost::store
