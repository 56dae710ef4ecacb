// Starts the real agenthost binary on a free loopback port for a test and
// stops it afterwards. The host's log goes to a file the test can read.
#pragma once

#include <string>
#include <sys/types.h>
#include <vector>

namespace agenthost::testing {

class HostProcess {
  public:
    // `config_json` is written to a temporary config file; `extra_args` are
    // appended to the command line. Waits until GET /ready answers 200.
    explicit HostProcess(const std::string& config_json, const std::vector<std::string>& extra_args = {});
    ~HostProcess();
    HostProcess(const HostProcess&) = delete;
    HostProcess& operator=(const HostProcess&) = delete;

    const std::string& base_url() const { return base_url_; }
    int port() const { return port_; }
    pid_t pid() const { return pid_; }
    const std::string& work_dir() const { return work_dir_; }
    std::string log() const;
    bool running();

    // SIGTERM and wait; returns the exit status (or -1 if it had to be killed).
    int stop();

  private:
    std::string work_dir_;
    std::string base_url_;
    int port_ = 0;
    pid_t pid_ = -1;
};

// A port nothing listens on right now.
int free_port();
// Temporary directory removed by the caller (HostProcess removes its own).
std::string make_temp_dir();

// Paths baked in by CMake.
std::string host_binary();
std::string first_party_plugin_dir();
std::string fixture_plugin_dir();

}  // namespace agenthost::testing
