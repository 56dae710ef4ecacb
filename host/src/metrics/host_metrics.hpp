// The metrics agenthost records (README, "Metrics"). One process-wide set:
// the HTTP server, the run engine and the store record into it; GET
// /metrics renders it with the gauges read at scrape time.
#pragma once

#include "metrics/metric_family.hpp"

#include <functional>
#include <string>
#include <vector>

namespace agenthost::metrics {

struct HostMetrics {
    Family http_requests{"agenthost_http_requests_total", "HTTP requests answered, by route template, method and status.",
                         Family::Type::counter, {"route", "method", "status"}};
    Family http_duration{"agenthost_http_request_duration_seconds",
                         "Time from a request's arrival to its response, by route template and method.",
                         Family::Type::histogram, {"route", "method"}, duration_buckets()};
    Family runs_finished{"agenthost_runs_finished_total", "Runs that ended, by agent and final status.",
                         Family::Type::counter, {"agent", "status"}};
    Family runs_retried{"agenthost_runs_retried_total", "Runs queued again for another attempt, by agent.",
                        Family::Type::counter, {"agent"}};
    Family cron_ticks{"agenthost_cron_ticks_total",
                      "Cron ticks this host claimed, by outcome (fired, skipped: missed with on_missed skip, "
                      "refused: the thread was busy, over_quota: the tenant's quota was used up, thread_gone: the cron "
                      "went with its thread).",
                      Family::Type::counter, {"outcome"}};
    Family run_queue_wait{"agenthost_run_queue_wait_seconds", "Time from a run's acceptance to its start, by agent.",
                          Family::Type::histogram, {"agent"}, duration_buckets()};
    Family run_execution{"agenthost_run_execution_seconds", "Time a run spent executing in its agent, by agent.",
                         Family::Type::histogram, {"agent"}, duration_buckets()};
    Family db_batch_size{"agenthost_db_batch_writes", "Writes committed together in one group commit.",
                         Family::Type::histogram, {}, {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024}};
    Family db_commit{"agenthost_db_commit_duration_seconds", "Time one group commit took, statements and commit.",
                     Family::Type::histogram, {}, duration_buckets()};
    Family llm_calls{"agenthost_llm_calls_total", "LLM calls by provider, model and outcome (ok, failed).",
                     Family::Type::counter, {"provider", "model", "outcome"}};
    Family llm_tokens{"agenthost_llm_tokens_total", "LLM tokens by provider, model and direction (input, output).",
                      Family::Type::counter, {"provider", "model", "direction"}};
    Family llm_duration{"agenthost_llm_call_duration_seconds", "Time one LLM call took, streamed or not.",
                        Family::Type::histogram, {"provider", "model"}, duration_buckets()};
    Family webhook_attempts{"agenthost_webhook_attempts_total",
                            "Webhook delivery attempts by outcome (delivered, pending, gone, failed).",
                            Family::Type::counter, {"outcome"}};
    Family webhook_duration{"agenthost_webhook_attempt_duration_seconds", "Time one webhook delivery attempt took.",
                            Family::Type::histogram, {}, duration_buckets()};
    Family db_failed_batches{"agenthost_db_failed_batches_total", "Group commits the database refused.",
                             Family::Type::counter, {}};
    Family exec_commands{"agenthost_exec_commands_total",
                         "Programs agents asked the exec service to run, by agent and outcome (exited, timed_out, "
                         "truncated, signalled, cancelled, refused, failed).",
                         Family::Type::counter, {"agent", "outcome"}};
    Family exec_duration{"agenthost_exec_duration_seconds", "Time one program of the exec service ran, by agent.",
                         Family::Type::histogram, {"agent"}, duration_buckets()};
};

HostMetrics& host_metrics();

// Read at scrape time: name, help, and a function giving (label values,
// value) rows. Labels are named by `label_names`. A value kept elsewhere
// that only grows is exposed as a counter (`type`).
struct ScrapeGauge {
    std::string name, help;
    std::vector<std::string> label_names;
    std::function<std::vector<std::pair<Labels, double>>()> read;
    std::string type = "gauge";
};

// The whole exposition: the recorded families, `gauges`, and the process
// (RSS, open descriptors, uptime, build info).
std::string render_metrics(const std::vector<ScrapeGauge>& gauges, const std::string& version);

}  // namespace agenthost::metrics
