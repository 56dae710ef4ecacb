#include "exec/command_resolver.hpp"

#include <algorithm>
#include <cstdlib>
#include <sys/stat.h>
#include <unistd.h>

namespace agenthost::exec {

std::optional<std::string> resolve_command(const std::string& name, const std::vector<std::string>& allow,
                                           const std::string& search_path, const std::string& agent,
                                           std::string& error) {
    if (std::find(allow.begin(), allow.end(), name) == allow.end()) {
        std::string listed;
        for (const auto& allowed : allow) listed += (listed.empty() ? "" : ", ") + allowed;
        error = "'" + name + "' is not an allowed command for agent '" + agent + "' (agents." + agent +
                ".exec.allow: " + (listed.empty() ? "empty" : "[" + listed + "]") + ")";
        return std::nullopt;
    }
    size_t start = 0;
    for (;;) {
        size_t end = search_path.find(':', start);
        std::string directory = search_path.substr(start, end == std::string::npos ? std::string::npos : end - start);
        if (!directory.empty() && directory.front() == '/') {
            std::string candidate = directory + (directory.back() == '/' ? "" : "/") + name;
            struct stat info {};
            if (stat(candidate.c_str(), &info) == 0 && S_ISREG(info.st_mode) && access(candidate.c_str(), X_OK) == 0)
                return candidate;
        }
        if (end == std::string::npos) break;
        start = end + 1;
    }
    error = "'" + name + "' is allowed for agent '" + agent + "' but not found on the host's PATH (" + search_path + ")";
    return std::nullopt;
}

const std::string& host_search_path() {
    static const std::string path = [] {
        const char* value = std::getenv("PATH");
        return std::string(value != nullptr && *value != '\0' ? value : "/usr/local/bin:/usr/bin:/bin");
    }();
    return path;
}

}  // namespace agenthost::exec
