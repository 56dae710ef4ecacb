// agentctl: a command-line client for a running agenthost.
//
//   agentctl [--url URL] health | ready | agents | agent NAME | plugins
//   agentctl [--url URL] invoke AGENT|auto TASK [--context JSON] [--thread ID]
//   agentctl [--url URL] status THREAD
//   agentctl [--url URL] approve|reject THREAD [--comment TEXT] [--approver NAME]
//   agentctl [--url URL | --data-dir DIR | --database-url URL] keys create --name NAME --scopes LIST
//            [--tenant T] [--expires 30d] | keys list | keys revoke ID
//   agentctl [--url URL | --data-dir DIR | --database-url URL] usage [--from YYYY-MM-DD]
//            [--to YYYY-MM-DD] [--group-by key|tenant|agent|day] [--tenant T (offline)]
//   agentctl new-plugin NAME [--lang c|cpp] [--dir DIR]
//
// Requests carry $AGENTHOST_KEY (or --key KEY) as a bearer credential. With
// --data-dir or --database-url, `keys` and `usage` work on the database
// directly (no host needed): that is how the first admin key is made.
//
// Prints the host's JSON answer on stdout. Exit status: 0 for a 2xx answer,
// 1 for any other answer (the error envelope is printed), 2 for usage or
// connection errors.
#include "new_plugin.hpp"
#include "offline_keys.hpp"
#include "offline_usage.hpp"

#include <curl/curl.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

