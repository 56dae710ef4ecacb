#include "plugins/runner_sandbox.hpp"

#include <algorithm>

#include <mutex>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace agenthost::plugins {
namespace {

const char* kBwrap = "/usr/bin/bwrap";

void set_limit(int resource, long long value) noexcept {
    rlimit limit{static_cast<rlim_t>(value), static_cast<rlim_t>(value)};
    setrlimit(resource, &limit);
}

}  // namespace

std::string RunnerSandbox::description() const {
    std::string text = use_bwrap ? std::string("bwrap: read-only filesystem but each run's workspace, private /tmp, ") +
                                       (network ? "network allowed (http permission)" : "no network")
                                 : "none";
    if (!use_bwrap) {
        std::string reason;
        bwrap_available(reason);
        if (!reason.empty()) text += ": " + reason;
    }
    return text;
}

bool bwrap_available(std::string& reason) {
    static std::once_flag probed;
    static bool available = false;
    static std::string why;
    std::call_once(probed, [] {
        if (access(kBwrap, X_OK) != 0) {
            why = "bubblewrap is not installed (" + std::string(kBwrap) + ")";
            return;
        }
        // The same namespaces a runner gets; a kernel or container that
        // refuses them makes bwrap exit non-zero.
        pid_t pid = fork();
        if (pid == 0) {
            execl(kBwrap, kBwrap, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp", "--unshare-net",
                  "--die-with-parent", "--", "/bin/true", static_cast<char*>(nullptr));
            _exit(127);
        }
        int status = 0;
        if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            why = "bubblewrap cannot create namespaces here (probe exited " +
                  std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + ")";
            return;
        }
        available = true;
    });
    reason = why;
    return available;
}

std::vector<std::string> runner_command(const RunnerSandbox& sandbox, const std::string& runner,
                                        const std::string& argument) {
    if (!sandbox.use_bwrap) return {runner, argument};
    std::vector<std::string> command = {kBwrap, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
                                        "--tmpfs", "/tmp", "--die-with-parent"};
    // The private /tmp hides whatever lives under the real one: a build
    // tree or plugin folder there (a checkout in /tmp, the tests) is bound
    // back read-only, its whole top-level folder so the libraries beside it
    // load too.
    std::vector<std::string> needed = sandbox.readable_paths;
    needed.push_back(runner);
    std::vector<std::string> shown;
    for (const std::string& path : needed) {
        if (path.rfind("/tmp/", 0) != 0) continue;
        std::string top = path.substr(0, path.find('/', 5));
        if (top.size() <= 5 || std::find(shown.begin(), shown.end(), top) != shown.end()) continue;
        shown.push_back(top);
        command.insert(command.end(), {"--ro-bind-try", top, top});
    }
    if (!sandbox.network) command.push_back("--unshare-net");
    for (const auto& directory : sandbox.writable_dirs) command.insert(command.end(), {"--bind", directory, directory});
    command.insert(command.end(), {"--", runner, argument});
    return command;
}

// AddressSanitizer and ThreadSanitizer reserve terabytes of address space
// for their shadow memory, so an address-space limit stops a sanitizer
// build's runner before main (make test-asan, make test-tsan). Such builds
// keep the other limits.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kAddressSpaceLimitUsable = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr bool kAddressSpaceLimitUsable = false;
#else
constexpr bool kAddressSpaceLimitUsable = true;
#endif
#else
constexpr bool kAddressSpaceLimitUsable = true;
#endif

void apply_limits(const RunnerLimits& limits) noexcept {
    if (limits.memory_mb > 0 && kAddressSpaceLimitUsable) set_limit(RLIMIT_AS, limits.memory_mb * 1024 * 1024);
    if (limits.cpu_seconds > 0) set_limit(RLIMIT_CPU, limits.cpu_seconds);
    if (limits.open_files > 0) set_limit(RLIMIT_NOFILE, limits.open_files);
    // Nothing the plugin executes can gain privileges (setuid binaries).
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
}

}  // namespace agenthost::plugins
