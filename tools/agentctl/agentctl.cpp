// agentctl: a command-line client for a running agenthost.
//
//   agentctl [--url URL] health | ready | agents | agent NAME | plugins
//   agentctl [--url URL] invoke AGENT|auto TASK [--context JSON] [--thread ID]
//   agentctl [--url URL] status THREAD
//   agentctl [--url URL] approve|reject THREAD [--comment TEXT] [--approver NAME]
//
// Prints the host's JSON answer on stdout. Exit status: 0 for a 2xx answer,
// 1 for any other answer (the error envelope is printed), 2 for usage or
// connection errors.
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
    "usage: agentctl [--url URL] health | ready | agents | agent NAME | plugins\n"
    "       agentctl [--url URL] invoke AGENT|auto TASK [--context JSON] [--thread ID]\n"
    "       agentctl [--url URL] status THREAD\n"
    "       agentctl [--url URL] approve|reject THREAD [--comment TEXT] [--approver NAME]\n"
    "'auto' lets the routing supervisors choose the agent.\n"
    "URL defaults to $AGENTHOST_URL or http://127.0.0.1:8000\n";

size_t collect(char* data, size_t size, size_t count, void* out) {
    static_cast<std::string*>(out)->append(data, size * count);
    return size * count;
}

int request(const std::string& method, const std::string& url, const std::string& body) {
    CURL* curl = curl_easy_init();
    std::string response;
    curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response);
    if (method == "POST") {
        curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
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

}  // namespace

int main(int argc, char** argv) {
    const char* env_url = std::getenv("AGENTHOST_URL");
    std::string url = env_url != nullptr ? env_url : "http://127.0.0.1:8000";
    std::string context, thread, comment, approver;
    std::vector<std::string> words;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if ((arg == "--url" || arg == "--context" || arg == "--thread" || arg == "--comment" || arg == "--approver") &&
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
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const std::string& command = words[0];
    if (words.size() == 1 && (command == "health" || command == "ready" || command == "agents" || command == "plugins"))
        return request("GET", url + "/" + command, "");
    if (words.size() == 2 && command == "agent") return request("GET", url + "/agents/" + words[1], "");
    if (words.size() == 3 && command == "invoke")
        return request("POST", url + "/agent/invoke", invoke_body(words[1], words[2], context, thread));
    if (words.size() == 2 && command == "status") return request("GET", url + "/workflow/status/" + words[1], "");
    if (words.size() == 2 && (command == "approve" || command == "reject"))
        return request("POST", url + "/workflow/approve/" + words[1], decision_body(command == "approve", comment, approver));
    std::cerr << kUsage;
    return 2;
}
