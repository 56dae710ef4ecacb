#include "runs/run_service.hpp"

#include "json/json_util.hpp"
#include "runs/approval_rules.hpp"
#include "runs/blocking.hpp"
#include "runs/context_typos.hpp"
#include "runs/thread_admission.hpp"
#include "telemetry/trace_context.hpp"
#include "util/ids.hpp"

#include <rapidjson/document.h>

#include <algorithm>

namespace agenthost::runs {

std::optional<Rejection> RunService::check(const InvokeRequest& request) const {
    auto record = registry_.find(request.agent_name);
    if (record == nullptr)
        return Rejection{Rejection::Kind::agent_not_found, "no agent named '" + request.agent_name + "'", {}};
    if (record->state != plugins::PluginState::loaded)
        return Rejection{Rejection::Kind::agent_unavailable,
                         "agent '" + request.agent_name + "' is " + plugins::to_string(record->state) + ": " +
                             record->reason,
                         {}};
    if (std::string reason = record->agent->unavailable_reason(); !reason.empty())
        return Rejection{Rejection::Kind::agent_unavailable, reason, {}};
    const auto& schema = record->agent->manifest().input_schema;
    if (schema) {
        std::string error;
        auto context = json::parse(request.context_json, error);
        auto violations = schema->validate(*context, "/context");
        if (!violations.empty()) {
            std::string message = "context does not fit the input schema of agent '" + request.agent_name + "'";
            // The caller named no agent: say this one was the supervisors'
            // guess, so a wrong guess is not read as the caller's mistake.
            if (!request.routing_json.empty())
                message += " (chosen by routing from the task, as no agent_name was given; give the fields it names, "
                           "or name the agent you meant)";
            return Rejection{Rejection::Kind::invalid_context, message, std::move(violations)};
        }
    }
    if (std::optional<std::string> why = unrunnable_operation(request, registry_))
        return Rejection{Rejection::Kind::agent_unavailable, *why, {}};
    return std::nullopt;
}

std::vector<std::string> RunService::warnings(const InvokeRequest& request) const {
    std::vector<std::string> out;
    if (request.context_json.size() <= 2) return out;  // "{}": nothing to look at, and the commonest case
    auto record = registry_.find(request.agent_name);
    if (record == nullptr || !record->agent) return out;
    const auto& manifest = record->agent->manifest();
    if (!manifest.document) return out;
    const rapidjson::Value* schema = json::get_member(*manifest.document, "input_schema");
    if (schema == nullptr) return out;
    std::string error;
    auto context = json::parse(request.context_json, error);
    if (!context) return out;
    // A few are worth reading; thousands (a generated context) are noise
    // in every answer and every run.queued event.
    constexpr size_t kShown = 20;
    std::vector<ContextTypo> typos = context_typos(*schema, *context);
    for (size_t i = 0; i < typos.size() && i < kShown; ++i) out.push_back(typo_warning(request.agent_name, typos[i]));
    if (typos.size() > kShown)
        out.push_back("and " + std::to_string(typos.size() - kShown) + " more context members that look misspelt");
    return out;
}

store::RunRecord RunService::new_run(const InvokeRequest& request) const {
    store::RunRecord run;
    // Time-ordered: each commit's new rows share the indexes' last pages.
    run.id = new_time_ordered_uuid();
    run.thread_id = request.thread_id.empty() ? new_time_ordered_uuid() : request.thread_id;
    run.agent = request.agent_name;
    run.task = request.task;
    run.context_json = request.context_json;
    run.status = store::run_status::queued;
    run.max_attempts = settings_.max_attempts;
    run.webhook_url = request.webhook_url;
    run.webhook_secret = request.webhook_secret;
    run.created_at_ms = run.updated_at_ms = store::now_ms();
    run.routing_json = request.routing_json;
    run.warnings = request.warnings;
    run.options_json = options_json(request.options);
    run.tenant = request.tenant;
    run.key_id = request.key_id;
    // The span of the request being handled (HTTP server span), if traced.
    run.trace_parent = telemetry::current_traceparent();
    if (request.options.after_seconds > 0)
        run.run_after_ms = run.created_at_ms + static_cast<long long>(request.options.after_seconds * 1000);
    if (request.options.on_completion == "delete") run.on_completion = "delete";
    if (auto approval = approval_needed(request, registry_, settings_)) {
        run.approval_json = *approval;
        run.approval_state = store::approval_state::pending;
        run.status = store::run_status::pending_approval;
        run.approval_expires_at_ms = store::approval_deadline(*approval, run.created_at_ms);
    }
    return run;
}

void RunService::submit(const InvokeRequest& request, Committed committed) {
    submit_and_wait(request, std::move(committed), nullptr);
}

void RunService::submit_and_wait(const InvokeRequest& request, Committed committed, RunWaiters::Callback finished) {
    store::RunRecord run = new_run(request);
    if (finished)
        waiters_.add(run.id, std::chrono::steady_clock::now() + std::chrono::milliseconds(settings_.invoke_timeout_ms),
                     std::move(finished));
    const store::RunRepository& runs = store_.runs();
    // Only a caller-chosen thread can have runs already; a new one cannot.
    bool shared_thread = !request.thread_id.empty();
    auto admitted = std::make_shared<Admission>();
    std::string strategy = request.options.multitask_strategy;
    // This host takes the run as it is accepted: claimed (and, on a free
    // worker, started) in the accepting commit, with no claim round trip.
    // A delayed run is never taken as it is accepted.
    using Slot = RunDispatcher::Slot;
    Slot slot = run.status == store::run_status::queued && run.run_after_ms == 0 ? dispatcher_.reserve(run.agent)
                                                                                  : Slot::none;
    bool reserved = slot != Slot::none;
    bool starts_now = slot == Slot::worker;
    auto handed_off = std::make_shared<bool>(false);
    store_.writes().submit(
        [this, run = std::move(run), &runs, shared_thread, admitted, strategy = std::move(strategy), reserved,
         starts_now, handed_off, idempotency = request.idempotency](soci::session& session) {
            // Decided inside the transaction, so two requests on one thread
            // cannot both see it idle. Rebuilt from scratch on every try.
            *admitted = Admission{run, {}, {}};
            *handed_off = false;
            if (shared_thread) admit_on_thread(session, runs, strategy, *admitted);
            if (!admitted->busy_with.empty()) return;
            if (reserved && admitted->run.status == store::run_status::queued) {
                dispatcher_.stamp_started(admitted->run);
                *handed_off = true;
            }
            // With the other runs of its commit, in one statement per table.
            runs.queue_insert(session, admitted->run, *handed_off && starts_now);
            runs.store_schedule(session, admitted->run);
            store_idempotency(session, idempotency, admitted->run.id);
        },
        [this, admitted, reserved, starts_now, handed_off, committed = std::move(committed)](const std::string& error) {
            const store::RunRecord& stored = admitted->run;
            std::string outcome = error;
            if (error.empty() && !admitted->busy_with.empty()) outcome = thread_busy_error(stored.thread_id, admitted->busy_with);
            bool started_here = outcome.empty() && *handed_off;
            if (started_here) {
                // run.queued (1) went with the insert, and run.started (2)
                // too when a free worker starts it now.
                dispatcher_.hand_off(store::ClaimedRun{stored, starts_now ? 3 : 2, starts_now});
            } else if (reserved) {
                dispatcher_.release();
            }
            if (outcome.empty() && !started_here && stored.status == store::run_status::queued)
                dispatcher_.note_backlog();
            if (!outcome.empty()) {
                waiters_.forget(stored.id);
            } else {
                // Interrupted runs executing on some host stop through
                // is_cancelled; the new run waits for them to end.
                for (const std::string& id : admitted->interrupted) {
                    dispatcher_.cancel_local(id);
                    feed_.notify(id);
                }
                // A run that waits for approval ends the synchronous wait.
                if (stored.status == store::run_status::pending_approval) waiters_.finished(stored);
                // A run started here leaves nothing new to claim.
                if (!started_here || !admitted->interrupted.empty()) dispatcher_.wake();
            }
            committed(stored, outcome);
        },
        // A run on a new thread reads nothing; one on a caller's thread
        // reads the thread's runs, which must include those stored before.
        shared_thread ? store::CommitQueue::Kind::any : store::CommitQueue::Kind::appends_only);
}

std::string RunService::insert_in(soci::session& session, const InvokeRequest& request, store::RunRecord& run) const {
    const store::RunRepository& runs = store_.runs();
    Admission admitted{run, {}, {}};
    if (!request.thread_id.empty()) {
        // The thread's runs inserted earlier in this transaction (a batch
        // naming one thread twice) must be seen: written out first.
        runs.flush_queued(session);
        admit_on_thread(session, runs, request.options.multitask_strategy, admitted);
    }
    if (!admitted.busy_with.empty()) return thread_busy_error(run.thread_id, admitted.busy_with);
    run = admitted.run;
    runs.queue_insert(session, run);
    runs.store_schedule(session, run);
    return "";
}

void RunService::submit_batch(const std::vector<InvokeRequest>& requests, BatchCommitted committed) {
    auto outcomes = std::make_shared<std::vector<std::pair<store::RunRecord, std::string>>>();
    std::vector<store::RunRecord> prepared;
    prepared.reserve(requests.size());
    for (const InvokeRequest& request : requests) prepared.push_back(new_run(request));
    store_.writes().submit(
        [this, requests, prepared, outcomes](soci::session& session) {
            // Rebuilt from scratch on every try of the transaction.
            outcomes->clear();
            for (size_t i = 0; i < requests.size(); ++i) {
                store::RunRecord run = prepared[i];
                std::string refused = insert_in(session, requests[i], run);
                outcomes->emplace_back(std::move(run), std::move(refused));
            }
        },
        [this, outcomes, committed = std::move(committed)](const std::string& error) {
            if (error.empty()) dispatcher_.wake();
            committed(*outcomes, error);
        });
}

store::CancelOutcome RunService::cancel(const std::string& run_id, const std::string& actor, bool rollback) {
    return cancel_many({run_id}, actor, rollback).front();
}

std::vector<store::CancelOutcome> RunService::cancel_many(const std::vector<std::string>& run_ids,
                                                          const std::string& actor, bool rollback) {
    std::vector<store::CancelOutcome> outcomes(run_ids.size(), store::CancelOutcome::not_found);
    const store::RunRepository& runs = store_.runs();
    store_.writes().run([&](soci::session& session) {
        for (size_t i = 0; i < run_ids.size(); ++i) {
            outcomes[i] = runs.cancel(session, run_ids[i], actor);
            if (!rollback) continue;
            if (outcomes[i] == store::CancelOutcome::requested) runs.mark_rollback(session, run_ids[i]);
            if (outcomes[i] == store::CancelOutcome::cancelled) {
                runs.mark_rollback(session, run_ids[i]);
                runs.settle_completion(session, run_ids[i], actor);
            }
        }
    });
    for (bool executing : {false, true}) {
        for (size_t i = 0; i < run_ids.size(); ++i) {
            if (outcomes[i] != store::CancelOutcome::requested || dispatcher_.is_executing(run_ids[i]) != executing)
                continue;
            if (dispatcher_.cancel_local(run_ids[i])) outcomes[i] = store::CancelOutcome::cancelled;
        }
    }
    bool any_cancelled = false;
    for (size_t i = 0; i < run_ids.size(); ++i) {
        if (outcomes[i] != store::CancelOutcome::not_found) feed_.notify(run_ids[i]);
        if (outcomes[i] != store::CancelOutcome::cancelled) continue;
        any_cancelled = true;
        if (auto run = find(run_ids[i])) waiters_.finished(*run);
    }
    if (any_cancelled) dispatcher_.wake();
    return outcomes;
}

std::optional<store::RunRecord> RunService::find(const std::string& run_id) {
    const store::RunRepository& runs = store_.runs();
    return store_.read([&](soci::session& session) { return runs.find(session, run_id); });
}

store::RunPage RunService::list(const store::RunFilter& filter) {
    const store::RunRepository& runs = store_.runs();
    return store_.read([&](soci::session& session) { return runs.list(session, filter); });
}

std::vector<store::RunEvent> RunService::events(const std::string& run_id, long long after_seq, size_t limit) {
    const store::RunRepository& runs = store_.runs();
    return store_.read([&](soci::session& session) { return runs.events(session, run_id, after_seq, limit); });
}

bool RunService::delete_finished(const std::string& run_id, const std::string& actor) {
    const store::RunRepository& runs = store_.runs();
    bool deleted = false;
    store_.writes().run([&](soci::session& session) { deleted = runs.delete_finished(session, run_id, actor); });
    return deleted;
}

long long RunService::last_event_seq(const std::string& run_id) {
    const store::RunRepository& runs = store_.runs();
    return store_.read([&](soci::session& session) { return runs.last_event_seq(session, run_id); });
}

std::vector<store::AuditEntry> RunService::audit_trail(const std::string& run_id) {
    const store::RunRepository& runs = store_.runs();
    return store_.read([&](soci::session& session) { return runs.audit_trail(session, run_id); });
}

std::optional<Rejection> RunService::check(const PipelineRequest& request) const {
    for (const std::string& agent : request.agents) {
        InvokeRequest step;
        step.agent_name = agent;
        if (auto rejection = check(step)) return rejection;
    }
    return std::nullopt;
}

void RunService::submit(const PipelineRequest& request, PipelineCommitted committed) {
    store::PipelineRecord pipeline;
    pipeline.id = new_uuid();
    pipeline.thread_id = new_uuid();
    pipeline.mode = request.mode;
    pipeline.agents = request.agents;
    pipeline.text = request.text;
    pipeline.status = "processing";
    pipeline.webhook_url = request.webhook_url;
    pipeline.webhook_secret = request.webhook_secret;
    pipeline.created_at_ms = store::now_ms();
    std::optional<store::IdempotencyRecord> idempotency = request.idempotency;
    pipeline.tenant = request.tenant;

    // Every step reads the same text from context.text.
    rapidjson::Document context(rapidjson::kObjectType);
    context.AddMember("text", json::string_value(request.text, context.GetAllocator()), context.GetAllocator());
    std::vector<store::RunRecord> steps;
    for (size_t i = 0; i < request.agents.size(); ++i) {
        InvokeRequest step;
        step.agent_name = request.agents[i];
        step.task = request.agents[i] + " of the submitted text";
        step.context_json = json::serialize(context);
        step.thread_id = pipeline.thread_id;
        step.tenant = request.tenant;
        step.key_id = request.key_id;
        store::RunRecord run = new_run(step);
        run.pipeline_id = pipeline.id;
        run.pipeline_step = static_cast<int>(i);
        if (request.mode == "sequential" && i > 0) block_on(run, steps.back().id, "success");
        steps.push_back(std::move(run));
    }
    store_pipeline(pipeline, std::move(steps), std::move(committed), std::move(idempotency));
}

void RunService::store_idempotency(soci::session& session,
                                   const std::optional<store::IdempotencyRecord>& idempotency,
                                   const std::string& resource_id) const {
    if (!idempotency) return;
    store::IdempotencyRecord record = *idempotency;
    record.resource_id = resource_id;
    record.created_at_ms = store::now_ms();
    store_.idempotency().insert(session, record, record.created_at_ms - settings_.idempotency_window_ms);
}

std::optional<store::IdempotencyRecord> RunService::find_idempotency(const std::string& scope, const std::string& key) {
    const store::IdempotencyRepository& keys = store_.idempotency();
    long long not_before = store::now_ms() - settings_.idempotency_window_ms;
    return store_.read([&](soci::session& session) { return keys.find(session, scope, key, not_before); });
}

void RunService::wait_for(const std::string& run_id, RunWaiters::Callback finished) {
    waiters_.add(run_id, std::chrono::steady_clock::now() + std::chrono::milliseconds(settings_.invoke_timeout_ms),
                 std::move(finished));
    // Registered first, read second: a run ending in between is still seen
    // (by this read, or by the waiters' look at the store).
    std::optional<store::RunRecord> run;
    try {
        run = find(run_id);
    } catch (const store::StoreUnavailable&) {
        return;  // the waiters' own look at the store, or the timeout, answers
    }
    if (run && (store::run_status::is_terminal(run->status) || run->status == store::run_status::pending_approval))
        waiters_.finished(*run);
}

void RunService::store_pipeline(const store::PipelineRecord& pipeline, std::vector<store::RunRecord> steps,
                                PipelineCommitted committed, std::optional<store::IdempotencyRecord> idempotency) {
    const store::RunRepository& runs = store_.runs();
    const store::PipelineRepository& pipelines = store_.pipelines();
    store_.writes().submit(
        [this, pipeline, steps = std::move(steps), &runs, &pipelines,
         idempotency = std::move(idempotency)](soci::session& session) {
            pipelines.insert(session, pipeline);
            for (const auto& run : steps) runs.insert(session, run);
            runs.mark_dependency_targets(session, pipeline.id);
            store_idempotency(session, idempotency, pipeline.id);
        },
        [this, pipeline, committed = std::move(committed)](const std::string& error) {
            if (error.empty()) dispatcher_.wake();
            committed(pipeline, error);
        });
}

std::optional<PipelineView> RunService::pipeline(const std::string& id) {
    const store::PipelineRepository& pipelines = store_.pipelines();
    const store::RunRepository& runs = store_.runs();
    return store_.read([&](soci::session& session) -> std::optional<PipelineView> {
        auto found = pipelines.find(session, id);
        if (!found) return std::nullopt;
        PipelineView view{*found, {}};
        store::RunFilter filter;
        filter.pipeline_id = id;
        filter.limit = 1000;
        view.runs = runs.list(session, filter).runs;
        std::sort(view.runs.begin(), view.runs.end(),
                  [](const store::RunRecord& a, const store::RunRecord& b) { return a.pipeline_step < b.pipeline_step; });
        return view;
    });
}

store::PipelinePage RunService::pipelines(size_t offset, size_t limit, const std::string* tenant) {
    const store::PipelineRepository& pipelines = store_.pipelines();
    return store_.read([&](soci::session& session) { return pipelines.list(session, offset, limit, tenant); });
}

}  // namespace agenthost::runs

namespace agenthost::runs {

std::vector<std::pair<store::WebhookDelivery, std::vector<store::WebhookAttempt>>> RunService::webhook_log(
    const std::string& source_id) {
    const store::WebhookRepository& webhooks = store_.webhooks();
    return store_.read([&](soci::session& session) {
        std::vector<std::pair<store::WebhookDelivery, std::vector<store::WebhookAttempt>>> log;
        for (auto& delivery : webhooks.for_source(session, source_id)) {
            auto attempts = webhooks.attempts(session, delivery.id);
            log.emplace_back(std::move(delivery), std::move(attempts));
        }
        return log;
    });
}

std::optional<std::string> RunService::retry_webhook(const std::string& source_id) {
    const store::WebhookRepository& webhooks = store_.webhooks();
    std::optional<std::string> delivery;
    store_.writes().run([&](soci::session& session) { delivery = webhooks.retry_latest(session, source_id); });
    return delivery;
}

}  // namespace agenthost::runs
