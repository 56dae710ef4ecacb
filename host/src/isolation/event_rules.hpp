// Which run event types a plugin may emit itself: lower-case [a-z0-9_.],
// starting with a letter, at most 64 bytes, and none of the host's own
// families (run.* lifecycle, llm.* accounting, exec.* program output,
// memory.* writes, which stream_mode values and updates are cut from).
// Shared by the host's service table and the plugin runner, which checks an
// event before sending it one way.
#pragma once

#include <string>

namespace agenthost::isolation {

inline bool is_plugin_event_type(const std::string& type) {
    if (type.empty() || type.size() > 64 || type.rfind("run.", 0) == 0 || type.rfind("llm.", 0) == 0 ||
        type.rfind("exec.", 0) == 0 || type.rfind("memory.", 0) == 0)
        return false;
    for (char c : type) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
        if (!ok) return false;
    }
    return type.front() >= 'a' && type.front() <= 'z';
}

}  // namespace agenthost::isolation
