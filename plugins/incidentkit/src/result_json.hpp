// The analysis as the agent's result members (templates, first error,
// burst, changes, timeline, hypotheses, remediation).
#ifndef INCIDENT_AGENT_RESULT_JSON_HPP
#define INCIDENT_AGENT_RESULT_JSON_HPP

#include <rapidjson/document.h>

#include "incident.hpp"

namespace incident {

// Adds the analysis's members to `result` (an object).
void add_analysis(const Analysis& analysis, rapidjson::Document& result);

}  // namespace incident

#endif
