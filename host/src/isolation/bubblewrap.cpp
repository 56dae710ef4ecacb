#include "isolation/bubblewrap.hpp"

#include <cstdlib>
#include <fcntl.h>
#include <mutex>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace agenthost::isolation {

const std::string& bwrap_path() {
    static const std::string path = [] {
        const char* configured = std::getenv("AGENTHOST_BWRAP");
        return std::string(configured != nullptr && *configured != '\0' ? configured : "/usr/bin/bwrap");
    }();
    return path;
}

SystemLayout host_system_layout() {
    SystemLayout layout;
    for (const char* path : {"/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"}) {
        struct stat info {};
        if (lstat(path, &info) != 0) continue;
        if (S_ISLNK(info.st_mode)) {
            char target[4096];
            ssize_t length = readlink(path, target, sizeof target - 1);
            if (length <= 0) continue;
            layout.entries.push_back({path, std::string(target, static_cast<size_t>(length))});
        } else if (S_ISDIR(info.st_mode)) {
            layout.entries.push_back({path, ""});
        }
    }
    return layout;
}

std::vector<std::string> bwrap_argv(const BwrapCommand& command, const SystemLayout& layout) {
    std::vector<std::string> argv = {command.bwrap,
                                     "--unshare-all",
                                     // Killed with the host (or the exec runner), never orphaned.
                                     "--die-with-parent",
                                     // No TIOCSTI into a terminal the host may have.
                                     "--new-session",
                                     "--ro-bind", "/usr", "/usr"};
    if (command.network) argv.push_back("--share-net");
    for (const auto& entry : layout.entries) {
        if (entry.symlink_target.empty()) argv.insert(argv.end(), {"--ro-bind", entry.path, entry.path});
        else argv.insert(argv.end(), {"--symlink", entry.symlink_target, entry.path});
    }
    // /etc for the resolver, certificates, passwd lookups; read-only.
    argv.insert(argv.end(), {"--ro-bind", "/etc", "/etc", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"});
    // After the tmpfs, so paths under /tmp (tests, a TMPDIR data dir) show.
    for (const auto& path : command.read_only_paths) argv.insert(argv.end(), {"--ro-bind-try", path, path});
    if (!command.binary.empty() && command.binary.rfind("/usr/", 0) != 0)
        argv.insert(argv.end(), {"--ro-bind", command.binary, command.binary});
    if (!command.workspace.empty()) argv.insert(argv.end(), {"--bind", command.workspace, command.workspace});
    // Nothing outside the workspace and /tmp is writable, not even the root.
    argv.insert(argv.end(), {"--remount-ro", "/"});
    std::string cwd = !command.cwd.empty() ? command.cwd : !command.workspace.empty() ? command.workspace : "/";
    argv.insert(argv.end(), {"--chdir", cwd, "--", command.binary});
    argv.insert(argv.end(), command.args.begin(), command.args.end());
    return argv;
}

bool exec_sandbox_available(std::string& reason) {
    static std::once_flag probed;
    static bool available = false;
    static std::string why;
    std::call_once(probed, [] {
        BwrapCommand probe;
        if (access(probe.bwrap.c_str(), X_OK) != 0) {
            why = "bubblewrap is not installed (" + probe.bwrap + "; Debian package bubblewrap)";
            return;
        }
        probe.binary = access("/usr/bin/true", X_OK) == 0 ? "/usr/bin/true" : "/bin/true";
        std::vector<std::string> command = bwrap_argv(probe, host_system_layout());
        std::vector<char*> argv;
        for (auto& part : command) argv.push_back(part.data());
        argv.push_back(nullptr);
        int output[2];
        if (pipe2(output, O_CLOEXEC) != 0) {
            why = "cannot probe bubblewrap (no pipe)";
            return;
        }
        pid_t pid = fork();
        if (pid == 0) {
            dup2(output[1], STDERR_FILENO);
            int null = open("/dev/null", O_RDWR);
            if (null >= 0) dup2(null, STDOUT_FILENO);
            execv(argv[0], argv.data());
            _exit(127);
        }
        close(output[1]);
        std::string message;
        char buffer[512];
        ssize_t n;
        while (pid > 0 && (n = read(output[0], buffer, sizeof buffer)) > 0 && message.size() < 2048)
            message.append(buffer, static_cast<size_t>(n));
        close(output[0]);
        int status = 0;
        if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
            why = "bubblewrap cannot create the exec sandbox's namespaces here (probe exited " +
                  std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) +
                  (message.empty() ? "" : ": " + message) + ")";
            return;
        }
        available = true;
    });
    reason = why;
    return available;
}

}  // namespace agenthost::isolation
