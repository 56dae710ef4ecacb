// What the host knows when plugin code kills it. An in-process plugin that
// dereferences a null pointer or aborts takes the whole process down; this
// handler (async-signal-safe) says which agent and which runs were executing,
// on stderr and in the crash journal, so the restarted host can count the
// attempt against the right run and fail it as `poison` instead of running
// it forever. It then re-raises the signal: the process still dies as it
// would have, with the same status and core dump.
#pragma once

#include <string>

namespace agenthost::isolation {

// Installs the handler for SIGSEGV, SIGABRT, SIGBUS, SIGFPE and SIGILL.
// `journal_path` (may be empty) is opened now, for appending, since the
// handler itself may not allocate or open files.
void install_fatal_signal_handler(const std::string& journal_path);

// Marks plugin code running on this thread for one run, for as long as the
// object lives. Cheap (a slot in a fixed table); when the table is full the
// run is simply not reported.
class ExecutingRun {
  public:
    ExecutingRun(const std::string& run_id, const std::string& agent);
    ~ExecutingRun();
    ExecutingRun(const ExecutingRun&) = delete;
    ExecutingRun& operator=(const ExecutingRun&) = delete;

  private:
    int slot_ = -1;
    int previous_ = -1;  // the thread's earlier slot (nested executions)
};

// "SIGSEGV" for SIGSEGV; "signal N" for others.
const char* signal_name(int signal_number);

}  // namespace agenthost::isolation
