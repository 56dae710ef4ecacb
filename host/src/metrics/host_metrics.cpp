#include "metrics/host_metrics.hpp"

#include <dirent.h>
#include <unistd.h>

#include <chrono>
#include <fstream>

namespace agenthost::metrics {
namespace {

const auto kStarted = std::chrono::steady_clock::now();

long resident_bytes() {
    std::ifstream statm("/proc/self/statm");
    long pages = 0, resident = 0;
    statm >> pages >> resident;
    return resident * sysconf(_SC_PAGESIZE);
}

long open_descriptors() {
    DIR* dir = opendir("/proc/self/fd");
    if (dir == nullptr) return -1;
    long count = 0;
    while (readdir(dir) != nullptr) ++count;
    closedir(dir);
    return count - 3;  // ".", ".." and the directory's own descriptor
}

void gauge(std::string& out, const std::string& name, const std::string& help, const std::string& labels, double value) {
    out += "# HELP " + name + " " + help + "\n# TYPE " + name + " gauge\n";
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.12g", value);
    out += name + labels + " " + buffer + "\n";
}

}  // namespace

HostMetrics& host_metrics() {
    static HostMetrics metrics;
    return metrics;
}

std::string render_metrics(const std::vector<ScrapeGauge>& gauges, const std::string& version) {
    std::string out;
    out.reserve(16384);
    HostMetrics& m = host_metrics();
    for (const Family* family : {&m.http_requests, &m.http_duration, &m.runs_finished, &m.runs_retried, &m.cron_ticks,
                                 &m.run_queue_wait, &m.run_execution, &m.llm_calls, &m.llm_tokens, &m.llm_duration,
                                 &m.webhook_attempts, &m.webhook_duration, &m.db_batch_size, &m.db_commit,
                                 &m.db_failed_batches, &m.exec_commands, &m.exec_duration})
        family->render(out);
    for (const ScrapeGauge& g : gauges) {
        auto rows = g.read();
        out += "# HELP " + g.name + " " + g.help + "\n# TYPE " + g.name + " " + g.type + "\n";
        for (const auto& [labels, value] : rows) {
            std::string text;
            for (size_t i = 0; i < g.label_names.size() && i < labels.size(); ++i)
                text += (text.empty() ? "" : ",") + g.label_names[i] + "=\"" + escape_label(labels[i]) + "\"";
            char buffer[32];
            std::snprintf(buffer, sizeof buffer, "%.12g", value);
            out += g.name + (text.empty() ? "" : "{" + text + "}") + " " + buffer + "\n";
        }
    }
    gauge(out, "agenthost_process_resident_memory_bytes", "Resident memory of the host process.", "",
          static_cast<double>(resident_bytes()));
    gauge(out, "agenthost_process_open_fds", "Open file descriptors of the host process.", "",
          static_cast<double>(open_descriptors()));
    gauge(out, "agenthost_uptime_seconds", "Seconds since the host started.", "",
          std::chrono::duration<double>(std::chrono::steady_clock::now() - kStarted).count());
    gauge(out, "agenthost_build_info", "Always 1; the version is a label.", "{version=\"" + escape_label(version) + "\"}", 1);
    return out;
}

}  // namespace agenthost::metrics
