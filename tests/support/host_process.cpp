#include "host_process.hpp"

#include "openapi_contract.hpp"

#include "http_client.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace agenthost::testing {

std::string host_binary() { return AGENTHOST_BINARY; }
std::string first_party_plugin_dir() { return AGENTHOST_PLUGIN_DIR; }
std::string fixture_plugin_dir() { return AGENTHOST_FIXTURE_PLUGIN_DIR; }

int free_port() {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    socklen_t length = sizeof address;
    getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    int port = ntohs(address.sin_port);
    close(fd);
    return port;
}

std::string make_temp_dir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "agenthost-test-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    return pattern;
}

HostProcess::HostProcess(const std::string& config_json, const std::vector<std::string>& extra_args) {
    work_dir_ = make_temp_dir();
    std::string config_path = work_dir_ + "/agenthost.json";
    std::ofstream(config_path) << config_json;

    // A port taken between free_port() and bind is rare; retry a few times.
    for (int attempt = 0; attempt < 5; ++attempt) {
        port_ = free_port();
        base_url_ = "http://127.0.0.1:" + std::to_string(port_);
        std::vector<std::string> args = {host_binary(), "--config", config_path, "--port", std::to_string(port_),
                                         "--data-dir", work_dir_ + "/data"};
        args.insert(args.end(), extra_args.begin(), extra_args.end());
        pid_ = fork();
        if (pid_ == 0) {
            // A test that dies abruptly takes its hosts with it.
            prctl(PR_SET_PDEATHSIG, SIGKILL);
            int log_fd = open((work_dir_ + "/host.log").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
            dup2(log_fd, STDOUT_FILENO);
            dup2(log_fd, STDERR_FILENO);
            std::vector<char*> argv;
            for (auto& arg : args) argv.push_back(arg.data());
            argv.push_back(nullptr);
            execv(argv[0], argv.data());
            _exit(127);
        }
        HttpClient client(base_url_);
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
        while (std::chrono::steady_clock::now() < deadline) {
            if (!running()) break;
            if (client.get("/ready").status == 200) {
                expect_openapi_at(base_url_);
                return;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        stop();
    }
    throw std::runtime_error("agenthost did not become ready; log:\n" + log());
}

HostProcess::~HostProcess() {
    forget_openapi_at(base_url_);
    stop();
    std::error_code ignored;
    std::filesystem::remove_all(work_dir_, ignored);
}

bool HostProcess::running() {
    if (pid_ <= 0) return false;
    int status = 0;
    pid_t done = waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
        pid_ = -1;
        return false;
    }
    return true;
}

int HostProcess::stop() {
    if (pid_ <= 0) return -1;
    kill(pid_, SIGTERM);
    for (int i = 0; i < 500; ++i) {
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
    return -1;
}

std::string HostProcess::log() const {
    std::ifstream in(work_dir_ + "/host.log");
    std::stringstream content;
    content << in.rdbuf();
    return content.str();
}

}  // namespace agenthost::testing
