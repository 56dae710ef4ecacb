#include "util/malloc_tuning.hpp"

#include <cstdlib>
#include <cstring>
#include <malloc.h>

namespace agenthost {

// Why: each run and request parses JSON into a rapidjson Document whose pool
// allocates 64 KiB chunks; freeing one next to the top of a thread's arena
// made glibc give the top back to the kernel (heap_trim -> madvise, systrim
// -> brk) with the default 128 KiB trim threshold, and the next Document
// faulted the pages in again. Each give-back also interrupts the other core
// to flush its TLB. Profiled under POST /runs, that was about a tenth of the
// host's CPU. With a higher threshold a thread's arena keeps up to a few MiB
// free at its top for the next request instead.
//
// Why these values are safe for memory: what an arena keeps is bounded by
// the threshold (it trims once its free top exceeds it), not growing with
// time or load, and glibc creates at most eight arenas per core. Setting the
// trim threshold turns off glibc's sliding mmap threshold, so that one is set
// too: blocks of 1 MiB and more (large request bodies and results) still get
// their own mapping and go back to the kernel when freed; without this they
// would stay at the default 128 KiB and every such block would be mapped
// and unmapped each time.
void tune_malloc() {
#ifdef __GLIBC__
    // An operator's own malloc settings win (read by glibc before main).
    const char* tunables = std::getenv("GLIBC_TUNABLES");
    if ((tunables != nullptr && std::strstr(tunables, "glibc.malloc.") != nullptr) ||
        std::getenv("MALLOC_TRIM_THRESHOLD_") != nullptr || std::getenv("MALLOC_TOP_PAD_") != nullptr ||
        std::getenv("MALLOC_MMAP_THRESHOLD_") != nullptr)
        return;
    mallopt(M_TRIM_THRESHOLD, 4 * 1024 * 1024);
    mallopt(M_TOP_PAD, 512 * 1024);
    mallopt(M_MMAP_THRESHOLD, 1024 * 1024);
#endif
}

}  // namespace agenthost
