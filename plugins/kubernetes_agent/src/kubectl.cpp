#include "kubectl.hpp"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace k8s {
namespace {

constexpr size_t kMaxOutput = 64 * 1024;

// A 0600 file removed when it goes out of scope.
struct TempFile {
    explicit TempFile(const std::string& content) {
        const char* dir = std::getenv("TMPDIR");
        path = std::string(dir != nullptr && *dir != '\0' ? dir : "/tmp") + "/agenthost-apply-XXXXXX.yaml";
        int fd = mkstemps(path.data(), 5);
        if (fd < 0) throw std::runtime_error(std::string("cannot create a temporary file: ") + std::strerror(errno));
        size_t written = 0;
        while (written < content.size()) {
            ssize_t n = ::write(fd, content.data() + written, content.size() - written);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                ::close(fd);
                ::unlink(path.c_str());
                throw std::runtime_error(std::string("cannot write the manifests: ") + std::strerror(errno));
            }
            written += static_cast<size_t>(n);
        }
        ::close(fd);
    }
    ~TempFile() { ::unlink(path.c_str()); }
    std::string path;
};

}  // namespace

KubectlResult kubectl_apply(const KubectlSettings& settings, const std::string& yaml) {
    TempFile file(yaml);
    std::vector<std::string> argv_storage{settings.path};
    argv_storage.insert(argv_storage.end(), settings.args.begin(), settings.args.end());
    for (const char* arg : {"apply", "-f"}) argv_storage.emplace_back(arg);
    argv_storage.push_back(file.path);
    std::vector<char*> argv;
    for (auto& arg : argv_storage) argv.push_back(arg.data());
    argv.push_back(nullptr);

    int pipe_fds[2];
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 1);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 2);
    pid_t pid = -1;
    int spawned = posix_spawn(&pid, settings.path.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(pipe_fds[1]);
    KubectlResult result;
    if (spawned != 0) {
        ::close(pipe_fds[0]);
        result.output = "cannot run " + settings.path + ": " + std::strerror(spawned);
        return result;
    }

    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(settings.timeout_seconds);
    char buffer[4096];
    for (;;) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            result.timed_out = true;
            ::kill(pid, SIGKILL);
            break;
        }
        pollfd readable{pipe_fds[0], POLLIN, 0};
        int ready = ::poll(&readable, 1, static_cast<int>(left.count()));
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) continue;
        ssize_t n = ::read(pipe_fds[0], buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;  // EOF: kubectl closed its output
        if (result.output.size() < kMaxOutput)
            result.output.append(buffer, std::min(static_cast<size_t>(n), kMaxOutput - result.output.size()));
    }
    ::close(pipe_fds[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!result.timed_out && WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
    return result;
}

}  // namespace k8s
