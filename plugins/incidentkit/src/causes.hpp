// What kinds of cause a log template points to, recognised by the phrases
// such failures print, with how specific each is (a pool timing out is a
// cause; a 503 is a symptom) and how they are remedied.
#ifndef INCIDENT_AGENT_CAUSES_HPP
#define INCIDENT_AGENT_CAUSES_HPP

#include <string>
#include <vector>

namespace incident {

struct CauseKind {
    std::string id;
    std::string title;
    double specificity;  // 0..1: how directly it names a cause
    std::vector<std::string> phrases;  // lower-case substrings of a line
    std::vector<std::string> remediation;
    std::string action;  // the loop's act step for it ("" for none)
};

// The kind a line (lower-cased message) points to; error and warning lines
// no phrase matches fall to "unclassified_error" / "warning".
const CauseKind& classify(const std::string& lower_message, bool is_error);
const CauseKind& cause_kind(const std::string& id);

}  // namespace incident

#endif  // INCIDENT_AGENT_CAUSES_HPP
