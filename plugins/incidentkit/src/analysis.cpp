// From log events to an explanation: templates and their statistics, the
// first error and the largest burst of errors, the changes just before it,
// and hypotheses ranked by how specific, how early, how new and how loud
// their evidence is.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <numeric>

#include <devkit/text.hpp>

#include "causes.hpp"
#include "incident.hpp"

namespace incident {
namespace {

constexpr double kBurstGapSeconds = 120;      // errors further apart start a new burst
constexpr double kChangeLookbackSeconds = 3600;  // changes this long before the burst are suspects


bool is_error(Level level) { return level >= Level::error; }

std::string line_ref(const LogEvent& event) { return "L" + std::to_string(event.line) + ": " + event.raw; }

// Per template: what happened before the incident and during it.
struct TemplateStats {
    std::size_t before = 0, during = 0;
    double first_during = NAN;
    std::size_t first_during_index = 0;
    double score = 0;
    const CauseKind* kind = nullptr;
    std::string reasoning;
};

Burst find_burst(const std::vector<LogEvent>& events, const std::vector<std::size_t>& errors) {
    Burst best;
    if (errors.empty()) return best;
    std::vector<std::size_t> timed;
    for (std::size_t i : errors)
        if (!std::isnan(events[i].time)) timed.push_back(i);
    if (timed.empty()) {  // no times: every error is one burst, in line order
        best.errors = errors.size();
        best.first_line = events[errors.front()].line;
        return best;
    }
    std::sort(timed.begin(), timed.end(), [&events](std::size_t a, std::size_t b) {
        return events[a].time < events[b].time || (events[a].time == events[b].time && a < b);
    });
    std::size_t start = 0;
    for (std::size_t i = 1; i <= timed.size(); ++i) {
        if (i < timed.size() && events[timed[i]].time - events[timed[i - 1]].time <= kBurstGapSeconds) continue;
        if (i - start > best.errors) {
            best.errors = i - start;
            best.start = events[timed[start]].time;
            best.end = events[timed[i - 1]].time;
            best.first_line = events[timed[start]].line;
            // The densest minute inside it (two pointers).
            std::size_t left = start;
            double peak = 0;
            for (std::size_t right = start; right < i; ++right) {
                while (events[timed[right]].time - events[timed[left]].time >= 60) ++left;
                peak = std::max(peak, static_cast<double>(right - left + 1));
            }
            best.peak_per_minute = peak;
        }
        start = i;
    }
    return best;
}

}  // namespace

std::string score_text(double value) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%.2f", value);
    return buffer;
}

