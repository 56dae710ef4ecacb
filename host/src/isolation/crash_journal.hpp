// Reading what the fatal-signal handler wrote before the previous process
// died: which runs were executing plugin code, under which signal, and
// which of them faulted. Recovery uses it to tell a poison run (one whose
// agent keeps killing the host) from a run whose host merely stopped.
#pragma once

#include <map>
#include <string>

namespace agenthost::isolation {

struct CrashRecord {
    std::string signal;   // "SIGSEGV", ...
    std::string agent;
    bool faulting = false;  // the fault happened on the thread running this run's plugin code
};

// Run id -> what happened to it; empty when there is no journal.
std::map<std::string, CrashRecord> read_crash_journal(const std::string& path);

// Empties the journal once its records are applied.
void clear_crash_journal(const std::string& path);

// "the host died (SIGSEGV) while agent 'x' executed it"; the wording
// recovery puts into the run's error and events.
std::string describe_crash(const CrashRecord& record);

}  // namespace agenthost::isolation