namespace {

const char* kUsage =
    "usage: agentctl [--url URL] health | ready | agents | agent NAME | plugins | plugins reload NAME\n"
    "       agentctl [--url URL] invoke AGENT|auto TASK [--context JSON] [--thread ID]\n"
    "       agentctl [--url URL] status THREAD\n"
    "       agentctl [--url URL] approve|reject THREAD [--comment TEXT] [--approver NAME]\n"
    "       agentctl [--url URL | --data-dir DIR | --database-url URL] keys create --name NAME\n"
    "                --scopes read,invoke,cancel,approve,admin [--tenant T] [--expires 30d]\n"
    "       agentctl [--url URL | --data-dir DIR | --database-url URL] keys list | keys revoke ID\n"
    "       agentctl [--url URL | --data-dir DIR | --database-url URL] usage [--from YYYY-MM-DD]\n"
    "                [--to YYYY-MM-DD] [--group-by key|tenant|agent|day] [--tenant T (offline only)]\n"
    "       agentctl new-plugin NAME [--lang c|cpp] [--dir DIR]   (a new out-of-tree agent project)\n"
    "Requests send $AGENTHOST_KEY (or --key KEY) as 'Authorization: Bearer'. With --data-dir or\n"
    "--database-url, keys are managed (and usage read) in the database directly; the new key is\n"
    "printed once.\n"
    "'auto' lets the routing supervisors choose the agent.\n"
    "URL defaults to $AGENTHOST_URL or http://127.0.0.1:8000\n";

size_t collect(char* data, size_t size, size_t count, void* out) {
    static_cast<std::string*>(out)->append(data, size * count);
    return size * count;
}

std::string g_key;  // the credential sent with every request

int request(const std::string& method, const std::string& url, const std::string& body) {
    CURL* curl = curl_easy_init();
    std::string response;
    curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
    if (!g_key.empty()) headers = curl_slist_append(headers, ("Authorization: Bearer " + g_key).c_str());
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    if (method == "POST") {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    }
    CURLcode code = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    if (code != CURLE_OK) {
        std::cerr << "agentctl: " << url << ": " << curl_easy_strerror(code) << "\n";
        return 2;
    }
    std::cout << response << "\n";
    return status >= 200 && status < 300 ? 0 : 1;
}

std::string invoke_body(const std::string& agent, const std::string& task, const std::string& context,
                        const std::string& thread) {
    rapidjson::Document body(rapidjson::kObjectType);
    auto& allocator = body.GetAllocator();
    if (agent == "auto") body.AddMember("agent_name", rapidjson::Value(), allocator);  // routed
    else body.AddMember("agent_name", rapidjson::Value(agent.c_str(), allocator), allocator);
    body.AddMember("task", rapidjson::Value(task.c_str(), allocator), allocator);
    if (!context.empty()) {
        rapidjson::Document parsed;
        parsed.Parse(context.c_str());
        if (parsed.HasParseError() || !parsed.IsObject()) {
            std::cerr << "agentctl: --context must be a JSON object\n";
            std::exit(2);
        }
        body.AddMember("context", rapidjson::Value(parsed, allocator), allocator);
    }
    if (!thread.empty()) body.AddMember("thread_id", rapidjson::Value(thread.c_str(), allocator), allocator);
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    body.Accept(writer);
    return buffer.GetString();
}

std::string decision_body(bool approved, const std::string& comment, const std::string& approver) {
    rapidjson::Document body(rapidjson::kObjectType);
    auto& allocator = body.GetAllocator();
    body.AddMember("approved", approved, allocator);
    if (!comment.empty()) body.AddMember("comment", rapidjson::Value(comment.c_str(), allocator), allocator);
    if (!approver.empty()) body.AddMember("approver", rapidjson::Value(approver.c_str(), allocator), allocator);
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    body.Accept(writer);
    return buffer.GetString();
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
    std::string context, thread, comment, approver;
    if (const char* key = std::getenv("AGENTHOST_KEY")) g_key = key;
    agentctl::KeyOptions key_options;
    agentctl::UsageOptions usage_options;
    std::vector<std::string> words;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        std::string* key_option = arg == "--name"           ? &key_options.name
                                  : arg == "--scopes"       ? &key_options.scopes
                                  : arg == "--tenant"       ? &key_options.tenant
                                  : arg == "--expires"      ? &key_options.expires
                                  : arg == "--data-dir"     ? &key_options.data_dir
                                  : arg == "--database-url" ? &key_options.database_url
                                  : arg == "--key"          ? &g_key
                                  : arg == "--from"         ? &usage_options.from
                                  : arg == "--to"           ? &usage_options.to
                                  : arg == "--group-by"     ? &usage_options.group_by
                                                            : nullptr;
        if (key_option != nullptr && i + 1 < argc) {
            *key_option = argv[++i];
        } else if ((arg == "--url" || arg == "--context" || arg == "--thread" || arg == "--comment" ||
                    arg == "--approver") &&
                   i + 1 < argc) {
            (arg == "--url"       ? url
             : arg == "--context" ? context
             : arg == "--thread"  ? thread
             : arg == "--comment" ? comment
                                  : approver) = argv[++i];
        } else if (arg == "--help" || arg == "-h") {
            std::cout << kUsage;
            return 0;
        } else {
            words.push_back(arg);
        }
    }
    while (!url.empty() && url.back() == '/') url.pop_back();
    if (words.empty()) {
        std::cerr << kUsage;
        return 2;
    }
    const std::string& command = words[0];
    if (command == "usage" && words.size() == 1) {
        usage_options.tenant = key_options.tenant;
        usage_options.data_dir = key_options.data_dir;
        usage_options.database_url = key_options.database_url;
        if (!usage_options.data_dir.empty() || !usage_options.database_url.empty())
            return agentctl::offline_usage(usage_options);
        if (!usage_options.tenant.empty()) {
            std::cerr << "agentctl: --tenant applies offline only; the host shows a key its own tenant's usage\n";
            return 2;
        }
        curl_global_init(CURL_GLOBAL_DEFAULT);
        return request("GET", url + "/usage" + agentctl::usage_query(usage_options), "");
    }
    if (command == "keys" && words.size() >= 2) {
        if (!key_options.data_dir.empty() || !key_options.database_url.empty())
            return agentctl::offline_keys(words, key_options);
        curl_global_init(CURL_GLOBAL_DEFAULT);
        if (words[1] == "list" && words.size() == 2) return request("GET", url + "/admin/keys", "");
        if (words[1] == "create" && words.size() == 2)
            return request("POST", url + "/admin/keys", key_create_body(key_options));
        if (words[1] == "revoke" && words.size() == 3) return request("DELETE", url + "/admin/keys/" + words[2], "");
        std::cerr << kUsage;
        return 2;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (words.size() == 1 && (command == "health" || command == "ready" || command == "agents" || command == "plugins"))
        return request("GET", url + "/" + command, "");
    if (words.size() == 2 && command == "agent") return request("GET", url + "/agents/" + words[1], "");
    if (words.size() == 3 && command == "plugins" && words[1] == "reload")
        return request("POST", url + "/plugins/" + words[2] + "/reload", "");
    if (words.size() == 3 && command == "invoke")
        return request("POST", url + "/agent/invoke", invoke_body(words[1], words[2], context, thread));
    if (words.size() == 2 && command == "status") return request("GET", url + "/workflow/status/" + words[1], "");
    if (words.size() == 2 && (command == "approve" || command == "reject"))
        return request("POST", url + "/workflow/approve/" + words[1], decision_body(command == "approve", comment, approver));
    std::cerr << kUsage;
    return 2;
}
