#include "signals/incident_service.hpp"

#include "json/json_util.hpp"
#include "runs/agent_execution.hpp"
#include "signals/fingerprint.hpp"
#include "util/ids.hpp"
#include "util/log.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <thread>

namespace agenthost::signals {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void put(Writer& out, const char* key, const std::string& value) {
    out.Key(key);
    out.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

// A GitHub payload's commits as the agent needs them to find and revert a
// suspect change: sha, message, files. Capped: a push of a thousand
// commits is evidence, not a list to hand over whole.
void write_commits(Writer& out, const std::string& payload_json) {
    std::string error;
    auto payload = json::parse(payload_json, error);
    if (!payload || !payload->IsObject()) return;
    if (const rapidjson::Value* repository = json::get_member(*payload, "repository");
        repository != nullptr && repository->IsObject())
        put(out, "repository_full_name", json::get_string(*repository, "full_name"));
    const rapidjson::Value* commits = json::get_member(*payload, "commits");
    if (commits == nullptr || !commits->IsArray()) return;
    out.Key("commits");
    out.StartArray();
    rapidjson::SizeType count = 0;
    for (const auto& commit : commits->GetArray()) {
        if (!commit.IsObject() || ++count > 20) continue;
        out.StartObject();
        put(out, "sha", json::get_string(commit, "id"));
        std::string message = json::get_string(commit, "message");
        put(out, "message", message.substr(0, 2000));
        put(out, "timestamp", json::get_string(commit, "timestamp"));
        for (const char* list : {"added", "removed", "modified"}) {
            out.Key(list);
            out.StartArray();
            if (const rapidjson::Value* files = json::get_member(commit, list); files != nullptr && files->IsArray()) {
                rapidjson::SizeType shown = 0;
                for (const auto& file : files->GetArray())
                    if (file.IsString() && ++shown <= 100) out.String(file.GetString(), file.GetStringLength());
            }
            out.EndArray();
        }
        out.EndObject();
    }
    out.EndArray();
}

void write_signal(Writer& out, const store::SignalRecord& signal) {
    out.StartObject();
    put(out, "id", signal.id);
    put(out, "kind", signal.kind);
    put(out, "service", signal.service);
    // The agent keeps another incident's signals out of this one's causes
    // and actions (that incident is worked on its own).
    if (!signal.incident_id.empty()) put(out, "incident_id", signal.incident_id);
    if (!signal.repository.empty()) put(out, "repository", signal.repository);
    put(out, "severity", signal.severity);
    put(out, "message", signal.message);
    out.Key("received_at_ms");
    out.Int64(signal.received_at_ms);
    if (signal.score != 0) {
        out.Key("score");
        out.Double(signal.score);
    }
    if (signal.kind == "github") write_commits(out, signal.payload_json);
    out.EndObject();
}

std::string title_for(const IncomingSignal& signal, const std::string& template_text) {
    std::string title = (signal.service.empty() ? "" : signal.service + ": ") + template_text;
    if (title.size() > 200) title = title.substr(0, 197) + "...";
    return title.empty() ? signal.kind + " signal" : title;
}

store::SignalRecord record_of(const std::string& tenant, const IncomingSignal& in, long long now) {
    store::SignalRecord signal;
    signal.id = "sig_" + new_time_ordered_uuid();
    signal.tenant = tenant;
    signal.kind = in.kind;
    signal.service = in.service;
    signal.repository = in.repository;
    signal.severity = in.severity.empty() ? "info" : in.severity;
    signal.message = in.message;
    signal.payload_json = in.payload_json;
    signal.received_at_ms = in.received_at_ms > 0 ? in.received_at_ms : now;
    signal.created_at_ms = now;
    return signal;
}

// Runs `work` in the writer's transaction, `done` after the commit. A batch
// that fails is retried write by write, so `work` may run twice: it only
// fills its result.
template <typename Result>
void write(store::Store& store, std::function<Result(soci::session&)> work,
           std::function<void(const Result&, const std::string&)> done) {
    auto result = std::make_shared<Result>();
    store.writes().submit([result, work = std::move(work)](soci::session& session) { *result = work(session); },
                          [result, done = std::move(done)](const std::string& error) { done(*result, error); });
}

}  // namespace

void IncidentService::ingest(const std::string& tenant, std::vector<IncomingSignal> signals,
                             std::function<void(const IngestResult&, const std::string& error)> done,
                             std::function<void(soci::session&)> in_same_commit) {
    long long now = store::now_ms();
    std::vector<std::pair<store::SignalRecord, std::string>> records;
    for (const IncomingSignal& in : signals) {
        store::SignalRecord record = record_of(tenant, in, now);
        std::string title;
        if (in.may_open_incident) {
            std::string template_text = error_template(in.message);
            record.fingerprint = fingerprint(in.kind, in.service, template_text);
            title = title_for(in, template_text);
        }
        records.emplace_back(std::move(record), std::move(title));
    }
    const store::IncidentRepository& repository = store_.incidents();
    long long window_ms = settings_.window_seconds * 1000;
    long long cap = settings_.sample_signals;
    write<IngestResult>(
        store_,
        [&repository, records = std::move(records), window_ms, cap,
         in_same_commit = std::move(in_same_commit)](soci::session& session) {
            IngestResult result;
            for (const auto& [record, title] : records) {
                store::IngestOutcome outcome = repository.ingest(session, record, title, window_ms, cap);
                if (outcome.created) result.created.push_back(outcome.incident_id);
                result.outcomes.push_back(std::move(outcome));
            }
            if (in_same_commit) in_same_commit(session);
            return result;
        },
        [this, done = std::move(done)](const IngestResult& result, const std::string& error) {
            if (error.empty()) {
                for (const std::string& id : result.created) {
                    try {
                        if (auto incident = find(id)) hand_to_agent(*incident, false);
                    } catch (const std::exception& e) {
                        log::warn("incident not handed to the agent", {{"incident", id}, {"error", e.what()}});
                    }
                }
                rework_joined(result);
            }
            done(result, error);
        });
}

void IncidentService::open_issue(const std::string& tenant, const std::string& title, IncomingSignal signal,
                                 std::function<void(const store::IncidentRecord&, const std::string& error)> done) {
    long long now = store::now_ms();
    store::SignalRecord record = record_of(tenant, signal, now);
    store::IncidentRecord incident;
    incident.id = "inc_" + new_time_ordered_uuid();
    incident.tenant = tenant;
    // Manual issues are never merged: each is its own incident.
    incident.fingerprint = "manual:" + incident.id;
    incident.title = title;
    incident.service = signal.service;
    incident.repository = signal.repository;
    incident.severity = record.severity;
    incident.status = "open";
    incident.source = "manual";
    incident.signal_count = 1;
    incident.first_seen_ms = incident.last_seen_ms = record.received_at_ms;
    incident.created_at_ms = incident.updated_at_ms = now;
    record.incident_id = incident.id;
    record.fingerprint = incident.fingerprint;
    const store::IncidentRepository& repository = store_.incidents();
    write<bool>(
        store_,
        [&repository, incident, record](soci::session& session) {
            repository.insert_incident(session, incident);
            repository.insert_signal(session, record);
            return true;
        },
        [this, incident, done = std::move(done)](const bool&, const std::string& error) {
            if (error.empty()) hand_to_agent(incident, false);
            done(incident, error);
        });
}

void IncidentService::add_integration(store::SreIntegration item,
                                      std::function<void(bool created, const std::string& error)> done) {
    const store::IncidentRepository& repository = store_.incidents();
    write<bool>(
        store_, [&repository, item](soci::session& session) { return repository.insert_integration(session, item); },
        [done = std::move(done)](const bool& created, const std::string& error) { done(created, error); });
}

std::vector<store::SreIntegration> IncidentService::integrations(const std::string& kind, const std::string* tenant) {
    const store::IncidentRepository& repository = store_.incidents();
    return store_.read([&](soci::session& session) { return repository.integrations(session, kind, tenant); });
}

std::optional<store::SreIntegration> IncidentService::integration(const std::string& kind, const std::string& id) {
    const store::IncidentRepository& repository = store_.incidents();
    return store_.read([&](soci::session& session) { return repository.find_integration(session, kind, id); });
}

void IncidentService::remove_integration(const std::string& kind, const std::string& id,
                                         std::function<void(bool removed, const std::string& error)> done) {
    const store::IncidentRepository& repository = store_.incidents();
    const store::LogCursorRepository& cursors = cursors_;
    write<bool>(
        store_,
        [&repository, &cursors, kind, id](soci::session& session) {
            bool removed = repository.remove_integration(session, kind, id);
            // A pulled source's cursor goes with it.
            if (removed && kind == "log_source") cursors.remove(session, id);
            return removed;
        },
        [done = std::move(done)](const bool& removed, const std::string& error) { done(removed, error); });
}

std::optional<store::LogCursor> IncidentService::log_source_status(const std::string& source_id) {
    const store::LogCursorRepository& cursors = cursors_;
    return store_.read([&](soci::session& session) { return cursors.find(session, source_id); });
}

std::string IncidentService::repository_of_channel(const std::string& tenant, const std::string& channel) {
    for (const auto& item : integrations("slack_channel", &tenant)) {
        if (item.key != channel) continue;
        std::string error;
        auto body = json::parse(item.body_json, error);
        if (body && body->IsObject()) return json::get_string(*body, "repository");
    }
    return "";
}

store::IncidentPage IncidentService::incidents(const store::IncidentFilter& filter) {
    const store::IncidentRepository& repository = store_.incidents();
    return store_.read([&](soci::session& session) { return repository.incidents(session, filter); });
}

std::optional<store::IncidentRecord> IncidentService::find(const std::string& id) {
    const store::IncidentRepository& repository = store_.incidents();
    return store_.read([&](soci::session& session) { return repository.find_incident(session, id); });
}

std::optional<IncidentDetail> IncidentService::detail(const std::string& id) {
    const store::IncidentRepository& repository = store_.incidents();
    auto detail = store_.read([&](soci::session& session) -> std::optional<IncidentDetail> {
        auto incident = repository.find_incident(session, id);
        if (!incident) return std::nullopt;
        IncidentDetail answer;
        answer.incident = std::move(*incident);
        answer.signals = repository.signals_of(session, id, 50);
        answer.actions = repository.actions(session, id);
        return answer;
    });
    if (!detail) return detail;
    store::RunFilter filter;
    filter.thread_id = id;
    filter.limit = 50;
    detail->runs = runs_.list(filter).runs;
    // Runs that ended while no one followed them (another host, a restart)
    // are recorded now: the incident's history never misses one.
    bool recorded_any = false;
    for (const auto& run : detail->runs) {
        if (!store::run_status::is_terminal(run.status)) continue;
        bool recorded = false;
        for (const auto& action : detail->actions)
            if (action.run_id == run.id && action.kind == "run.finished") recorded = true;
        if (!recorded) {
            record_outcome(id, run, true);
            recorded_any = true;
        }
    }
    if (recorded_any) {
        auto again = store_.read([&](soci::session& session) {
            return std::make_pair(repository.find_incident(session, id), repository.actions(session, id));
        });
        if (again.first) detail->incident = *again.first;
        detail->actions = again.second;
    }
    return detail;
}

void IncidentService::set_status(const std::string& id, const std::string& status, const std::string& note,
                                 const std::string& actor,
                                 std::function<void(bool changed, const std::string& error)> done) {
    const store::IncidentRepository& repository = store_.incidents();
    long long now = store::now_ms();
    write<bool>(
        store_,
        [&repository, id, status, note, actor, now](soci::session& session) {
            if (!repository.set_status(session, id, status, note, actor, now)) return false;
            store::IncidentAction action;
            action.incident_id = id;
            action.kind = status == "resolved" ? "resolved" : "reopened";
            rapidjson::StringBuffer buffer;
            Writer out(buffer);
            out.StartObject();
            put(out, "note", note);
            out.EndObject();
            action.detail_json = buffer.GetString();
            action.actor = actor;
            action.at_ms = now;
            repository.add_action(session, action);
            return true;
        },
        [this, id, status, done = std::move(done)](const bool& changed, const std::string& error) {
            if (error.empty() && changed && status == "open") {
                try {
                    if (auto incident = find(id)) hand_to_agent(*incident, true);
                } catch (const std::exception& e) {
                    log::warn("reopened incident not handed to the agent", {{"incident", id}, {"error", e.what()}});
                }
            }
            done(changed, error);
        });
}

std::vector<store::SignalRecord> IncidentService::search(const std::string& tenant, const std::string& query,
                                                         size_t limit) {
    const store::IncidentRepository& repository = store_.incidents();
    return store_.read([&](soci::session& session) { return repository.search(session, tenant, query, limit); });
}

std::string IncidentService::evidence_json(const std::string& incident_id) {
    const store::IncidentRepository& repository = store_.incidents();
    size_t limit = settings_.evidence_limit;
    auto incident = find(incident_id);
    if (!incident) return "{}";
    auto [own, recent] = store_.read([&](soci::session& session) {
        // Fresh signals: everything of the tenant since the incident began,
        // so an evaluation sees recovery logs that belong to no incident.
        return std::make_pair(repository.signals_of(session, incident_id, limit),
                              repository.recent_signals(session, incident->tenant, incident->first_seen_ms, limit * 5));
    });
    std::string query = incident->title + " " + incident->service;
    for (const auto& signal : own) query += " " + signal.message;
    auto retrieved = search(incident->tenant, query, limit);
    // The watched repository's pushes in the hour before the incident are
    // evidence whatever their words: the agent may revert one of them.
    if (!incident->repository.empty()) {
        std::set<std::string> have;
        for (const auto& signal : retrieved) have.insert(signal.id);
        for (auto& signal : search(incident->tenant, "github " + incident->repository, limit)) {
            if (signal.kind != "github" || signal.repository != incident->repository || have.count(signal.id) != 0) continue;
            if (signal.received_at_ms < incident->first_seen_ms - 3600 * 1000) continue;
            have.insert(signal.id);
            retrieved.push_back(std::move(signal));
        }
    }

    rapidjson::StringBuffer buffer;
    Writer out(buffer);
    out.StartObject();
    out.Key("incident");
    out.StartObject();
    put(out, "id", incident->id);
    put(out, "title", incident->title);
    put(out, "service", incident->service);
    put(out, "repository", incident->repository);
    // Where the watched repository lives (POST /api/repos), so the agent
    // can propose a change to it.
    if (!incident->repository.empty())
        for (const auto& item : integrations("repo", &incident->tenant)) {
            if (item.key != incident->repository) continue;
            std::string error;
            auto body = json::parse(item.body_json, error);
            if (!body || !body->IsObject()) break;
            put(out, "repository_url", json::get_string(*body, "url"));
            put(out, "default_branch", json::get_string(*body, "default_branch", "main"));
            break;
        }
    put(out, "severity", incident->severity);
    put(out, "status", incident->status);
    out.Key("signal_count");
    out.Int64(incident->signal_count);
    out.Key("first_seen_ms");
    out.Int64(incident->first_seen_ms);
    out.Key("last_seen_ms");
    out.Int64(incident->last_seen_ms);
    out.EndObject();
    out.Key("signals");
    out.StartArray();
    for (const auto& signal : own) write_signal(out, signal);
    out.EndArray();
    out.Key("recent_signals");
    out.StartArray();
    for (const auto& signal : recent) write_signal(out, signal);
    out.EndArray();
    out.Key("evidence");
    out.StartArray();
    for (const auto& signal : retrieved) write_signal(out, signal);
    out.EndArray();
    out.Key("now_ms");
    out.Int64(store::now_ms());
    out.EndObject();
    return buffer.GetString();
}

size_t IncidentService::hand_over_unworked() {
    if (settings_.agent.empty()) return 0;
    const store::IncidentRepository& repository = store_.incidents();
    std::vector<store::IncidentRecord> unworked;
    long long now = store::now_ms();
    try {
        unworked = store_.read([&](soci::session& session) { return repository.open_unworked(session, 1000, now); });
    } catch (const std::exception& e) {
        log::warn("open incidents without a run not checked", {{"error", e.what()}});
        return 0;
    }
    // An operator who fixed what failed the last run (an exec allowance,
    // a token) restarts the host: the incident is worked again.
    for (const auto& incident : unworked) {
        log::info("open incident with no run working on it: handing it to the agent", {{"incident", incident.id}});
        hand_to_agent(incident, false);
    }
    return unworked.size();
}

void IncidentService::rework_joined(const IngestResult& result) {
    if (settings_.agent.empty() || settings_.rework_after_seconds <= 0) return;
    std::set<std::string> joined;
    for (const auto& outcome : result.outcomes)
        if (!outcome.created && !outcome.incident_id.empty()) joined.insert(outcome.incident_id);
    if (joined.empty()) return;
    const store::IncidentRepository& repository = store_.incidents();
    long long ended_before = store::now_ms() - settings_.rework_after_seconds * 1000;
    for (const std::string& id : joined) {
        try {
            auto unworked = store_.read(
                [&](soci::session& session) { return repository.open_unworked(session, 1, ended_before, id); });
            if (unworked.empty()) continue;  // a run works on it, or its last ended only just
            log::info("new signals for an open incident whose last run ended without resolving it: handing it to "
                      "the agent again",
                      {{"incident", id}});
            // "reject": if another host got there first, its run stands.
            hand_to_agent(unworked.front(), false);
        } catch (const std::exception& e) {
            log::warn("incident not handed to the agent again", {{"incident", id}, {"error", e.what()}});
        }
    }
}

void IncidentService::hand_to_agent(const store::IncidentRecord& incident, bool reopened) {
    if (settings_.agent.empty()) return;
    runs::InvokeRequest request;
    request.agent_name = settings_.agent;
    request.task = "Resolve incident " + incident.id + ": " + incident.title;
    request.context_json = evidence_json(incident.id);
    request.thread_id = incident.id;
    request.tenant = incident.tenant;
    request.options.loop_max_iterations = settings_.max_iterations;
    // The thread serialises an incident's runs: a new incident has none; a
    // reopened one may still have one ending, and the next waits for it.
    request.options.multitask_strategy = reopened ? "enqueue" : "reject";
    if (auto rejection = runs_.check(request)) {
        log::warn("incident not handed to the agent", {{"incident", incident.id}, {"reason", rejection->message}});
        return;
    }
    std::string incident_id = incident.id;
    runs_.submit(request, [this, incident_id](const store::RunRecord& run, const std::string& error) {
        if (!error.empty()) {
            log::warn("incident run not queued", {{"incident", incident_id}, {"error", error}});
            return;
        }
        log::info("incident handed to the agent", {{"incident", incident_id}, {"run", run.id}});
        follow(incident_id, run.id);
    });
}

void IncidentService::follow(const std::string& incident_id, const std::string& run_id) {
    runs_.wait_for(run_id, [this, incident_id, run_id](const store::RunRecord& run, bool) {
        if (store::run_status::is_terminal(run.status)) {
            record_outcome(incident_id, run, false);
            return;
        }
        // Paused for approval or past the wait: follow on, off this thread
        // and not in a tight loop.
        std::thread([this, alive = alive_, incident_id, run_id] {
            std::this_thread::sleep_for(std::chrono::milliseconds(500));
            if (alive->load()) follow(incident_id, run_id);
        }).detach();
    });
}

void IncidentService::record_outcome(const std::string& incident_id, const store::RunRecord& run, bool wait) {
    // Who approved what: a run may pause for several operations (a pull
    // request, then a rollout undo), each approved by someone else. The
    // trail pairs each request (its approval names the operation) with the
    // grant that follows it.
    std::string approver;
    std::map<std::string, std::string> approver_of;
    try {
        std::string requested;
        for (const auto& entry : runs_.audit_trail(run.id)) {
            if (entry.action == "approval.requested") {
                std::string ignored;
                auto approval = json::parse(entry.detail, ignored);
                requested = approval && approval->IsObject() ? json::get_string(*approval, "operation") : "";
            } else if (entry.action == "approval.granted") {
                approver = entry.actor;
                if (!requested.empty()) approver_of[requested] = entry.actor;
                requested.clear();
            }
        }
    } catch (const std::exception&) {
        // Recorded without the approver rather than not at all.
    }
    std::string error;
    auto result = run.result_json.empty() ? std::nullopt : json::parse(run.result_json, error);
    bool resolved = result && result->IsObject() && runs::result_resolved(run.result_json);
    std::vector<store::IncidentAction> actions;
    long long now = store::now_ms();
    if (result && result->IsObject()) {
        if (const rapidjson::Value* list = json::get_member(*result, "actions"); list != nullptr && list->IsArray()) {
            for (const auto& item : list->GetArray()) {
                if (!item.IsObject()) continue;
                store::IncidentAction action;
                action.incident_id = incident_id;
                action.kind = "action";
                action.detail_json = json::serialize(item);
                action.actor = run.agent;
                // Actions that changed a system waited for a person.
                const rapidjson::Value* approval = json::get_member(item, "approval");
                if (json::get_string(item, "status") == "executed" && approval != nullptr) {
                    auto by = approval->IsObject() ? approver_of.find(json::get_string(*approval, "operation"))
                                                   : approver_of.end();
                    action.approved_by = by != approver_of.end() ? by->second : approver;
                }
                action.run_id = run.id;
                action.at_ms = now;
                actions.push_back(std::move(action));
            }
        }
    }
    store::IncidentAction finished;
    finished.incident_id = incident_id;
    finished.kind = "run.finished";
    {
        // What the incident's history shows of the run: its end, and when
        // the agent gave up, that it handed the incident to a person and why.
        rapidjson::Document detail(rapidjson::kObjectType);
        auto& allocator = detail.GetAllocator();
        detail.AddMember("status", json::string_value(run.status, allocator), allocator);
        detail.AddMember("resolved", resolved, allocator);
        const bool handed_over = result && result->IsObject() && runs::result_handed_over(run.result_json);
        detail.AddMember("handed_over", handed_over, allocator);
        std::string evaluation = result && result->IsObject() ? json::get_string(*result, "evaluation") : "";
        if (!evaluation.empty()) detail.AddMember("evaluation", json::string_value(evaluation, allocator), allocator);
        finished.detail_json = json::serialize(detail);
    }
    finished.actor = run.agent;
    finished.run_id = run.id;
    finished.at_ms = now;
    actions.push_back(finished);
    std::string summary = result && result->IsObject() ? json::get_string(*result, "root_cause") : "";
    if (summary.empty() && result && result->IsObject()) summary = json::get_string(*result, "summary");
    const store::IncidentRepository& repository = store_.incidents();
    std::string actor = "agent:" + run.agent + " (run " + run.id + ")";
    std::string run_id = run.id;
    auto write = [&repository, actions, incident_id, run_id, resolved, summary, actor, now](soci::session& session) {
        // Once per run, whichever of the follower or a reader gets here first.
        int seen = 0;
        session << "SELECT COUNT(*) FROM incident_actions WHERE incident_id = :i AND run_id = :r AND kind = "
                   "'run.finished'",
            soci::use(incident_id), soci::use(run_id), soci::into(seen);
        if (seen > 0) return;
        for (const auto& action : actions) repository.add_action(session, action);
        if (resolved) repository.set_status(session, incident_id, "resolved", summary, actor, now);
    };
    if (!wait) {
        // On the commit notifier (a run's end): never block it on a commit.
        store_.writes().submit(write, [incident_id, run_id](const std::string& error) {
            if (!error.empty())
                log::warn("incident outcome not recorded", {{"incident", incident_id}, {"run", run_id}, {"error", error}});
        });
        return;
    }
    try {
        store_.writes().run(write);
    } catch (const std::exception& e) {
        log::warn("incident outcome not recorded", {{"incident", incident_id}, {"run", run_id}, {"error", e.what()}});
    }
}

}  // namespace agenthost::signals
