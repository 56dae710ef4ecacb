// For tests that hand generated files to real tools: a scratch folder to
// write artifacts into, running a command and reading its output, and a
// server started in the background (its own process group, stopped when
// the test ends) to curl. Header-only; POSIX.
#ifndef DEVKIT_TESTING_TOOLCHAIN_HPP
#define DEVKIT_TESTING_TOOLCHAIN_HPP

#include <devkit/artifacts.hpp>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

// Catch2 2.13 has no SKIP: a test whose tool is missing says so in a
// warning and returns. Only for tools that may be absent on a developer's
// machine; CI installs them (tools/install-deps), so there the test runs.
#define DEVKIT_SKIP_UNLESS(condition, message) \
    do {                                       \
        if (!(condition)) {                    \
            WARN("skipped: " << message);      \
            return;                            \
        }                                      \
    } while (false)

namespace devkit::testing {

inline std::string shell_quote(const std::string& text) {
    std::string out = "'";
    for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

// A fresh folder under the system temp dir, removed afterwards.
class Scratch {
  public:
    explicit Scratch(const std::string& prefix = "devkit-test") {
        std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
        if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
    }
    ~Scratch() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    Scratch(const Scratch&) = delete;
    Scratch& operator=(const Scratch&) = delete;
    const std::filesystem::path& path() const { return path_; }
    std::string str() const { return path_.string(); }

    void write(const std::string& relative, const std::string& content) const {
        const auto file = path_ / relative;
        std::filesystem::create_directories(file.parent_path());
        std::ofstream(file, std::ios::binary) << content;
    }
    void write_all(const std::vector<Artifact>& artifacts) const {
        for (const auto& item : artifacts) write(item.path, item.content);
    }

  private:
    std::filesystem::path path_;
};

struct CommandResult {
    int exit_code = -1;
    std::string output;  // stdout and stderr
};

// Runs a shell command, capturing stdout and stderr.
inline CommandResult run(const std::string& command) {
    CommandResult result;
    FILE* pipe = popen((command + " 2>&1").c_str(), "r");
    if (pipe == nullptr) throw std::runtime_error("popen failed: " + command);
    std::array<char, 4096> buffer{};
    while (std::fgets(buffer.data(), buffer.size(), pipe) != nullptr) result.output += buffer.data();
    const int status = pclose(pipe);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

inline bool executable(const std::string& path) { return access(path.c_str(), X_OK) == 0; }

// A loopback TCP port nobody listens on right now.
inline int free_port() {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) != 0)
        throw std::runtime_error("no free port");
    const int port = ntohs(address.sin_port);
    close(fd);
    return port;
}

// `sh -c command` in the background, in its own process group, output to
// `log_path`; the group is stopped when this goes out of scope.
class Background {
  public:
    Background(const std::string& command, const std::string& log_path) {
        pid_ = fork();
        if (pid_ < 0) throw std::runtime_error("fork failed");
        if (pid_ == 0) {
            setpgid(0, 0);
            const std::string full = "exec >" + shell_quote(log_path) + " 2>&1; " + command;
            execl("/bin/sh", "sh", "-c", full.c_str(), static_cast<char*>(nullptr));
            _exit(127);
        }
        setpgid(pid_, pid_);
    }
    ~Background() {
        kill(-pid_, SIGTERM);
        for (int i = 0; i < 50; ++i) {
            if (waitpid(pid_, nullptr, WNOHANG) == pid_) return;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        kill(-pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
    }
    Background(const Background&) = delete;
    Background& operator=(const Background&) = delete;
    bool running() const { return waitpid(pid_, nullptr, WNOHANG) == 0; }

  private:
    pid_t pid_ = -1;
};

// curl's answer (body) from `url`, retried until it answers or `seconds`
// pass; exit_code 0 only for a 2xx.
inline CommandResult curl_until_up(const std::string& url, int seconds = 30) {
    CommandResult last;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (std::chrono::steady_clock::now() < deadline) {
        last = run("curl -sS --fail --max-time 2 " + shell_quote(url));
        if (last.exit_code == 0) return last;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return last;
}

inline std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace devkit::testing

#endif  // DEVKIT_TESTING_TOOLCHAIN_HPP
