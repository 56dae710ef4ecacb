// What a metric is for, read from its name and labels: request counters
// and which of their samples are failures, latency histograms, and the
// capacity gauge that bounds a usage gauge. Shared by both analyses.
#ifndef MONITORING_AGENT_METRIC_ROLES_HPP
#define MONITORING_AGENT_METRIC_ROLES_HPP

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "monitoring.hpp"

namespace monitoring {

// Whether a sample with these labels counts failures: the spec's error
// label and regex, then code/status/outcome labels holding 5xx or error words.
bool is_failure(const ServiceSpec& spec, const std::map<std::string, std::string>& labels);
// Whether the family's samples carry an outcome label at all.
bool has_outcome_label(const ServiceSpec& spec, const std::map<std::string, std::string>& labels);

// A counter of requests, jobs or queries (…_total with an outcome label).
bool is_request_counter(const ServiceSpec& spec, const std::string& family);
// A metric whose name says it measures time.
bool is_latency_name(const std::string& name);
// A histogram of durations (…_bucket of a latency-like name).
bool is_latency_histogram(const ServiceSpec& spec, const std::string& bucket_family);

// The family among `families` that holds the limit of usage gauge `used`
// (process_open_fds -> process_max_fds, pool_active -> pool_max), or "".
std::string limit_family(const ServiceSpec& spec, const std::string& used, const std::set<std::string>& families);

// Prometheus' histogram_quantile on cumulative (le, count) buckets sorted
// by le, the last one +Inf: linear inside the bucket holding the rank.
double bucket_quantile(double q, const std::vector<std::pair<double, double>>& buckets);

// Orders anomalies most severe first and writes the summary; `what` names
// what was analysed ("120 samples").
void rank_anomalies(Analysis& analysis, const std::string& what);

// "12.5%" / "0.734s" / "2026-12-06T17:30:00Z": how values read in evidence.
std::string percent(double ratio);
std::string seconds(double value);
std::string timestamp(double unix_seconds);

}  // namespace monitoring

#endif  // MONITORING_AGENT_METRIC_ROLES_HPP
