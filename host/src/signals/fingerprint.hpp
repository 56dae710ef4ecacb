// How signals are grouped: the error template of a message (its words with
// every variable part, anything holding a digit or quoted, replaced by <*>,
// as Drain-style log clustering does) and the fingerprint of service +
// template that incidents are matched on. A storm of one error with
// different request ids, timings or addresses has one fingerprint.
#pragma once

#include <string>

namespace agenthost::signals {

// At most 512 characters of template; whitespace is collapsed.
std::string error_template(const std::string& message);

// A stable hex digest of kind, service and template.
std::string fingerprint(const std::string& kind, const std::string& service, const std::string& template_text);

// "critical", "error", "warning" or "info" for common level spellings
// (ERROR, err, fatal, warn, notice, ...); "" when unknown.
std::string normal_severity(const std::string& level);

}  // namespace agenthost::signals
