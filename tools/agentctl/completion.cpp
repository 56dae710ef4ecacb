#include "completion.hpp"

namespace agentctl {

// Completes commands and sub-commands, options, -o's values, and plugin and
// agent names from the host (AGENTHOST_URL) when one answers quickly.
const char* bash_completion_script() {
    return R"BASH(# bash completion for agentctl: source it, or install it as
# /usr/share/bash-completion/completions/agentctl
_agentctl_names() {
    local url="${AGENTHOST_URL:-http://127.0.0.1:8000}"
    agentctl --url "$url" -o table "$1" 2>/dev/null | awk 'NR > 1 {print $1}'
}
_agentctl() {
    local cur prev words cword
    _init_completion 2>/dev/null || {
        cur="${COMP_WORDS[COMP_CWORD]}"; prev="${COMP_WORDS[COMP_CWORD-1]}"
        words=("${COMP_WORDS[@]}"); cword=$COMP_CWORD
    }
    local commands="health ready agents agent plugins runs invoke status approve reject approvals workflows webhooks keys usage new-plugin completion"
    local options="--url --key -o --output --help --context --thread --follow --comment --approver --status --agent --limit --cursor --data-dir --database-url --name --scopes --tenant --expires --from --to --group-by"
    case "$prev" in
        -o|--output) COMPREPLY=($(compgen -W "json table" -- "$cur")); return ;;
        --status) COMPREPLY=($(compgen -W "queued blocked running pending_approval succeeded failed cancelled" -- "$cur")); return ;;
        --group-by) COMPREPLY=($(compgen -W "key tenant agent day" -- "$cur")); return ;;
        --lang) COMPREPLY=($(compgen -W "c cpp" -- "$cur")); return ;;
        --url|--key|--context|--thread|--comment|--approver|--limit|--cursor|--agent|--data-dir|--database-url|--name|--scopes|--tenant|--expires|--from|--to|--dir) return ;;
    esac
    if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "$options" -- "$cur")); return; fi
    local command="" sub="" i
    for ((i = 1; i < cword; i++)); do
        case "${words[i]}" in
            -o|--output|--url|--key|--context|--thread|--comment|--approver|--status|--agent|--limit|--cursor|--data-dir|--database-url|--name|--scopes|--tenant|--expires|--from|--to|--group-by|--lang|--dir) ((i++)) ;;
            -*) ;;
            *) if [[ -z "$command" ]]; then command="${words[i]}"; elif [[ -z "$sub" ]]; then sub="${words[i]}"; fi ;;
        esac
    done
    case "$command" in
        "") COMPREPLY=($(compgen -W "$commands" -- "$cur")) ;;
        runs) [[ -z "$sub" ]] && COMPREPLY=($(compgen -W "list get cancel events follow" -- "$cur")) ;;
        plugins)
            if [[ -z "$sub" ]]; then COMPREPLY=($(compgen -W "list reload" -- "$cur"))
            elif [[ "$sub" == reload ]]; then COMPREPLY=($(compgen -W "$(_agentctl_names plugins)" -- "$cur")); fi ;;
        agent|invoke) [[ -z "$sub" ]] && COMPREPLY=($(compgen -W "$(_agentctl_names agents) auto" -- "$cur")) ;;
        workflows) [[ -z "$sub" ]] && COMPREPLY=($(compgen -W "get" -- "$cur")) ;;
        webhooks) [[ -z "$sub" ]] && COMPREPLY=($(compgen -W "log retry" -- "$cur")) ;;
        keys) [[ -z "$sub" ]] && COMPREPLY=($(compgen -W "create list revoke" -- "$cur")) ;;
        completion) [[ -z "$sub" ]] && COMPREPLY=($(compgen -W "bash" -- "$cur")) ;;
    esac
}
complete -F _agentctl agentctl
)BASH";
}

}  // namespace agentctl
