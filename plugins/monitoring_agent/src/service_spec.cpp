// Reading the service description: context first, then the task's words,
// then the kind's conventional metric names.
#include <algorithm>
#include <cctype>
#include <regex>
#include <string>

#include <devkit/text.hpp>
#include <devkit/task_names.hpp>

#include "monitoring.hpp"

namespace monitoring {
namespace {

using devkit::field;
using devkit::number_field;
using devkit::string_field;

const std::regex job_name("^[a-z][a-z0-9_-]{0,62}$");
const std::regex metric_name("^[a-zA-Z_:][a-zA-Z0-9_:]*$");
const std::regex label_name("^[a-zA-Z_][a-zA-Z0-9_]*$");


// The metric names client libraries and exporters use for each kind.
MetricNames conventional_metrics(Kind kind) {
    switch (kind) {
        case Kind::worker:
            return {"worker_jobs_total", "status", "failed|error", "worker_job_duration_seconds", "worker_busy_workers",
                    "worker_max_workers"};
        case Kind::database:
            return {"database_queries_total", "status", "error", "database_query_duration_seconds",
                    "pg_stat_activity_count", "pg_settings_max_connections"};
        case Kind::http:
        default:
            return {"http_requests_total", "code", "5..", "http_request_duration_seconds", "process_open_fds",
                    "process_max_fds"};
    }
}

Kind kind_from(const std::string& text, const std::string& path) {
    if (text == "http" || text == "http_api" || text == "api") return Kind::http;
    if (text == "worker") return Kind::worker;
    if (text == "database") return Kind::database;
    throw InputError(path + " must be http, worker or database, not '" + text + "'");
}

void read_task(std::string_view task, ServiceSpec& spec, bool& named, bool& kind_given, bool& slo_given,
               bool& latency_given) {
    const std::string text = devkit::lower(task);
    std::smatch match;
    if (auto found = devkit::service_name_from_task(task); !named && found) {
        spec.service = *found;
        named = true;
    }
    if (!kind_given) {
        if (std::regex_search(text, std::regex("\\b(worker|queue|jobs?|consumer)\\b"))) spec.kind = Kind::worker;
        if (std::regex_search(text, std::regex("\\b(database|postgres(ql)?|mysql|db)\\b"))) spec.kind = Kind::database;
    }
    static const std::regex availability_words("\\b(9[0-9](?:\\.[0-9]+)?)\\s*%");
    if (!slo_given && std::regex_search(text, match, availability_words)) {
        spec.availability = std::stod(match[1]);
        slo_given = true;
    }
    static const std::regex latency_words("p99[^0-9]{0,30}([0-9]+(?:\\.[0-9]+)?)\\s*(ms|s)\\b");
    if (!latency_given && std::regex_search(text, match, latency_words)) {
        spec.latency_p99_seconds = std::stod(match[1]) / (match[2] == "ms" ? 1000.0 : 1.0);
        latency_given = true;
    }
}

void read_metrics(const rapidjson::Value& context, ServiceSpec& spec) {
    const rapidjson::Value* metrics = field(context, "metrics");
    if (metrics == nullptr) return;
    if (!metrics->IsObject()) throw InputError("context.metrics must be an object");
    struct Field {
        const char* name;
        std::string* into;
        const std::regex* pattern;
    };
    const Field fields[] = {{"requests", &spec.metrics.requests, &metric_name},
                            {"error_label", &spec.metrics.error_label, &label_name},
                            {"error_regex", &spec.metrics.error_regex, nullptr},
                            {"duration", &spec.metrics.duration, &metric_name},
                            {"saturation_used", &spec.metrics.saturation_used, &metric_name},
                            {"saturation_limit", &spec.metrics.saturation_limit, &metric_name}};
    for (const auto& field : fields) {
        const std::string path = std::string("context.metrics.") + field.name;
        if (auto value = string_field(*metrics, field.name, path)) {
            if (value->empty()) throw InputError(path + " must not be empty");
            if (value->find('"') != std::string::npos || value->find('\\') != std::string::npos)
                throw InputError(path + " must not contain quotes or backslashes");
            if (field.pattern == nullptr) {
                try {
                    std::regex compiled(*value);
                } catch (const std::regex_error&) {
                    throw InputError(path + " '" + *value + "' is not a regular expression");
                }
            } else if (!std::regex_match(*value, *field.pattern)) {
                throw InputError(path + " '" + *value + "' is not a valid Prometheus name");
            }
            *field.into = *value;
        }
    }
}

}  // namespace

std::string kind_name(Kind kind) {
    switch (kind) {
        case Kind::worker: return "worker";
        case Kind::database: return "database";
        case Kind::http:
        default: return "http";
    }
}

ServiceSpec read_spec(const rapidjson::Value& context, std::string_view task) {
    ServiceSpec spec;
    bool named = false, kind_given = false, slo_given = false, latency_given = false;
    if (auto service = string_field(context, "service", "context.service")) {
        if (!std::regex_match(*service, job_name))
            throw InputError("context.service '" + *service +
                             "' must be a lower-case name (letters, digits, '-' or '_', starting with a letter, at "
                             "most 63 characters): it becomes the Prometheus job label");
        spec.service = *service;
        named = true;
    }
    if (auto kind = string_field(context, "kind", "context.kind")) {
        spec.kind = kind_from(*kind, "context.kind");
        kind_given = true;
    }
    if (const rapidjson::Value* slo = field(context, "slo")) {
        if (!slo->IsObject()) throw InputError("context.slo must be an object");
        if (auto availability = number_field(*slo, "availability", "context.slo.availability", 50, 99.999)) {
            spec.availability = *availability;
            slo_given = true;
        }
        if (auto latency = number_field(*slo, "latency_p99_ms", "context.slo.latency_p99_ms", 1, 600000)) {
            spec.latency_p99_seconds = *latency / 1000.0;
            latency_given = true;
        }
        if (auto days = number_field(*slo, "window_days", "context.slo.window_days", 1, 90)) {
            if (*days != static_cast<int>(*days)) throw InputError("context.slo.window_days must be a whole number");
            spec.slo_window_days = static_cast<int>(*days);
        }
    }
    read_task(task, spec, named, kind_given, slo_given, latency_given);
    if (!named) {
        spec.service = "app";
        spec.defaults_used.push_back("service 'app' (name it in context.service)");
    }
    if (!slo_given) spec.defaults_used.push_back("availability SLO 99.9%");
    if (!latency_given) spec.defaults_used.push_back("p99 latency objective 300 ms");
    if (auto threshold = number_field(context, "error_rate_threshold", "context.error_rate_threshold", 0.0001, 1))
        spec.error_rate_threshold = *threshold;
    if (auto threshold = number_field(context, "saturation_threshold", "context.saturation_threshold", 0.01, 1))
        spec.saturation_threshold = *threshold;
    spec.metrics = conventional_metrics(spec.kind);
    read_metrics(context, spec);
    spec.runbook_base_url = "https://runbooks.example.com/" + spec.service;
    if (auto url = string_field(context, "runbook_base_url", "context.runbook_base_url")) {
        if (!std::regex_match(*url, std::regex("^https?://[^\\s\"'{}]+$")))
            throw InputError("context.runbook_base_url must be an http(s) URL without spaces, quotes or braces");
        spec.runbook_base_url = url->back() == '/' ? url->substr(0, url->size() - 1) : *url;
    } else {
        spec.defaults_used.push_back("runbooks under " + spec.runbook_base_url);
    }
    if (auto name = string_field(context, "namespace", "context.namespace")) {
        if (!std::regex_match(*name, std::regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")))
            throw InputError("context.namespace '" + *name + "' is not a DNS-1123 label");
        spec.namespace_name = *name;
    }
    if (auto kubernetes = devkit::bool_field(context, "kubernetes", "context.kubernetes")) spec.kubernetes = *kubernetes;
    return spec;
}

}  // namespace monitoring
