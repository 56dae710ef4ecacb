// A light English suffix stripper for routing terms. Not Porter: it only
// needs to map a task's word and a manifest's word to the same key
// ("summarise", "summarizing", "summarization" -> "summariz"), and it is
// applied to both sides, so an odd stem costs nothing as long as it is
// consistent.
#pragma once

#include <string>

namespace agenthost::routing {

// `word` is lower case ASCII (other bytes pass through untouched).
std::string stem(std::string word);

}  // namespace agenthost::routing
