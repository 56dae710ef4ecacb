// agentctl: a command-line client for a running agenthost.
//
//   agentctl [--url URL] [-o json|table] health | ready | agents | agent NAME
//   agentctl ... plugins [list] | plugins reload NAME
//   agentctl ... runs list [--status S] [--agent A] [--thread T] [--limit N] [--cursor C]
//   agentctl ... runs get|cancel|events|follow RUN_ID
//   agentctl ... invoke AGENT|auto TASK [--context JSON] [--thread ID] [--follow]
//   agentctl ... status THREAD | approvals | approve|reject THREAD [--comment TEXT] [--approver NAME]
//   agentctl ... workflows get ID | webhooks log ID | webhooks retry DELIVERY_ID
//   agentctl [--url URL | --data-dir DIR | --database-url URL] keys create --name NAME --scopes LIST
//            [--tenant T] [--expires 30d] | keys list | keys revoke ID
//   agentctl [--url URL | --data-dir DIR | --database-url URL] usage [--from YYYY-MM-DD]
//            [--to YYYY-MM-DD] [--group-by key|tenant|agent|day] [--tenant T (offline)]
//   agentctl new-plugin NAME [--lang c|cpp] [--dir DIR]
//   agentctl completion bash
//
// Requests carry $AGENTHOST_API_KEY (or $AGENTHOST_KEY, or --key KEY) as a
// bearer credential. With --data-dir or --database-url, `keys` and `usage`
// work on the database directly (no host needed): that is how the first
// admin key is made.
//
// Prints the host's JSON answer on stdout (-o table: aligned columns).
// Exit status (exit_codes.hpp): 0 success, 1 an error answer or a followed
// run that failed or was cancelled, 2 usage, 3 host unreachable.
#include "completion.hpp"
#include "exit_codes.hpp"
#include "host_client.hpp"
#include "new_plugin.hpp"
#include "offline_keys.hpp"
#include "offline_usage.hpp"
#include "remote_commands.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

namespace {

const char* kUsage =
    "       agentctl [--url URL | --data-dir DIR | --database-url URL] keys create --name NAME\n"
    "                --scopes read,invoke,cancel,approve,admin [--tenant T] [--expires 30d]\n"
    "       agentctl [--url URL | --data-dir DIR | --database-url URL] keys list | keys revoke ID\n"
    "       agentctl [--url URL | --data-dir DIR | --database-url URL] usage [--from YYYY-MM-DD]\n"
    "                [--to YYYY-MM-DD] [--group-by key|tenant|agent|day] [--tenant T (offline only)]\n"
    "       agentctl new-plugin NAME [--lang c|cpp] [--dir DIR]   (a new out-of-tree agent project)\n"
    "       agentctl completion bash   (source it, or install it as bash-completion's 'agentctl')\n"
    "Options for every command: --url URL (default $AGENTHOST_URL or http://127.0.0.1:8000),\n"
    "--key KEY (default $AGENTHOST_API_KEY or $AGENTHOST_KEY), -o json|table, --help.\n"
    "With --data-dir or --database-url, keys are managed (and usage read) in the database directly;\n"
    "the new key is printed once. 'auto' lets the routing supervisors choose the agent.\n"
    "Exit status: 0 success, 1 error answer or failed run, 2 usage, 3 host unreachable.\n";

void print_usage(std::ostream& out, const std::string& group) {
    out << agentctl::help_for(group);
    if (group.empty() || group == "keys" || group == "usage") out << kUsage;
}

std::string key_create_body(const agentctl::KeyOptions& options) {
    rapidjson::Document body(rapidjson::kObjectType);
    auto& allocator = body.GetAllocator();
    body.AddMember("name", rapidjson::Value(options.name.c_str(), allocator), allocator);
    rapidjson::Value scopes(rapidjson::kArrayType);
    std::string list = options.scopes;
    size_t start = 0;
    while (start <= list.size()) {
        size_t end = list.find(',', start);
        if (end == std::string::npos) end = list.size();
        std::string scope = list.substr(start, end - start);
        if (!scope.empty()) scopes.PushBack(rapidjson::Value(scope.c_str(), allocator), allocator);
        start = end + 1;
    }
    body.AddMember("scopes", scopes, allocator);
    if (!options.tenant.empty())
        body.AddMember("tenant", rapidjson::Value(options.tenant.c_str(), allocator), allocator);
    if (!options.expires.empty())
        body.AddMember("expires_in", rapidjson::Value(options.expires.c_str(), allocator), allocator);
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    body.Accept(writer);
    return buffer.GetString();
}

}  // namespace

