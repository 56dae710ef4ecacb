// glibc malloc settings for a host that allocates and frees a little memory
// per request on many threads.
#pragma once

namespace agenthost {

// Call once at start-up, before the threads start. See malloc_tuning.cpp.
void tune_malloc();

}  // namespace agenthost
