// agentctl's commands that talk to a running host: runs, invoke, approvals,
// workflows, plugins, webhooks and the host's own state. Each prints the
// host's JSON (-o json, the default) or a table (-o table) and returns an
// exit status from exit_codes.hpp.
#pragma once

#include "host_client.hpp"

#include <string>
#include <vector>

namespace agentctl {

struct RemoteOptions {
    std::string output = "json";  // json | table
    // invoke
    std::string context, thread;
    bool follow = false;
    // approve / reject
    std::string comment, approver;
    // runs list
    std::string status, agent, cursor, limit;
};

// True when `words` name a command handled here.
bool is_remote_command(const std::vector<std::string>& words);
int run_remote_command(const std::vector<std::string>& words, const RemoteOptions& options, const HostClient& host);

// The help of one command group ("runs", "invoke", ...), or the whole usage
// when `group` is unknown or empty.
std::string help_for(const std::string& group);

}  // namespace agentctl
