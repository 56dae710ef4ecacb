// Which pulled lines become signals, and how: a line (plain text or a JSON
// object) matches the source's filter (a regular expression; by default
// ERROR|FATAL|CRITICAL|panic|Exception|Traceback), or its JSON level is
// error or worse, and becomes the same log signal POST /api/signals/logs
// makes, one that may open an incident.
#pragma once

#include "signals/incident_service.hpp"
#include "signals/log_source.hpp"

#include <optional>
#include <regex>

namespace agenthost::signals {

class LineFilter {
  public:
    // Throws std::regex_error for a pattern that is not one.
    explicit LineFilter(const std::string& pattern);
    // The signal for `line`, or nullopt when it does not look like an error.
    std::optional<IncomingSignal> signal_of(const LogSourceConfig& source, const LogLine& line) const;

  private:
    std::regex pattern_;
};

// "" when `pattern` is a usable filter, else why not.
std::string check_line_filter(const std::string& pattern);

}  // namespace agenthost::signals