Analysis analyse(const Input& input) {
    Analysis analysis;
    const auto& events = input.events;
    analysis.lines = events.size();

    // Templates.
    Drain drain;
    std::vector<std::size_t> cluster_of(events.size());
    for (std::size_t i = 0; i < events.size(); ++i)
        cluster_of[i] = drain.add(events[i].message.empty() ? events[i].raw : events[i].message,
                                  is_error(events[i].level) ? 2 : events[i].level == Level::warn ? 1 : 0);
    std::vector<Cluster> clusters = std::move(drain.clusters());
    std::vector<std::size_t> errors;
    for (std::size_t i = 0; i < events.size(); ++i) {
        Cluster& cluster = clusters[cluster_of[i]];
        const LogEvent& event = events[i];
        cluster.members.push_back(i);
        cluster.worst = std::max(cluster.worst, event.level);
        if (is_error(event.level)) {
            ++cluster.errors;
            errors.push_back(i);
        }
        if (cluster.first_line == 0) cluster.first_line = event.line;
        cluster.last_line = event.line;
        if (!std::isnan(event.time)) {
            if (std::isnan(cluster.first_seen) || event.time < cluster.first_seen) cluster.first_seen = event.time;
            if (std::isnan(cluster.last_seen) || event.time > cluster.last_seen) cluster.last_seen = event.time;
        }
    }

    // The first error and the burst.
    for (std::size_t i : errors) {
        const LogEvent& event = events[i];
        if (!analysis.first_error ||
            (!std::isnan(event.time) && (std::isnan(analysis.first_error->time) || event.time < analysis.first_error->time)))
            analysis.first_error = event;
    }
    analysis.burst = find_burst(events, errors);
    const Burst& burst = analysis.burst;
    const bool timed = !std::isnan(burst.start);
    double log_start = INFINITY;
    for (const auto& event : events)
        if (!std::isnan(event.time)) log_start = std::min(log_start, event.time);

    // Before and during the incident, per template.
    const double incident_start = timed ? burst.start : NAN;
    const double incident_end = timed ? burst.end : NAN;
    std::vector<TemplateStats> stats(clusters.size());
    const std::size_t first_burst_line = burst.first_line;
    for (std::size_t i = 0; i < events.size(); ++i) {
        TemplateStats& s = stats[cluster_of[i]];
        const LogEvent& event = events[i];
        bool before, during;
        if (timed && !std::isnan(event.time)) {
            before = event.time < incident_start;
            during = !before && event.time <= incident_end + 60;
        } else {
            before = event.line < first_burst_line;
            during = !before;
        }
        if (before) ++s.before;
        if (during) {
            ++s.during;
            if (std::isnan(s.first_during) || event.time < s.first_during) {
                s.first_during = event.time;
                s.first_during_index = i;
            }
            if (s.during == 1) s.first_during_index = i;
        }
    }
    const double before_minutes = timed && std::isfinite(log_start) ? std::max(1.0, (incident_start - log_start) / 60) : 1;
    const double during_minutes = timed ? std::max(1.0, (incident_end - incident_start) / 60 + 1) : 1;
    std::size_t loudest = 1;
    for (std::size_t c = 0; c < clusters.size(); ++c)
        if (clusters[c].worst >= Level::warn) loudest = std::max(loudest, stats[c].during);

    // Each warning or error template as evidence for a kind of cause.
    std::map<std::string, std::vector<std::size_t>> by_kind;
    for (std::size_t c = 0; c < clusters.size(); ++c) {
        const Cluster& cluster = clusters[c];
        TemplateStats& s = stats[c];
        if (cluster.worst < Level::warn || s.during == 0) continue;
        const LogEvent& sample = events[s.first_during_index];
        s.kind = &classify(devkit::lower(sample.message.empty() ? sample.raw : sample.message), is_error(cluster.worst));
        const double severity = is_error(cluster.worst) ? 1.0 : 0.5;
        const double minutes_late = timed && !std::isnan(s.first_during) ? (s.first_during - incident_start) / 60 : 0;
        const double onset = 1.0 / (1.0 + std::max(0.0, minutes_late));
        const double rate_before = static_cast<double>(s.before) / before_minutes;
        const double rate_during = static_cast<double>(s.during) / during_minutes;
        const double novelty = rate_during > 0 ? std::max(0.0, 1.0 - rate_before / rate_during) : 0;
        const double volume = std::log1p(static_cast<double>(s.during)) / std::log1p(static_cast<double>(loudest));
        s.score = s.kind->specificity * severity * (0.4 * onset + 0.35 * novelty + 0.25 * volume);
        s.reasoning = "specificity " + score_text(s.kind->specificity) + ", " + level_name(cluster.worst) +
                      ", onset " + score_text(onset) + " (first at " + format_time(s.first_during) + "), novelty " +
                      score_text(novelty) + " (" + std::to_string(s.before) + " before the burst, " +
                      std::to_string(s.during) + " during), volume " + score_text(volume);
        by_kind[s.kind->id].push_back(c);
    }
    for (auto& [id, members] : by_kind) {
        std::sort(members.begin(), members.end(), [&stats](std::size_t a, std::size_t b) { return stats[a].score > stats[b].score; });
        const CauseKind& kind = cause_kind(id);
        Hypothesis h;
        h.cause = id;
        const std::size_t best = members.front();
        const LogEvent& first = events[stats[best].first_during_index];
        h.service = first.service;
        h.title = kind.title + (first.service.empty() ? "" : " in " + first.service) + ": " +
                  clusters[best].template_text();
        h.score = stats[best].score;
        h.reasoning = stats[best].reasoning;
        for (std::size_t i = 0; i < members.size() && i < 3; ++i) {
            const std::size_t c = members[i];
            h.evidence.push_back("template \"" + clusters[c].template_text() + "\": " + std::to_string(clusters[c].count) +
                                 " lines (" + std::to_string(stats[c].during) + " during the burst), first " +
                                 format_time(clusters[c].first_seen) + ", last " + format_time(clusters[c].last_seen));
            h.evidence.push_back(line_ref(events[stats[c].first_during_index]));
        }
        h.remediation = kind.remediation;
        h.action = kind.action;
        analysis.hypotheses.push_back(h);
    }

    // Changes shortly before the burst.
    if (timed) {
        std::size_t burst_errors = 0;
        for (std::size_t i : errors)
            if (!std::isnan(events[i].time) && events[i].time >= incident_start && events[i].time <= incident_end)
                ++burst_errors;
        for (const auto& change : input.changes) {
            const double lead = incident_start - change.time;
            if (lead < -300 || lead > kChangeLookbackSeconds) continue;
            analysis.correlated_changes.push_back(change);
            // Errors of templates never seen before the change.
            std::size_t after_change = 0;
            const LogEvent* first_new = nullptr;
            bool same_service = false;
            for (std::size_t i : errors) {
                const LogEvent& event = events[i];
                if (std::isnan(event.time) || event.time < incident_start || event.time > incident_end) continue;
                const Cluster& cluster = clusters[cluster_of[i]];
                if (!std::isnan(cluster.first_seen) && cluster.first_seen >= change.time) {
                    ++after_change;
                    if (first_new == nullptr || event.time < first_new->time) first_new = &event;
                }
                if (!change.service.empty() &&
                    (event.service == change.service || event.raw.find(change.service) != std::string::npos))
                    same_service = true;
            }
            const double proximity = lead < 0 ? 0.5 : lead <= 900 ? 1.0 : 1.0 - 0.8 * (lead - 900) / (kChangeLookbackSeconds - 900);
            const double service_factor = change.service.empty() ? 0.6 : same_service ? 1.0 : 0.4;
            const double new_share = burst_errors > 0 ? static_cast<double>(after_change) / burst_errors : 0;
            Hypothesis h;
            h.cause = "bad_change";
            h.service = change.service;
            h.version = change.version;
            h.title = "The " + change.type + (change.service.empty() ? "" : " of " + change.service) +
                      (change.version.empty() ? "" : " " + change.version) + " at " + format_time(change.time) +
                      " introduced the errors";
            h.score = cause_kind("bad_change").specificity * proximity * service_factor * new_share;
            h.reasoning = "the burst began " + std::to_string(static_cast<long long>(lead)) + " s after it (proximity " +
                          score_text(proximity) + "), " + (same_service ? "the failing lines are its service's" : "service match " + score_text(service_factor)) +
                          ", " + score_text(new_share * 100) + "% of the burst's errors belong to templates first seen after it";
            h.evidence.push_back("change at " + format_time(change.time) + ": " + change.description);
            if (first_new != nullptr) h.evidence.push_back("first new error " +
                                                           std::to_string(static_cast<long long>(first_new->time - change.time)) +
                                                           " s later: " + line_ref(*first_new));
            const CauseKind& kind = cause_kind("bad_change");
            if (!change.service.empty())
                h.remediation.push_back("Roll back " + change.service +
                                        (change.version.empty() ? "" : " to the release before " + change.version));
            h.remediation.insert(h.remediation.end(), kind.remediation.begin() + (change.service.empty() ? 0 : 1),
                                 kind.remediation.end());
            h.action = kind.action;
            analysis.hypotheses.push_back(h);
        }
    }
    std::stable_sort(analysis.hypotheses.begin(), analysis.hypotheses.end(),
                     [](const Hypothesis& a, const Hypothesis& b) { return a.score > b.score; });

    // Timeline.
    auto add = [&analysis](double time, const char* kind, std::string text) {
        analysis.timeline.push_back({time, kind, std::move(text)});
    };
    for (const auto& change : analysis.correlated_changes) add(change.time, "change", change.description);
    if (analysis.first_error) add(analysis.first_error->time, "first_error", line_ref(*analysis.first_error));
    if (timed) {
        add(burst.start, "burst_start", std::to_string(burst.errors) + " errors until " + format_time(burst.end) +
                                            ", peak " + std::to_string(static_cast<long long>(burst.peak_per_minute)) + " a minute");
        add(burst.end, "burst_end", "last error of the burst");
    }
    for (std::size_t c = 0; c < clusters.size(); ++c)
        if (stats[c].kind != nullptr && stats[c].before == 0 && !std::isnan(clusters[c].first_seen))
            add(clusters[c].first_seen, "new_template", level_name(clusters[c].worst) + " \"" + clusters[c].template_text() +
                                                            "\" first seen (" + std::to_string(clusters[c].count) + " lines)");
    for (const auto& point : input.metrics) add(point.time, "metric", point.name + " = " + score_text(point.value));
    std::stable_sort(analysis.timeline.begin(), analysis.timeline.end(),
                     [](const TimelineEntry& a, const TimelineEntry& b) { return a.time < b.time; });

    std::sort(clusters.begin(), clusters.end(), [](const Cluster& a, const Cluster& b) { return a.count > b.count; });
    analysis.clusters = std::move(clusters);

    analysis.summary = std::to_string(analysis.lines) + " lines in " + std::to_string(analysis.clusters.size()) +
                       " templates; ";
    if (!analysis.first_error) {
        analysis.summary += "no error lines.";
    } else {
        analysis.summary += std::to_string(errors.size()) + " errors, the first at " +
                            format_time(analysis.first_error->time) + " (line " + std::to_string(analysis.first_error->line) +
                            "); the largest burst: " + std::to_string(burst.errors) + " errors" +
                            (timed ? " from " + format_time(burst.start) + " to " + format_time(burst.end) : "") + ".";
    }
    if (!analysis.hypotheses.empty())
        analysis.summary += " Most likely cause: " + analysis.hypotheses.front().title + " (score " +
                            score_text(analysis.hypotheses.front().score) + ").";
    return analysis;
}

}  // namespace incident
