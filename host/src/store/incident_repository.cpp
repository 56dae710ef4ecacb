#include "store/incident_repository.hpp"

#include "store/newest_first_page.hpp"
#include "store/row_reader.hpp"
#include "util/ids.hpp"

#include <cctype>
#include <set>

namespace agenthost::store {
namespace {

const char* kIntegrationColumns = "id, tenant, kind, key, body, created_at_ms";
const char* kSignalColumns =
    "s.id, s.tenant, s.incident_id, s.kind, s.service, s.repository, s.severity, s.message, s.fingerprint, "
    "s.payload, s.received_at_ms, s.created_at_ms";
const char* kIncidentColumns =
    "id, tenant, fingerprint, title, service, repository, severity, status, source, signal_count, first_seen_ms, "
    "last_seen_ms, created_at_ms, updated_at_ms, resolved_at_ms, resolution, resolved_by, reopened";

double real_at(const soci::row& row, size_t index) {
    if (row.get_indicator(index) == soci::i_null) return 0;
    if (row.get_properties(index).get_data_type() == soci::dt_double) return row.get<double>(index);
    return static_cast<double>(integer_at(row, index));
}

SreIntegration integration_from(const soci::row& row) {
    SreIntegration item;
    item.id = text_at(row, 0);
    item.tenant = text_at(row, 1);
    item.kind = text_at(row, 2);
    item.key = text_at(row, 3);
    item.body_json = text_at(row, 4);
    item.created_at_ms = integer_at(row, 5);
    return item;
}

SignalRecord signal_from(const soci::row& row) {
    SignalRecord signal;
    signal.id = text_at(row, 0);
    signal.tenant = text_at(row, 1);
    signal.incident_id = text_at(row, 2);
    signal.kind = text_at(row, 3);
    signal.service = text_at(row, 4);
    signal.repository = text_at(row, 5);
    signal.severity = text_at(row, 6);
    signal.message = text_at(row, 7);
    signal.fingerprint = text_at(row, 8);
    signal.payload_json = text_at(row, 9);
    signal.received_at_ms = integer_at(row, 10);
    signal.created_at_ms = integer_at(row, 11);
    return signal;
}

IncidentRecord incident_from(const soci::row& row) {
    IncidentRecord incident;
    incident.id = text_at(row, 0);
    incident.tenant = text_at(row, 1);
    incident.fingerprint = text_at(row, 2);
    incident.title = text_at(row, 3);
    incident.service = text_at(row, 4);
    incident.repository = text_at(row, 5);
    incident.severity = text_at(row, 6);
    incident.status = text_at(row, 7);
    incident.source = text_at(row, 8);
    incident.signal_count = integer_at(row, 9);
    incident.first_seen_ms = integer_at(row, 10);
    incident.last_seen_ms = integer_at(row, 11);
    incident.created_at_ms = integer_at(row, 12);
    incident.updated_at_ms = integer_at(row, 13);
    incident.resolved_at_ms = integer_at(row, 14);
    incident.resolution = text_at(row, 15);
    incident.resolved_by = text_at(row, 16);
    incident.reopened = integer_at(row, 17);
    return incident;
}

int severity_rank(const std::string& severity) {
    if (severity == "critical") return 3;
    if (severity == "error") return 2;
    if (severity == "warning") return 1;
    return 0;
}

}  // namespace

std::vector<std::string> search_terms(const std::string& text) {
    std::vector<std::string> terms;
    std::set<std::string> seen;
    std::string word;
    auto flush = [&] {
        if (word.size() >= 2 && terms.size() < 32 && seen.insert(word).second) terms.push_back(word);
        word.clear();
    };
    for (char c : text) {
        unsigned char u = static_cast<unsigned char>(c);
        if (std::isalnum(u) != 0 && u < 128) word += static_cast<char>(std::tolower(u));
        else flush();
        if (word.size() > 64) word.clear();  // not a word anyone searches for
    }
    flush();
    return terms;
}

bool IncidentRepository::insert_integration(soci::session& session, const SreIntegration& item) const {
    int taken = 0;
    session << "SELECT COUNT(*) FROM sre_integrations WHERE tenant = :t AND kind = :k AND key = :key",
        soci::use(item.tenant), soci::use(item.kind), soci::use(item.key), soci::into(taken);
    if (taken > 0) return false;
    session << "INSERT INTO sre_integrations (id, tenant, kind, key, body, created_at_ms) "
               "VALUES (:id, :t, :k, :key, :b, :c)",
        soci::use(item.id), soci::use(item.tenant), soci::use(item.kind), soci::use(item.key),
        soci::use(item.body_json), soci::use(item.created_at_ms);
    return true;
}

std::vector<SreIntegration> IncidentRepository::integrations(soci::session& session, const std::string& kind,
                                                             const std::string* tenant) const {
    std::vector<SreIntegration> items;
    std::string sql = std::string("SELECT ") + kIntegrationColumns + " FROM sre_integrations WHERE kind = :k";
    std::string tenant_value = tenant ? *tenant : "";
    if (tenant) sql += " AND tenant = :t";
    sql += " ORDER BY created_at_ms DESC, id DESC";
    soci::statement statement(session);
    statement.alloc();
    statement.prepare(sql);
    statement.exchange(soci::use(kind));
    if (tenant) statement.exchange(soci::use(tenant_value));
    soci::row row;
    statement.exchange(soci::into(row));
    statement.define_and_bind();
    if (statement.execute(true)) {
        do {
            items.push_back(integration_from(row));
        } while (statement.fetch());
    }
    return items;
}

std::optional<SreIntegration> IncidentRepository::find_integration(soci::session& session, const std::string& kind,
                                                                   const std::string& id) const {
    soci::rowset<soci::row> rows = (session.prepare << std::string("SELECT ") + kIntegrationColumns +
                                                           " FROM sre_integrations WHERE kind = :k AND id = :id",
                                    soci::use(kind), soci::use(id));
    for (const soci::row& row : rows) return integration_from(row);
    return std::nullopt;
}

bool IncidentRepository::remove_integration(soci::session& session, const std::string& kind,
                                            const std::string& id) const {
    soci::statement remove =
        (session.prepare << "DELETE FROM sre_integrations WHERE kind = :k AND id = :id", soci::use(kind), soci::use(id));
    remove.execute(true);
    return remove.get_affected_rows() == 1;
}

void IncidentRepository::insert_signal(soci::session& session, const SignalRecord& signal) const {
    soci::indicator incident = signal.incident_id.empty() ? soci::i_null : soci::i_ok;
    std::string body = signal.service + " " + signal.message;
    if (dialect_ == Dialect::postgresql) {
        session << "INSERT INTO signals (id, tenant, incident_id, kind, service, repository, severity, message, "
                   "fingerprint, payload, received_at_ms, created_at_ms, search) VALUES (:id, :t, :i, :k, :s, :r, "
                   ":sev, :m, :f, :p, :ra, :c, to_tsvector('english', :body))",
            soci::use(signal.id), soci::use(signal.tenant), soci::use(signal.incident_id, incident),
            soci::use(signal.kind), soci::use(signal.service), soci::use(signal.repository),
            soci::use(signal.severity), soci::use(signal.message), soci::use(signal.fingerprint),
            soci::use(signal.payload_json), soci::use(signal.received_at_ms), soci::use(signal.created_at_ms),
            soci::use(body);
        return;
    }
    session << "INSERT INTO signals (id, tenant, incident_id, kind, service, repository, severity, message, "
               "fingerprint, payload, received_at_ms, created_at_ms) VALUES (:id, :t, :i, :k, :s, :r, :sev, :m, :f, "
               ":p, :ra, :c)",
        soci::use(signal.id), soci::use(signal.tenant), soci::use(signal.incident_id, incident), soci::use(signal.kind),
        soci::use(signal.service), soci::use(signal.repository), soci::use(signal.severity), soci::use(signal.message),
        soci::use(signal.fingerprint), soci::use(signal.payload_json), soci::use(signal.received_at_ms),
        soci::use(signal.created_at_ms);
    session << "INSERT INTO signals_fts (body, signal_id, tenant) VALUES (:b, :id, :t)", soci::use(body),
        soci::use(signal.id), soci::use(signal.tenant);
}

void IncidentRepository::insert_incident(soci::session& session, const IncidentRecord& incident) const {
    session << "INSERT INTO incidents (id, tenant, fingerprint, title, service, repository, severity, status, source, "
               "signal_count, first_seen_ms, last_seen_ms, created_at_ms, updated_at_ms, reopened) VALUES (:id, :t, "
               ":f, :ti, :s, :r, :sev, :st, :src, :n, :fs, :ls, :c, :u, 0)",
        soci::use(incident.id), soci::use(incident.tenant), soci::use(incident.fingerprint), soci::use(incident.title),
        soci::use(incident.service), soci::use(incident.repository), soci::use(incident.severity),
        soci::use(incident.status), soci::use(incident.source), soci::use(incident.signal_count),
        soci::use(incident.first_seen_ms), soci::use(incident.last_seen_ms), soci::use(incident.created_at_ms),
        soci::use(incident.updated_at_ms);
}

IngestOutcome IncidentRepository::ingest(soci::session& session, SignalRecord signal, const std::string& title,
                                         long long window_ms, long long sample_cap) const {
    IngestOutcome outcome;
    outcome.signal_id = signal.id;
    if (signal.fingerprint.empty()) {
        insert_signal(session, signal);
        outcome.stored = true;
        return outcome;
    }
    // Hosts sharing one PostgreSQL database group the same fingerprint in
    // turn (SQLite has one writer already): without it two hosts could each
    // open an incident for the same storm.
    if (dialect_ == Dialect::postgresql) {
        // FNV-1a: the same key on every host, whatever its standard library.
        unsigned long long hash = 1469598103934665603ull;
        for (char c : signal.tenant + "\n" + signal.fingerprint) {
            hash ^= static_cast<unsigned char>(c);
            hash *= 1099511628211ull;
        }
        long long key = static_cast<long long>(hash);
        std::string ignored;
        session << "SELECT CAST(pg_advisory_xact_lock(:k) AS TEXT)", soci::use(key), soci::into(ignored);
    }
    long long since = signal.received_at_ms - window_ms;
    std::string found_id;
    long long count = 0;
    std::string severity;
    soci::indicator found = soci::i_null;
    session << "SELECT id, signal_count, severity FROM incidents WHERE tenant = :t AND fingerprint = :f AND status = "
               "'open' AND last_seen_ms >= :since ORDER BY last_seen_ms DESC LIMIT 1",
        soci::use(signal.tenant), soci::use(signal.fingerprint), soci::use(since), soci::into(found_id, found),
        soci::into(count), soci::into(severity);
    if (found == soci::i_ok && !found_id.empty()) {
        // The stronger severity wins: a storm that turns critical says so.
        std::string worst = severity_rank(signal.severity) > severity_rank(severity) ? signal.severity : severity;
        session << "UPDATE incidents SET signal_count = signal_count + 1, last_seen_ms = CASE WHEN last_seen_ms > :r "
                   "THEN last_seen_ms ELSE :r2 END, updated_at_ms = :u, severity = :sev WHERE id = :id",
            soci::use(signal.received_at_ms), soci::use(signal.received_at_ms), soci::use(signal.created_at_ms),
            soci::use(worst), soci::use(found_id);
        outcome.incident_id = found_id;
        outcome.signal_count = count + 1;
        signal.incident_id = found_id;
        if (count < sample_cap) {
            insert_signal(session, signal);
            outcome.stored = true;
        }
        return outcome;
    }
    IncidentRecord incident;
    incident.id = "inc_" + new_time_ordered_uuid();
    incident.tenant = signal.tenant;
    incident.fingerprint = signal.fingerprint;
    incident.title = title;
    incident.service = signal.service;
    incident.repository = signal.repository;
    incident.severity = signal.severity;
    incident.status = "open";
    incident.source = signal.kind;
    incident.signal_count = 1;
    incident.first_seen_ms = signal.received_at_ms;
    incident.last_seen_ms = signal.received_at_ms;
    incident.created_at_ms = signal.created_at_ms;
    incident.updated_at_ms = signal.created_at_ms;
    insert_incident(session, incident);
    signal.incident_id = incident.id;
    insert_signal(session, signal);
    outcome.incident_id = incident.id;
    outcome.created = true;
    outcome.stored = true;
    outcome.signal_count = 1;
    return outcome;
}

std::optional<IncidentRecord> IncidentRepository::find_incident(soci::session& session, const std::string& id) const {
    soci::rowset<soci::row> rows =
        (session.prepare << std::string("SELECT ") + kIncidentColumns + " FROM incidents WHERE id = :id", soci::use(id));
    for (const soci::row& row : rows) return incident_from(row);
    return std::nullopt;
}

std::vector<IncidentRecord> IncidentRepository::open_unworked(soci::session& session, size_t limit,
                                                             long long ended_before_ms, const std::string& only_id) const {
    const int wanted = static_cast<int>(limit);
    // A run not finished (queued, running, waiting for approval) works on
    // the incident; so, for the cool-down, does one that ended recently.
    std::string sql = std::string("SELECT ") + kIncidentColumns +
                      " FROM incidents i WHERE i.status = 'open'" + (only_id.empty() ? "" : " AND i.id = :id") +
                      " AND NOT EXISTS (SELECT 1 FROM runs r WHERE r.thread_id = i.id AND "
                      "(r.finished_at_ms IS NULL OR r.finished_at_ms >= :cut)) ORDER BY i.created_at_ms LIMIT :n";
    std::vector<IncidentRecord> out;
    auto collect = [&](soci::rowset<soci::row>& rows) {
        for (const soci::row& row : rows) out.push_back(incident_from(row));
    };
    if (only_id.empty()) {
        soci::rowset<soci::row> rows = (session.prepare << sql, soci::use(ended_before_ms), soci::use(wanted));
        collect(rows);
    } else {
        soci::rowset<soci::row> rows =
            (session.prepare << sql, soci::use(only_id), soci::use(ended_before_ms), soci::use(wanted));
        collect(rows);
    }
    return out;
}

IncidentPage IncidentRepository::incidents(soci::session& session, const IncidentFilter& filter) const {
    std::string sql = std::string("SELECT ") + kIncidentColumns + " FROM incidents WHERE 1 = 1";
    if (filter.by_tenant) sql += " AND tenant = :t";
    if (!filter.status.empty()) sql += " AND status = :st";
    if (!filter.repository.empty()) sql += " AND repository = :r";
    if (!filter.severity.empty()) sql += " AND severity = :sev";
    NewestFirstPage page(filter.cursor, filter.limit);
    sql += page.sql_tail();
    soci::statement statement(session);
    statement.alloc();
    statement.prepare(sql);
    if (filter.by_tenant) statement.exchange(soci::use(filter.tenant));
    if (!filter.status.empty()) statement.exchange(soci::use(filter.status));
    if (!filter.repository.empty()) statement.exchange(soci::use(filter.repository));
    if (!filter.severity.empty()) statement.exchange(soci::use(filter.severity));
    IncidentPage answer;
    answer.incidents = page.fetch<IncidentRecord>(statement, incident_from, answer.next_cursor);
    return answer;
}

std::vector<SignalRecord> IncidentRepository::signals_of(soci::session& session, const std::string& incident_id,
                                                         size_t limit) const {
    std::vector<SignalRecord> signals;
    long long n = static_cast<long long>(limit);
    soci::rowset<soci::row> rows = (session.prepare << std::string("SELECT ") + kSignalColumns +
                                                           " FROM signals s WHERE s.incident_id = :i ORDER BY "
                                                           "s.received_at_ms DESC, s.id DESC LIMIT :n",
                                    soci::use(incident_id), soci::use(n));
    for (const soci::row& row : rows) signals.push_back(signal_from(row));
    return signals;
}

std::vector<SignalRecord> IncidentRepository::recent_signals(soci::session& session, const std::string& tenant,
                                                             long long since_ms, size_t limit) const {
    std::vector<SignalRecord> signals;
    long long n = static_cast<long long>(limit);
    soci::rowset<soci::row> rows = (session.prepare << std::string("SELECT ") + kSignalColumns +
                                                           " FROM signals s WHERE s.tenant = :t AND s.received_at_ms "
                                                           ">= :since ORDER BY s.received_at_ms DESC, s.id DESC LIMIT :n",
                                    soci::use(tenant), soci::use(since_ms), soci::use(n));
    for (const soci::row& row : rows) signals.push_back(signal_from(row));
    return signals;
}

std::vector<SignalRecord> IncidentRepository::search(soci::session& session, const std::string& tenant,
                                                     const std::string& query, size_t limit) const {
    std::vector<SignalRecord> found;
    std::vector<std::string> terms = search_terms(query);
    if (terms.empty()) return found;
    long long n = static_cast<long long>(limit);
    std::string match;
    std::string sql;
    if (dialect_ == Dialect::postgresql) {
        // Any term matches (|): evidence shares some words with the incident,
        // rarely all of them; ts_rank orders by how many and how often.
        for (const auto& term : terms) match += (match.empty() ? "" : " | ") + term;
        sql = std::string("SELECT ") + kSignalColumns +
              ", ts_rank(s.search, q) AS score FROM signals s, to_tsquery('english', :q) q WHERE s.tenant = :t AND "
              "s.search @@ q ORDER BY score DESC, s.received_at_ms DESC LIMIT :n";
    } else {
        // Each term quoted: FTS5 query syntax never comes from the text.
        for (const auto& term : terms) match += (match.empty() ? "\"" : " OR \"") + term + "\"";
        sql = std::string("SELECT ") + kSignalColumns +
              ", -bm25(signals_fts) AS score FROM signals_fts JOIN signals s ON s.id = signals_fts.signal_id WHERE "
              "signals_fts MATCH :q AND signals_fts.tenant = :t ORDER BY bm25(signals_fts), s.received_at_ms DESC "
              "LIMIT :n";
    }
    soci::rowset<soci::row> rows = (session.prepare << sql, soci::use(match), soci::use(tenant), soci::use(n));
    for (const soci::row& row : rows) {
        SignalRecord signal = signal_from(row);
        signal.score = real_at(row, 12);
        found.push_back(std::move(signal));
    }
    return found;
}

bool IncidentRepository::set_status(soci::session& session, const std::string& id, const std::string& status,
                                    const std::string& resolution, const std::string& actor, long long now_ms) const {
    if (status == "resolved") {
        soci::statement update =
            (session.prepare << "UPDATE incidents SET status = 'resolved', resolved_at_ms = :t, resolution = :r, "
                                "resolved_by = :a, updated_at_ms = :u WHERE id = :id AND status <> 'resolved'",
             soci::use(now_ms), soci::use(resolution), soci::use(actor), soci::use(now_ms), soci::use(id));
        update.execute(true);
        return update.get_affected_rows() == 1;
    }
    soci::statement update =
        (session.prepare << "UPDATE incidents SET status = 'open', resolved_at_ms = NULL, resolution = NULL, "
                            "resolved_by = NULL, reopened = reopened + 1, updated_at_ms = :u, last_seen_ms = :l "
                            "WHERE id = :id AND status = 'resolved'",
         soci::use(now_ms), soci::use(now_ms), soci::use(id));
    update.execute(true);
    return update.get_affected_rows() == 1;
}

void IncidentRepository::add_action(soci::session& session, IncidentAction action) const {
    long long last = 0;
    soci::indicator present = soci::i_null;
    session << "SELECT MAX(seq) FROM incident_actions WHERE incident_id = :i", soci::use(action.incident_id),
        soci::into(last, present);
    action.seq = (present == soci::i_ok ? last : 0) + 1;
    soci::indicator run = action.run_id.empty() ? soci::i_null : soci::i_ok;
    soci::indicator approver = action.approved_by.empty() ? soci::i_null : soci::i_ok;
    session << "INSERT INTO incident_actions (incident_id, seq, kind, detail, actor, approved_by, run_id, at_ms) "
               "VALUES (:i, :s, :k, :d, :a, :ap, :r, :t)",
        soci::use(action.incident_id), soci::use(action.seq), soci::use(action.kind), soci::use(action.detail_json),
        soci::use(action.actor), soci::use(action.approved_by, approver), soci::use(action.run_id, run),
        soci::use(action.at_ms);
}

std::vector<IncidentAction> IncidentRepository::actions(soci::session& session, const std::string& incident_id) const {
    std::vector<IncidentAction> actions;
    soci::rowset<soci::row> rows =
        (session.prepare << "SELECT incident_id, seq, kind, detail, actor, approved_by, run_id, at_ms FROM "
                            "incident_actions WHERE incident_id = :i ORDER BY seq",
         soci::use(incident_id));
    for (const soci::row& row : rows) {
        IncidentAction action;
        action.incident_id = text_at(row, 0);
        action.seq = integer_at(row, 1);
        action.kind = text_at(row, 2);
        action.detail_json = text_at(row, 3);
        action.actor = text_at(row, 4);
        action.approved_by = text_at(row, 5);
        action.run_id = text_at(row, 6);
        action.at_ms = integer_at(row, 7);
        actions.push_back(std::move(action));
    }
    return actions;
}

}  // namespace agenthost::store
