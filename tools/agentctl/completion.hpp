// `agentctl completion bash`: a bash completion script for agentctl.
#pragma once

namespace agentctl {

// The script, to be sourced (or installed in bash-completion's folder).
const char* bash_completion_script();

}  // namespace agentctl