int main(int argc, char** argv) {
    // Works offline and has options of its own.
    if (argc >= 2 && std::string(argv[1]) == "new-plugin")
        return agentctl::new_plugin(std::vector<std::string>(argv + 2, argv + argc));
    const char* env_url = std::getenv("AGENTHOST_URL");
    std::string url = env_url != nullptr ? env_url : "http://127.0.0.1:8000";
    std::string key;
    if (const char* value = std::getenv("AGENTHOST_KEY")) key = value;
    if (const char* value = std::getenv("AGENTHOST_API_KEY")) key = value;
    agentctl::RemoteOptions remote;
    agentctl::KeyOptions key_options;
    agentctl::UsageOptions usage_options;
    std::vector<std::string> words;
    bool help = false;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        std::string* value = arg == "--name"                   ? &key_options.name
                             : arg == "--scopes"               ? &key_options.scopes
                             : arg == "--tenant"               ? &key_options.tenant
                             : arg == "--expires"              ? &key_options.expires
                             : arg == "--data-dir"             ? &key_options.data_dir
                             : arg == "--database-url"         ? &key_options.database_url
                             : arg == "--key"                  ? &key
                             : arg == "--from"                 ? &usage_options.from
                             : arg == "--to"                   ? &usage_options.to
                             : arg == "--group-by"             ? &usage_options.group_by
                             : arg == "--url"                  ? &url
                             : arg == "-o" || arg == "--output" ? &remote.output
                             : arg == "--context"              ? &remote.context
                             : arg == "--thread"               ? &remote.thread
                             : arg == "--comment"              ? &remote.comment
                             : arg == "--approver"             ? &remote.approver
                             : arg == "--status"               ? &remote.status
                             : arg == "--agent"                ? &remote.agent
                             : arg == "--limit"                ? &remote.limit
                             : arg == "--cursor"               ? &remote.cursor
                                                               : nullptr;
        if (value != nullptr) {
            if (i + 1 >= argc) {
                std::cerr << "agentctl: " << arg << " needs a value\n";
                return agentctl::kExitUsage;
            }
            *value = argv[++i];
        } else if (arg == "--follow" || arg == "-f") {
            remote.follow = true;
        } else if (arg == "--help" || arg == "-h") {
            help = true;
        } else if (arg.size() > 1 && arg[0] == '-') {
            std::cerr << "agentctl: unknown option " << arg << "\n";
            return agentctl::kExitUsage;
        } else {
            words.push_back(arg);
        }
    }
    if (help) {
        print_usage(std::cout, words.empty() ? "" : words[0]);
        return agentctl::kExitOk;
    }
    if (words.empty()) {
        print_usage(std::cerr, "");
        return agentctl::kExitUsage;
    }
    const std::string& command = words[0];
    if (command == "completion") {
        if (words.size() == 2 && words[1] == "bash") {
            std::cout << agentctl::bash_completion_script();
            return agentctl::kExitOk;
        }
        std::cerr << "usage: agentctl completion bash\n";
        return agentctl::kExitUsage;
    }
    agentctl::HostClient host(url, key);
    if (agentctl::is_remote_command(words)) return agentctl::run_remote_command(words, remote, host);
    if (command == "usage" && words.size() == 1) {
        usage_options.tenant = key_options.tenant;
        usage_options.data_dir = key_options.data_dir;
        usage_options.database_url = key_options.database_url;
        if (!usage_options.data_dir.empty() || !usage_options.database_url.empty())
            return agentctl::offline_usage(usage_options);
        if (!usage_options.tenant.empty()) {
            std::cerr << "agentctl: --tenant applies offline only; the host shows a key its own tenant's usage\n";
            return agentctl::kExitUsage;
        }
        return agentctl::print_body(host.get("/usage" + agentctl::usage_query(usage_options)));
    }
    if (command == "keys" && words.size() >= 2) {
        if (!key_options.data_dir.empty() || !key_options.database_url.empty())
            return agentctl::offline_keys(words, key_options);
        if (words[1] == "list" && words.size() == 2) return agentctl::print_body(host.get("/admin/keys"));
        if (words[1] == "create" && words.size() == 2)
            return agentctl::print_body(host.post("/admin/keys", key_create_body(key_options)));
        if (words[1] == "revoke" && words.size() == 3)
            return agentctl::print_body(host.remove("/admin/keys/" + words[2]));
    }
    print_usage(std::cerr, command);
    return agentctl::kExitUsage;
}
