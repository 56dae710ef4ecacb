// A registered log source as the puller reads it (the stored body of
// POST /api/log-sources), the lines a pull returns and the cursor it moves
// to. One file per source type reads it: file_source.cpp, url_source.cpp,
// loki_source.cpp, cloudwatch_source.cpp. A reader throws PullError for
// anything that makes the pull fail (unreachable, refused, 401, bad JSON);
// the scheduler records it and backs off.
#pragma once

#include "signals/pull_settings.hpp"
#include "store/sre_records.hpp"

#include <rapidjson/document.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace agenthost::signals {

// Lines that look like errors when a source names no filter of its own.
inline constexpr const char* kDefaultLineFilter = "ERROR|FATAL|CRITICAL|panic|Exception|Traceback";
inline constexpr long long kDefaultIntervalMs = 15000;

struct LogSourceConfig {
    std::string id;
    std::string tenant;
    std::string name;
    std::string type;  // file, url, loki, cloudwatch
    std::string service;
    std::string repository;
    bool enabled = true;
    long long interval_ms = kDefaultIntervalMs;
    std::string filter = kDefaultLineFilter;
    std::string start_at = "end";  // file and url: "end" or "beginning"
    std::string url;               // url; loki's base URL
    std::string query;             // loki: LogQL
    std::string org_id;            // loki: X-Scope-OrgID
    std::string path;              // file
    std::string log_group;         // cloudwatch
    std::string region;
    std::string endpoint;  // cloudwatch: instead of https://logs.<region>.amazonaws.com
    std::string filter_pattern;  // cloudwatch's own filter pattern
    std::string access_key_id, secret_access_key, session_token;
    int limit = 500;  // loki and cloudwatch: entries per request
    long long created_at_ms = 0;
};

// Seals a request body's AWS secret and session token (store::SecretBox,
// as webhook secrets are) before it is stored; read_log_source opens them.
void seal_log_source_secrets(rapidjson::Document& body);

// The source stored as `item`; nullopt (with `error`) when its body is not
// a source this host can read (or its sealed secret cannot be opened).
std::optional<LogSourceConfig> read_log_source(const store::SreIntegration& item, std::string& error);

struct LogLine {
    std::string text;
    long long at_ms = 0;            // 0: when it was read
    std::string context_json = "{}";  // labels or stream it came from
};

struct PullBatch {
    std::vector<LogLine> lines;
    std::string cursor_json;  // where the next pull starts
    bool more = false;        // more is waiting: pull again without the interval
};

struct PullError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// `cursor_json` is "" before the first pull.
PullBatch pull_file(const LogSourceConfig& source, const std::string& cursor_json, const PullSettings& settings);
PullBatch pull_url(const LogSourceConfig& source, const std::string& cursor_json, const PullSettings& settings);
PullBatch pull_loki(const LogSourceConfig& source, const std::string& cursor_json, const PullSettings& settings,
                    long long now_ms);
PullBatch pull_cloudwatch(const LogSourceConfig& source, const std::string& cursor_json,
                          const PullSettings& settings, long long now_ms);

// Complete lines of `text` (without their "\r\n" or "\n"); `consumed` is the
// bytes they took. A last line without its newline is left for later unless
// `take_partial`.
std::vector<std::string> complete_lines(const std::string& text, bool take_partial, size_t& consumed);

}  // namespace agenthost::signals
