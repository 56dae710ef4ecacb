#include "api/runs_api.hpp"

#include "api/idempotency.hpp"
#include "api/query_params.hpp"
#include "api/request_body.hpp"
#include "api/run_json.hpp"
#include "api/task_routing.hpp"
#include "api/tenancy.hpp"
#include "api/thread_json.hpp"
#include "api/webhooks_api.hpp"
#include "json/json_util.hpp"
#include "util/time_format.hpp"


namespace agenthost::api {
namespace {

void check_status_filter(const std::string& status) {
    static const char* known[] = {"queued", "blocked", "running", "pending_approval", "succeeded", "failed", "cancelled"};
    if (status.empty()) return;
    for (const char* name : known)
        if (status == name) return;
    throw http::ApiError(422, "ValidationError", "unknown status '" + status + "'",
                         {{"status", "must be one of queued, blocked, running, pending_approval, succeeded, failed, cancelled"}});
}

// 202 {run_id, thread_id, status} with Location.
http::HttpResponse run_accepted(const store::RunRecord& run) {
    JsonWriter out;
    out->StartObject();
    out.field("run_id", run.id);
    out.field("thread_id", run.thread_id);
    out.field("status", run.status);
    if (run.run_after_ms != 0) out.field("run_after", iso8601_ms(run.run_after_ms));
    out->EndObject();
    http::HttpResponse response = http::json_response(202, out.str());
    response.headers.emplace_back("Location", "/runs/" + run.id);
    return response;
}

}  // namespace

void create_run(ApiContext& context, const http::HttpRequest& request, http::Responder responder) {
    rapidjson::Document body = read_json_body(request, "requests/run-create");
    auto claim = idempotency_claim(request, "POST /runs", 202);
    std::string request_id = request.request_id;
    // A retry answers the run its first attempt created, as it is now.
    Replay replay = [&context, request_id](const store::IdempotencyRecord& earlier, const http::Responder& to) {
        auto run = with_store([&] { return context.runs.find(earlier.resource_id); });
        if (!run) {
            to.send(http::error_response(404, "RunNotFound", "the run this key created ('" + earlier.resource_id +
                                                                 "') no longer exists",
                                         request_id));
            return;
        }
        to.send(run_accepted(*run));
    };
    if (answered_from_earlier(context, claim, request_id, responder, replay)) return;
    check_webhook_fields(body, context.webhooks);
    runs::InvokeRequest invoke = invoke_request_from(body);
    claim_for_caller(context, request, invoke);
    check_run_options(context, invoke.options);
    route_if_unnamed(context, invoke);
    if (auto rejection = context.runs.check(invoke)) throw rejection_error(*rejection);
    invoke.warnings = context.runs.warnings(invoke);
    invoke.idempotency = claim;
    context.runs.submit(invoke, [&context, responder, request_id, claim, replay](const store::RunRecord& run,
                                                                               const std::string& error) {
        // Answered on the writer thread, after the commit.
        if (!error.empty()) {
            // A retry with the same key committed first: answer what it made.
            if (answered_from_earlier(context, claim, request_id, responder, replay)) return;
            responder.send(http::error_response(submit_error(error), request_id));
            return;
        }
        http::HttpResponse accepted = run_accepted(run);
        add_warnings(accepted, run.warnings);
        responder.send(std::move(accepted));
    });
}

namespace {

// {"runs": [...], "next_cursor"} plus any members `extra` writes first.
template <typename Extra>
http::HttpResponse run_page_response(const store::RunPage& page, Extra&& extra) {
    JsonWriter out;
    out->StartObject();
    extra(out);
    out.key("runs");
    out->StartArray();
    for (const auto& run : page.runs) write_run(out, run);
    out->EndArray();
    out.key("next_cursor");
    if (page.next_cursor.empty()) out->Null();
    else out.string(page.next_cursor);
    out->EndObject();
    return http::json_response(200, out.str());
}

http::HttpResponse list_runs(ApiContext& context, const http::HttpRequest& request) {
    store::RunFilter filter;
    filter.status = query_value(request, "status");
    check_status_filter(filter.status);
    filter.agent = query_value(request, "agent");
    filter.thread_id = query_value(request, "thread_id");
    filter.cursor = query_value(request, "cursor");
    if (!filter.cursor.empty()) check_cursor(filter.cursor);
    filter.limit = bounded_number(request, "limit", 50, 1, 500);
    restrict_to_caller(request, filter);
    store::RunPage page = with_store([&] { return context.runs.list(filter); });
    return run_page_response(page, [](JsonWriter&) {});
}

}  // namespace

http::HttpResponse cancel_run(ApiContext& context, const http::HttpRequest& request) {
    std::string run_id = request.param("id");
    // interrupt (the default): cancel. rollback: cancel, then delete the run
    // and undo its thread memory writes.
    std::string action = query_value(request, "action");
    if (!action.empty() && action != "interrupt" && action != "rollback")
        throw http::ApiError(422, "ValidationError", "unknown cancel action '" + action + "'",
                             {{"action", "must be interrupt or rollback"}});
    bool rollback = action == "rollback";
    // Another tenant's run is not there (checked only for callers that do
    // not see all: the extra read would delay every cancel). A rollback
    // reads the run first: a run that never started is gone once cancelled.
    std::optional<store::RunRecord> before;
    if (rollback || !request.principal.sees_all_tenants()) before = visible_run(context, request, run_id);
    store::CancelOutcome outcome = with_store([&] { return context.runs.cancel(run_id, actor_of(request), rollback); });
    if (outcome == store::CancelOutcome::not_found)
        throw http::ApiError(404, "RunNotFound", "no run with id '" + run_id + "'");
    store::RunRecord run;
    if (rollback && outcome == store::CancelOutcome::cancelled) {
        run = *before;  // deleted with the cancel
        run.status = store::run_status::cancelled;
        run.on_completion = "rollback";
    } else {
        run = visible_run(context, request, run_id);
    }
    if (outcome == store::CancelOutcome::already_finished)
        throw http::ApiError(409, "RunFinished", "run " + run_id + " already finished as " + run.status);
    JsonWriter out;
    out->StartObject();
    out.field("run_id", run_id);
    // "cancelled": it never started; "cancelling": its agent was told and
    // the run ends cancelled when the agent stops.
    out.field("status", outcome == store::CancelOutcome::cancelled ? "cancelled" : "cancelling");
    out.key("run");
    write_run(out, run);
    out->EndObject();
    return http::json_response(outcome == store::CancelOutcome::cancelled ? 200 : 202, out.str());
}

namespace {

http::HttpResponse events_response(const store::RunRecord& run, const std::vector<store::RunEvent>& events,
                                   long long since) {
    JsonWriter out;
    out->StartObject();
    out.field("run_id", run.id);
    out.field("status", run.status);
    out.key("events");
    out->StartArray();
    for (const auto& event : events) write_event(out, event, run.thread_id);
    out->EndArray();
    out.key("next_index");
    out->Int64(events.empty() ? since : events.back().seq);
    out->EndObject();
    return http::json_response(200, out.str());
}

// Seed 000's log polling: the events after since_index; with wait=S, held up
// to S seconds for the first new one (answered from the event feed's thread).
void run_events(ApiContext& context, const http::HttpRequest& request, const http::Responder& responder) {
    std::string run_id = request.param("id");
    store::RunRecord run = visible_run(context, request, run_id);
    long long since = static_cast<long long>(bounded_number(request, "since_index", 0, 0, 1000000000000LL));
    size_t limit = bounded_number(request, "limit", 1000, 1, 10000);
    size_t wait_seconds = bounded_number(request, "wait", 0, 0, 60);
    auto events = with_store([&] { return context.runs.events(run_id, since, limit); });
    // Past the end of the log: next_index says where it ends, and a wait
    // follows from there (nothing numbered up to since_index is coming).
    if (events.empty() && since > 0) since = std::min(since, with_store([&] { return context.runs.last_event_seq(run_id); }));
    if (!events.empty() || wait_seconds == 0 || store::run_status::is_terminal(run.status)) {
        responder.send(events_response(run, events, since));
        return;
    }
    auto deadline = runs::EventFeed::Clock::now() + std::chrono::seconds(wait_seconds);
    context.runs.feed().follow(
        run_id, since,
        [&context, responder, run, since, limit](const std::vector<store::RunEvent>& arrived, bool, bool) {
            std::vector<store::RunEvent> page(arrived.begin(),
                                              arrived.begin() + static_cast<long>(std::min(limit, arrived.size())));
            store::RunRecord latest = run;
            try {
                if (auto now = context.runs.find(run.id)) latest = *now;
            } catch (const std::exception&) {
                // The events are the answer; the status may be a moment old.
            }
            responder.send(events_response(latest, page, since));
            return false;
        },
        deadline);
}

// The thread object (status, metadata, values, checkpoint) with its runs,
// newest first, as this route answered before threads were a resource.
http::HttpResponse thread_runs(ApiContext& context, const http::HttpRequest& request, const std::string& thread_id) {
    store::ThreadRecord thread = visible_thread(context, request, thread_id);
    store::RunFilter filter;
    filter.thread_id = thread_id;
    filter.limit = bounded_number(request, "limit", 100, 1, 500);
    filter.cursor = query_value(request, "cursor");
    if (!filter.cursor.empty()) check_cursor(filter.cursor);
    restrict_to_caller(request, filter);
    store::ThreadMemory memory = with_store([&] { return context.threads->state(thread_id); });
    thread.checkpoint = memory.checkpoint;
    store::RunPage page = with_store([&] { return context.runs.list(filter); });
    return run_page_response(page, [&](JsonWriter& out) {
        write_thread_fields(out, thread);
        out.key("values");
        write_values(out, memory.values);
    });
}

}  // namespace

runs::InvokeRequest invoke_request_from(const rapidjson::Value& body) {
    runs::InvokeRequest request;
    request.agent_name = json::get_string(body, "agent_name");
    request.task = json::get_string(body, "task");
    if (const rapidjson::Value* context = json::get_member(body, "context")) request.context_json = json::serialize(*context);
    request.thread_id = json::get_string(body, "thread_id");
    request.webhook_url = json::get_string(body, "webhook_url");
    request.webhook_secret = json::get_string(body, "webhook_secret");
    request.options = run_options_from(body);
    return request;
}

void check_run_options(ApiContext& context, const runs::RunOptions& options) {
    int bound = context.runs.settings().max_loop_iterations;
    if (options.loop_max_iterations > bound)
        throw http::ApiError(422, "ValidationError",
                             "loop.max_iterations may be at most " + std::to_string(bound) +
                                 " (orchestration.max_loop_iterations)",
                             {{"/loop/max_iterations", "must be at most " + std::to_string(bound)}});
}

runs::RunOptions run_options_from(const rapidjson::Value& body) {
    runs::RunOptions options;
    if (const rapidjson::Value* v = json::get_member(body, "require_approval"); v != nullptr && v->IsBool())
        options.require_approval = v->GetBool();
    if (const rapidjson::Value* v = json::get_member(body, "approval_timeout_seconds"); v != nullptr && v->IsNumber())
        options.approval_timeout_seconds = v->GetDouble();
    if (const rapidjson::Value* loop = json::get_member(body, "loop"); loop != nullptr && loop->IsObject())
        if (const rapidjson::Value* v = json::get_member(*loop, "max_iterations"); v != nullptr && v->IsInt())
            options.loop_max_iterations = v->GetInt();
    options.multitask_strategy = json::get_string(body, "multitask_strategy", "enqueue");
    options.if_not_exists = json::get_string(body, "if_not_exists", "create");
    options.on_completion = json::get_string(body, "on_completion", "keep");
    if (const rapidjson::Value* v = json::get_member(body, "after_seconds"); v != nullptr && v->IsNumber())
        options.after_seconds = v->GetDouble();
    return options;
}

http::HttpResponse get_run(ApiContext& context, const http::HttpRequest& request) {
    store::RunRecord run = visible_run(context, request, request.param("id"));
    JsonWriter out;
    write_run(out, run);
    return http::json_response(200, out.str());
}

void add_run_routes(http::Router& router, ApiContext& context) {
    router.post("/runs", [&context](const http::HttpRequest& request, http::Responder responder) {
        create_run(context, request, std::move(responder));
    });
    router.get("/runs", [&context](const http::HttpRequest& request, http::Responder responder) {
        responder.send(list_runs(context, request));
    });
    router.get("/runs/:id", [&context](const http::HttpRequest& request, http::Responder responder) {
        responder.send(get_run(context, request));
    });
    router.post("/runs/:id/cancel", [&context](const http::HttpRequest& request, http::Responder responder) {
        responder.send(cancel_run(context, request));
    });
    router.get("/runs/:id/events", [&context](const http::HttpRequest& request, http::Responder responder) {
        run_events(context, request, responder);
    });
    router.get("/threads/:id", [&context](const http::HttpRequest& request, http::Responder responder) {
        responder.send(thread_runs(context, request, request.param("id")));
    });
}

}  // namespace agenthost::api
