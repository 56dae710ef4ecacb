// The incident agent's logic, free of SDK types: log lines read, clustered
// into templates (Drain), the first error and its burst, changes that
// preceded it, ranked root-cause hypotheses with evidence, remediation, a
// timeline and a postmortem draft. Linked into the plugin, tests and bench.
#ifndef INCIDENT_AGENT_INCIDENT_HPP
#define INCIDENT_AGENT_INCIDENT_HPP

#include <devkit/context_fields.hpp>
#include <rapidjson/document.h>

#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace incident {

using InputError = devkit::FieldError;  // bad input, a 422 naming the field

enum class Level { trace, debug, info, warn, error, fatal };
std::string level_name(Level level);

// One log line as read. `time` is unix seconds, NaN when the line has none.
struct LogEvent {
    std::size_t line = 0;  // 1-based position in the input
    double time = NAN;
    Level level = Level::info;
    std::string service;
    std::string message;  // the text clustered (without time and level)
    std::string raw;
};

// A deploy, config change, flag flip … from context.changes.
struct Change {
    double time = 0;
    std::string type;  // deploy, config, feature_flag, infrastructure, …
    std::string service;
    std::string description;
    std::string version;
};

struct MetricPoint {
    double time = 0;
    std::string name;
    double value = 0;
};

struct Input {
    std::vector<LogEvent> events;
    std::vector<Change> changes;
    std::vector<MetricPoint> metrics;
    double window_start = -INFINITY;
    double window_end = INFINITY;
    std::size_t lines_outside_window = 0;
};

// Unix seconds from ISO 8601 ("2026-12-06T14:02:11.5Z", "+02:00" offsets,
// a space for the T, a comma for the decimal point), or nothing.
std::optional<double> parse_time(std::string_view text);
std::string format_time(double unix_seconds);  // "2026-12-06T14:02:11Z", "-" for NaN
std::string score_text(double value);         // "0.87"

// One line of plain text (timestamp, level, [service], message; logfmt
// level=…; access-log status codes) or of JSON.
LogEvent parse_line(std::string_view line, std::size_t number);

// Reads context.logs (text, or a list of strings or JSON objects),
// context.changes, context.metrics and context.window. Throws InputError
// naming the field.
Input read_input(const rapidjson::Value& context);

// ---- Drain -------------------------------------------------------------------

struct Cluster {
    std::size_t id = 0;
    std::vector<std::string> tokens;  // "<*>" where lines differ
    std::string template_text() const;
    std::size_t count = 0;
    std::size_t errors = 0;  // lines at error or fatal
    Level worst = Level::trace;
    double first_seen = NAN, last_seen = NAN;
    std::size_t first_line = 0, last_line = 0;
    std::vector<std::size_t> members;  // indexes into the events
};

// Drain (He et al., ICWS 2017): a fixed-depth tree keyed by token count and
// leading tokens; a line joins the most similar cluster of its leaf when
// the share of equal tokens reaches `similarity`, else starts a new one.
class Drain {
  public:
    explicit Drain(std::size_t depth = 4, double similarity = 0.5, std::size_t max_children = 100);
    ~Drain();
    Drain(const Drain&) = delete;
    Drain& operator=(const Drain&) = delete;
    // Adds a message; returns its cluster's id. Messages of different
    // groups never share a cluster (the analysis groups by severity, so a
    // 500 access line is not merged into the 200s).
    std::size_t add(std::string_view message, int group = 0);
    std::vector<Cluster>& clusters();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Splits a message into tokens with variable parts (numbers, ids, hex,
// addresses, values of key=value) masked as "<*>".
std::vector<std::string> masked_tokens(std::string_view message);

// ---- Analysis ----------------------------------------------------------------

struct Burst {
    double start = NAN, end = NAN;
    std::size_t errors = 0;
    double peak_per_minute = 0;
    std::size_t first_line = 0;
};

struct Hypothesis {
    std::string cause;     // bad_deploy, connection_pool_exhaustion, …
    std::string title;     // one sentence
    double score = 0;      // 0..1, the ranking
    std::string reasoning;
    std::vector<std::string> evidence;  // "L123: <the line>" and change records
    std::vector<std::string> remediation;
    std::string action;   // what the loop's act step would do (rollback, …)
    std::string service;  // the service it concerns
    std::string version;  // for a deploy
};

struct TimelineEntry {
    double time = NAN;
    std::string kind;  // change, first_error, burst_start, burst_peak, new_template, metric, last_error
    std::string text;
};

struct Analysis {
    std::size_t lines = 0;
    std::vector<Cluster> clusters;  // by count, most first
    std::optional<LogEvent> first_error;
    Burst burst;
    std::vector<Change> correlated_changes;
    std::vector<Hypothesis> hypotheses;  // best first
    std::vector<TimelineEntry> timeline;
    std::string summary;
};

Analysis analyse(const Input& input);

// The postmortem draft, Markdown.
std::string postmortem_markdown(const Analysis& analysis, const Input& input, const std::string& title);

}  // namespace incident

#endif  // INCIDENT_AGENT_INCIDENT_HPP
