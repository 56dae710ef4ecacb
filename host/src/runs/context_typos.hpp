// Context members an agent never reads that look like a misspelling of one
// it does ("replicsa" for "replicas", "Environment" for "environment").
// Agents' input schemas allow members they do not list, on purpose (a
// chained workflow passes earlier results along), so such a member is not
// refused; it would otherwise be dropped without a word, and the caller
// would get three replicas' worth of defaults and never know why.
#pragma once

#include <rapidjson/document.h>

#include <string>
#include <vector>

namespace agenthost::runs {

struct ContextTypo {
    std::string field;       // as sent
    std::string suggestion;  // the listed property it is closest to
};

// The top-level members of `context` that `input_schema` does not list
// under "properties" and that are within a small edit distance (one edit
// for names of up to five letters, two beyond; case ignored) of one it
// does. Empty when the schema lists no properties.
std::vector<ContextTypo> context_typos(const rapidjson::Value& input_schema, const rapidjson::Value& context);

// "context.replicsa is not a field agent 'kubernetes_agent' reads; did you
// mean context.replicas?"
std::string typo_warning(const std::string& agent, const ContextTypo& typo);

}  // namespace agenthost::runs
