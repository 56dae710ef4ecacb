// What Loki's and CloudWatch's answers say, read apart from the HTTP that
// fetched them: these bodies come from outside the host (a misconfigured
// or hostile endpoint), so they are fuzzed on their own
// (tests/fuzz/log_answers_fuzz.cpp).
#pragma once

#include <string>
#include <vector>

namespace agenthost::signals {

struct LokiEntry {
    long long ns = 0;
    std::string line;
    std::string labels_json;
};

// The entries of a query_range answer newer than `after_ns`, in answer
// order. Throws PullError for an answer that is not a Loki streams result.
std::vector<LokiEntry> read_loki_answer(const std::string& body, long long after_ns);

struct CloudWatchEvent {
    long long time_ms = 0;
    std::string id;
    std::string message;
    std::string stream;
};

struct CloudWatchPage {
    std::vector<CloudWatchEvent> events;
    std::string next_token;  // "" on the last page
};

// One FilterLogEvents answer. Throws PullError for one that is not.
CloudWatchPage read_cloudwatch_page(const std::string& body);

}  // namespace agenthost::signals
