#include "crons/cron_service.hpp"

#include "json/json_util.hpp"
#include "metrics/host_metrics.hpp"
#include "util/ids.hpp"
#include "util/log.hpp"

#include <rapidjson/document.h>

#include <algorithm>

namespace agenthost::crons {
namespace {

runs::InvokeRequest run_request(const store::CronRecord& cron) {
    runs::InvokeRequest request;
    request.agent_name = cron.agent;
    request.task = cron.task;
    request.context_json = cron.context_json.empty() ? "{}" : cron.context_json;
    request.thread_id = cron.thread_id;
    request.tenant = cron.tenant;
    request.key_id = cron.key_id;
    std::string error;
    if (auto options = json::parse(cron.options_json.empty() ? "{}" : cron.options_json, error)) {
        request.options.multitask_strategy = json::get_string(*options, "multitask_strategy", "enqueue");
        request.options.on_completion = json::get_string(*options, "on_completion", "keep");
    }
    return request;
}

}  // namespace

CronService::CronService(store::Store& store, runs::RunService& runs, long long poll_ms)
    : store_(store), runs_(runs), crons_(store.dialect()), poll_ms_(std::max<long long>(50, poll_ms)) {}

CronService::~CronService() { stop(); }

store::CronRecord CronService::prepare(const CronRequest& request) const {
    CronSchedule schedule;
    try {
        schedule = CronSchedule::parse(request.schedule);
    } catch (const CronSyntaxError& e) {
        throw CronRejection{"schedule", e.what()};
    }
    std::string error;
    std::optional<TimeZone> zone = TimeZone::load(request.timezone, error);
    if (!zone) throw CronRejection{"timezone", error};
    long long now = store::now_ms();
    if (request.end_time_ms != 0 && request.end_time_ms <= now)
        throw CronRejection{"end_time", "end_time is in the past"};
    std::optional<long long> first = schedule.next_after(now, *zone);
    if (!first) throw CronRejection{"schedule", "schedule: '" + request.schedule + "' never fires"};
    store::CronRecord cron;
    cron.id = new_uuid();
    cron.tenant = request.tenant;
    cron.key_id = request.key_id;
    cron.thread_id = request.thread_id;
    cron.agent = request.agent_name;
    cron.task = request.task;
    cron.context_json = request.context_json;
    cron.schedule = schedule.text();
    cron.timezone = request.timezone;
    cron.on_missed = request.on_missed;
    rapidjson::Document options(rapidjson::kObjectType);
    auto& allocator = options.GetAllocator();
    options.AddMember("multitask_strategy", json::string_value(request.multitask_strategy, allocator), allocator);
    options.AddMember("on_completion", json::string_value(request.on_completion, allocator), allocator);
    cron.options_json = json::serialize(options);
    cron.metadata_json = request.metadata_json;
    cron.end_time_ms = request.end_time_ms;
    cron.next_fire_at_ms = request.end_time_ms != 0 && *first > request.end_time_ms ? 0 : *first;
    cron.created_at_ms = cron.updated_at_ms = now;
    return cron;
}

void CronService::insert(const store::CronRecord& cron) {
    store_.writes().run([&](soci::session& session) { crons_.insert(session, cron); });
    wake_.notify_all();
}

std::optional<store::CronRecord> CronService::find(const std::string& id) {
    return store_.read([&](soci::session& session) { return crons_.find(session, id); });
}

std::vector<store::CronRecord> CronService::search(const store::CronFilter& filter) {
    return store_.read([&](soci::session& session) { return crons_.list(session, filter); });
}

bool CronService::remove(const std::string& id) {
    bool removed = false;
    store_.writes().run([&](soci::session& session) { removed = crons_.remove(session, id); });
    return removed;
}

bool CronService::fire(const store::CronRecord& cron, long long now) {
    std::string error;
    std::optional<TimeZone> zone = TimeZone::load(cron.timezone, error);
    CronSchedule schedule;
    try {
        schedule = CronSchedule::parse(cron.schedule);
    } catch (const CronSyntaxError& e) {
        error = e.what();
    }
    long long due = cron.next_fire_at_ms;
    long long next = 0;
    bool run_it = true;
    if (!zone || !error.empty()) {
        // Checked when it was created: the zone vanished from this host's
        // tzdata (or another host wrote it). It stops rather than spin.
        log::error("cron cannot be scheduled any more; it stops", {{"cron_id", cron.id}, {"error", error}});
        run_it = false;
    } else {
        std::optional<long long> following = schedule.next_after(due, *zone);
        bool missed = now - due > kMissedAfterMs || (following && *following <= now);
        if (missed && cron.on_missed == "skip") run_it = false;
        // Ticks missed collapse: the next is the first after now.
        std::optional<long long> upcoming = missed ? schedule.next_after(now, *zone) : following;
        next = upcoming.value_or(0);
        if (cron.end_time_ms != 0 && next > cron.end_time_ms) next = 0;
        if (cron.end_time_ms != 0 && due > cron.end_time_ms) run_it = false;
    }
    std::string over_quota;
    if (run_it && admission_) over_quota = admission_(cron.tenant, now);
    if (!over_quota.empty()) run_it = false;
    runs::InvokeRequest request = run_request(cron);
    store::RunRecord run = runs_.new_run(request);
    bool claimed = false, thread_gone = false;
    std::string refused;
    store_.writes().run([&](soci::session& session) {
        refused.clear();
        // Its thread was deleted (DELETE /threads/{id}): the cron goes too,
        // rather than bring the thread back with a run.
        thread_gone = crons_.remove_if_thread_gone(session, cron, due);
        if (thread_gone) {
            claimed = true;
            return;
        }
        claimed = crons_.claim_tick(session, cron.id, due, next, now, run_it ? run.id : "");
        if (!claimed || !run_it) return;
        store::RunRecord stored = run;
        refused = runs_.insert_in(session, request, stored);
    });
    if (!claimed) return false;  // another host had it
    metrics::Family& ticks = metrics::host_metrics().cron_ticks;
    if (thread_gone) {
        log::info("cron deleted with its thread", {{"cron_id", cron.id}, {"thread_id", cron.thread_id}});
        ticks.add({"thread_gone"});
        return true;
    }
    if (!refused.empty()) {
        log::warn("cron tick created no run: its thread is busy", {{"cron_id", cron.id}, {"reason", refused}});
        ticks.add({"refused"});
    } else if (!over_quota.empty()) {
        log::warn("cron tick created no run: the tenant's quota is used up",
                  {{"cron_id", cron.id}, {"tenant", cron.tenant}, {"reason", over_quota}});
        ticks.add({"over_quota"});
    } else if (run_it) {
        runs_.wake();
        ticks.add({"fired"});
    } else {
        ticks.add({"skipped"});
    }
    return true;
}

size_t CronService::fire_due() {
    long long now = store::now_ms();
    std::vector<store::CronRecord> due =
        store_.read([&](soci::session& session) { return crons_.due(session, now, 100); });
    size_t fired = 0;
    for (const store::CronRecord& cron : due) {
        try {
            if (fire(cron, now)) ++fired;
        } catch (const std::exception& e) {
            log::warn("firing a cron failed; the next look tries again", {{"cron_id", cron.id}, {"error", e.what()}});
        }
    }
    return fired;
}

void CronService::start() {
    ticker_ = std::thread([this] { loop(); });
}

void CronService::stop() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (ticker_.joinable()) ticker_.join();
}

void CronService::loop() {
    for (;;) {
        {
            std::unique_lock<std::mutex> lock(mutex_);
            wake_.wait_for(lock, std::chrono::milliseconds(poll_ms_), [this] { return stopping_; });
            if (stopping_) return;
        }
        try {
            fire_due();
        } catch (const std::exception& e) {
            log::warn("looking for due crons failed", {{"error", e.what()}});
        }
    }
}

}  // namespace agenthost::crons
