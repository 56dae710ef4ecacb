#include "isolation/crash_journal.hpp"

#include <fstream>
#include <sstream>

namespace agenthost::isolation {

std::map<std::string, CrashRecord> read_crash_journal(const std::string& path) {
    std::map<std::string, CrashRecord> records;
    if (path.empty()) return records;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::string signal, run_id, agent, faulting;
        if (!std::getline(fields, signal, '\t') || !std::getline(fields, run_id, '\t') ||
            !std::getline(fields, agent, '\t') || !std::getline(fields, faulting))
            continue;  // a line cut short by the crash itself
        CrashRecord& record = records[run_id];
        // A later crash of the same run (it ran again) tells as much; a
        // faulting record is never downgraded by a bystander one.
        record.signal = signal;
        record.agent = agent;
        record.faulting = record.faulting || faulting == "1";
    }
    return records;
}

void clear_crash_journal(const std::string& path) {
    if (!path.empty()) std::ofstream(path, std::ios::trunc);
}

std::string describe_crash(const CrashRecord& record) {
    return "the host died (" + record.signal + ") " + (record.faulting ? "in" : "while") + " agent '" + record.agent +
           "'" + (record.faulting ? " executing it" : " executed it");
}

}  // namespace agenthost::isolation
