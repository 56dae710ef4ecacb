#include "remote_commands.hpp"

#include "exit_codes.hpp"
#include "table.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdio>
#include <iostream>
#include <map>
#include <thread>

namespace agentctl {
namespace {

const std::map<std::string, std::string>& help_texts() {
    static const std::map<std::string, std::string> texts = {
        {"runs",
         "agentctl runs list [--status S] [--agent A] [--thread T] [--limit N] [--cursor C]\n"
         "agentctl runs get RUN_ID | runs cancel RUN_ID | runs events RUN_ID\n"
         "agentctl runs follow RUN_ID   prints the run's events as they happen, with a progress line,\n"
         "                              and exits 0 if it succeeds, 1 if it fails or is cancelled\n"},
        {"invoke",
         "agentctl invoke AGENT|auto TASK [--context JSON] [--thread ID] [--follow]\n"
         "  without --follow: a synchronous invoke (POST /agent/invoke); with it: the run is queued\n"
         "  (POST /runs) and followed like `runs follow`. 'auto' lets the supervisors choose the agent.\n"},
        {"approvals", "agentctl approvals   runs waiting for a person's approval (what, why, until when)\n"},
        {"approve", "agentctl approve|reject THREAD [--comment TEXT] [--approver NAME]\n"},
        {"status", "agentctl status THREAD   a thread's workflow status (seed 000's /workflow/status)\n"},
        {"workflows", "agentctl workflows get WORKFLOW_ID   a DAG workflow and its steps\n"},
        {"plugins", "agentctl plugins [list]   loaded and failed plugins, why, isolation\n"
                    "agentctl plugins reload NAME   load a new build of a plugin\n"},
        {"webhooks", "agentctl webhooks log ID   deliveries of a request or run, with attempts\n"
                     "agentctl webhooks retry DELIVERY_ID\n"},
        {"agents", "agentctl agents | agent NAME\n"},
        {"health", "agentctl health | ready\n"},
    };
    return texts;
}

bool parse(const std::string& text, rapidjson::Document& document) {
    document.Parse(text.c_str(), text.size());
    return !document.HasParseError();
}

std::string compact(const rapidjson::Value& value) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    value.Accept(writer);
    return buffer.GetString();
}

// Prints an answer: JSON as the host sent it, or a table of `rows_member`
// (an array in the answer) with `columns`; an object without them is
// printed as member / value lines. Error envelopes print as they came.
int print_answer(const Answer& answer, const RemoteOptions& options, const std::string& rows_member = "",
                 const std::vector<Column>& columns = {}) {
    rapidjson::Document document;
    if (!answer.reached() || options.output != "table" || !answer.ok() || !parse(answer.body, document))
        return print_body(answer);
    if (!columns.empty()) {
        const rapidjson::Value* rows = &document;
        if (!rows_member.empty() && document.IsObject() && document.HasMember(rows_member.c_str()))
            rows = &document[rows_member.c_str()];
        print_table(std::cout, *rows, columns);
        if (document.IsObject() && document.HasMember("next_cursor") && document["next_cursor"].IsString())
            std::cout << "next page: --cursor " << document["next_cursor"].GetString() << "\n";
        return kExitOk;
    }
    if (document.IsObject()) {
        rapidjson::Document rows(rapidjson::kArrayType);
        for (const auto& member : document.GetObject()) {
            rapidjson::Value row(rapidjson::kObjectType);
            row.AddMember("field", rapidjson::Value(member.name, rows.GetAllocator()), rows.GetAllocator());
            row.AddMember("value", rapidjson::Value(member.value, rows.GetAllocator()), rows.GetAllocator());
            rows.PushBack(row, rows.GetAllocator());
        }
        print_table(std::cout, rows, {{"FIELD", "field"}, {"VALUE", "value"}});
    } else {
        std::cout << answer.body << "\n";
    }
    return kExitOk;
}

std::string invoke_body(const std::string& agent, const std::string& task, const RemoteOptions& options,
                        std::string& error) {
    rapidjson::Document body(rapidjson::kObjectType);
    auto& allocator = body.GetAllocator();
    if (agent == "auto") body.AddMember("agent_name", rapidjson::Value(), allocator);  // routed
    else body.AddMember("agent_name", rapidjson::Value(agent.c_str(), allocator), allocator);
    body.AddMember("task", rapidjson::Value(task.c_str(), allocator), allocator);
    if (!options.context.empty()) {
        rapidjson::Document parsed;
        if (!parse(options.context, parsed) || !parsed.IsObject()) {
            error = "--context must be a JSON object";
            return "";
        }
        body.AddMember("context", rapidjson::Value(parsed, allocator), allocator);
    }
    if (!options.thread.empty())
        body.AddMember("thread_id", rapidjson::Value(options.thread.c_str(), allocator), allocator);
    return compact(body);
}

std::string decision_body(bool approved, const RemoteOptions& options) {
    rapidjson::Document body(rapidjson::kObjectType);
    auto& allocator = body.GetAllocator();
    body.AddMember("approved", approved, allocator);
    if (!options.comment.empty()) body.AddMember("comment", rapidjson::Value(options.comment.c_str(), allocator), allocator);
    if (!options.approver.empty())
        body.AddMember("approver", rapidjson::Value(options.approver.c_str(), allocator), allocator);
    return compact(body);
}

// One event as a line: "#seq type summary"; progress as a bar.
void print_event(const rapidjson::Value& event) {
    std::string type = event.HasMember("type") && event["type"].IsString() ? event["type"].GetString() : "?";
    long long seq = event.HasMember("seq") && event["seq"].IsInt64() ? event["seq"].GetInt64() : 0;
    const rapidjson::Value* data = event.HasMember("data") ? &event["data"] : nullptr;
    if (type == "agent.progress" && data != nullptr && data->IsObject()) {
        std::string message = data->HasMember("message") ? cell_text(&(*data)["message"]) : "";
        if (data->HasMember("fraction") && (*data)["fraction"].IsNumber()) {
            double fraction = (*data)["fraction"].GetDouble();
            int filled = static_cast<int>(fraction * 20 + 0.5);
            if (filled < 0) filled = 0;
            if (filled > 20) filled = 20;
            char percent[16];
            std::snprintf(percent, sizeof percent, "%3d%%", static_cast<int>(fraction * 100 + 0.5));
            std::cout << "#" << seq << " [" << std::string(filled, '#') << std::string(20 - filled, '.') << "] "
                      << percent << " " << message << "\n";
            return;
        }
        std::cout << "#" << seq << " progress: " << message << "\n";
        return;
    }
    std::cout << "#" << seq << " " << type << (data != nullptr && !data->IsNull() ? " " + cell_text(data) : "") << "\n";
}

bool is_final_event(const std::string& type) {
    return type == "run.succeeded" || type == "run.failed" || type == "run.cancelled";
}

// Follows a run's event log (long polls of GET /runs/{id}/events) until it
// ends, then prints its outcome.
int follow_run(const std::string& run_id, const RemoteOptions& options, const HostClient& host) {
    long long next = 0;
    for (;;) {
        Answer answer = host.get("/runs/" + query_escape(run_id) + "/events?since_index=" + std::to_string(next) + "&wait=25");
        if (!answer.reached()) {
            std::cerr << "agentctl: " << answer.error << "\n";
            return kExitUnreachable;
        }
        rapidjson::Document page;
        if (!answer.ok() || !parse(answer.body, page) || !page.IsObject()) {
            std::cout << answer.body << "\n";
            return kExitFailed;
        }
        bool ended = false;
        if (page.HasMember("events") && page["events"].IsArray()) {
            for (const auto& event : page["events"].GetArray()) {
                if (options.output == "json") std::cout << compact(event) << "\n";
                else print_event(event);
                if (event.HasMember("type") && event["type"].IsString() && is_final_event(event["type"].GetString()))
                    ended = true;
            }
        }
        std::cout.flush();
        if (page.HasMember("next_index") && page["next_index"].IsInt64()) next = page["next_index"].GetInt64();
        if (ended) break;
    }
    Answer final_answer = host.get("/runs/" + query_escape(run_id));
    rapidjson::Document run;
    if (!final_answer.reached() || !parse(final_answer.body, run) || !run.IsObject() || !run.HasMember("status")) {
        std::cerr << "agentctl: could not read the run's outcome\n";
        return final_answer.reached() ? kExitFailed : kExitUnreachable;
    }
    std::string status = cell_text(&run["status"]);
    if (options.output == "json") {
        std::cout << final_answer.body << "\n";
    } else {
        std::cout << "run " << run_id << " " << status;
        if (run.HasMember("error") && run["error"].IsString()) std::cout << ": " << run["error"].GetString();
        std::cout << "\n";
    }
    return status == "succeeded" ? kExitOk : kExitFailed;
}

int usage_error(const std::string& group) {
    std::cerr << help_for(group);
    return kExitUsage;
}

int runs_command(const std::vector<std::string>& words, const RemoteOptions& options, const HostClient& host) {
    const std::string sub = words.size() >= 2 ? words[1] : "";
    if (sub == "list" && words.size() == 2) {
        std::string query;
        auto add = [&](const char* name, const std::string& value) {
            if (!value.empty()) query += (query.empty() ? "?" : "&") + std::string(name) + "=" + query_escape(value);
        };
        add("status", options.status);
        add("agent", options.agent);
        add("thread_id", options.thread);
        add("limit", options.limit);
        add("cursor", options.cursor);
        return print_answer(host.get("/runs" + query), options, "runs",
                            {{"RUN_ID", "run_id"}, {"AGENT", "agent"}, {"STATUS", "status"}, {"THREAD", "thread_id"},
                             {"CREATED", "created_at"}, {"SECONDS", "duration_seconds"}});
    }
    if (words.size() != 3) return usage_error("runs");
    const std::string path = "/runs/" + query_escape(words[2]);
    if (sub == "get") return print_answer(host.get(path), options);
    if (sub == "cancel") return print_answer(host.post(path + "/cancel", ""), options);
    if (sub == "events")
        return print_answer(host.get(path + "/events"), options, "events",
                            {{"SEQ", "seq"}, {"TYPE", "type"}, {"AT", "ts"}, {"DATA", "data"}});
    if (sub == "follow") return follow_run(words[2], options, host);
    return usage_error("runs");
}

int invoke_command(const std::vector<std::string>& words, const RemoteOptions& options, const HostClient& host) {
    if (words.size() != 3) return usage_error("invoke");
    std::string error;
    std::string body = invoke_body(words[1], words[2], options, error);
    if (!error.empty()) {
        std::cerr << "agentctl: " << error << "\n";
        return kExitUsage;
    }
    if (!options.follow) return print_answer(host.post("/agent/invoke", body), options);
    Answer accepted = host.post("/runs", body);
    rapidjson::Document run;
    if (!accepted.reached() || !accepted.ok() || !parse(accepted.body, run) || !run.HasMember("run_id"))
        return print_answer(accepted, options);
    std::string run_id = run["run_id"].GetString();
    if (options.output != "json") std::cout << "run " << run_id << " queued\n";
    return follow_run(run_id, options, host);
}

}  // namespace

std::string help_for(const std::string& group) {
    auto found = help_texts().find(group == "reject" ? "approve" : group == "agent" ? "agents" : group == "ready" ? "health" : group);
    if (found != help_texts().end()) return "usage: " + found->second;
    std::string all = "usage:\n";
    for (const auto& [name, text] : help_texts()) all += text;
    return all;
}

bool is_remote_command(const std::vector<std::string>& words) {
    static const char* names[] = {"health", "ready", "agents", "agent", "plugins", "runs", "invoke", "status",
                                  "approve", "reject", "approvals", "workflows", "webhooks"};
    if (words.empty()) return false;
    for (const char* name : names)
        if (words[0] == name) return true;
    return false;
}

int run_remote_command(const std::vector<std::string>& words, const RemoteOptions& options, const HostClient& host) {
    const std::string& command = words[0];
    if (options.output != "json" && options.output != "table") {
        std::cerr << "agentctl: -o must be json or table\n";
        return kExitUsage;
    }
    if (command == "runs") return runs_command(words, options, host);
    if (command == "invoke") return invoke_command(words, options, host);
    if ((command == "health" || command == "ready") && words.size() == 1) return print_answer(host.get("/" + command), options);
    if (command == "agents" && words.size() == 1) {
        Answer answer = host.get("/agents");
        rapidjson::Document listing;
        if (options.output != "table" || !answer.ok() || !parse(answer.body, listing) || !listing.HasMember("agents"))
            return print_answer(answer, options);
        // {"agents": [names], "descriptions": {name: text}} as rows.
        rapidjson::Document rows(rapidjson::kArrayType);
        for (const auto& name : listing["agents"].GetArray()) {
            rapidjson::Value row(rapidjson::kObjectType);
            row.AddMember("name", rapidjson::Value(name, rows.GetAllocator()), rows.GetAllocator());
            std::string description;
            if (listing.HasMember("descriptions") && listing["descriptions"].HasMember(name.GetString()))
                description = cell_text(&listing["descriptions"][name.GetString()]);
            if (description.size() > 70) description = description.substr(0, 67) + "...";
            row.AddMember("description", rapidjson::Value(description.c_str(), rows.GetAllocator()), rows.GetAllocator());
            rows.PushBack(row, rows.GetAllocator());
        }
        print_table(std::cout, rows, {{"NAME", "name"}, {"DESCRIPTION", "description"}});
        return kExitOk;
    }
    if (command == "agent" && words.size() == 2) return print_answer(host.get("/agents/" + query_escape(words[1])), options);
    if (command == "plugins" && (words.size() == 1 || (words.size() == 2 && words[1] == "list")))
        return print_answer(host.get("/plugins"), options, "plugins",
                            {{"NAME", "name"}, {"STATE", "state"}, {"ISOLATION", "isolation"}, {"VERSION", "version"},
                             {"ABI", "abi_version"}, {"PID", "runner_pid"}, {"REASON", "reason"}});
    if (command == "plugins" && words.size() == 3 && words[1] == "reload")
        return print_answer(host.post("/plugins/" + query_escape(words[2]) + "/reload", ""), options);
    if (command == "status" && words.size() == 2)
        return print_answer(host.get("/workflow/status/" + query_escape(words[1])), options);
    if ((command == "approve" || command == "reject") && words.size() == 2)
        return print_answer(host.post("/workflow/approve/" + query_escape(words[1]), decision_body(command == "approve", options)),
                            options);
    if (command == "approvals" && words.size() == 1)
        return print_answer(host.get("/runs?status=pending_approval&limit=200"), options, "runs",
                            {{"RUN_ID", "run_id"}, {"AGENT", "agent"}, {"THREAD", "thread_id"},
                             {"OPERATION", "approval.operation"}, {"WHY", "approval.reason"},
                             {"EXPIRES", "approval.expires_at"}});
    if (command == "workflows" && words.size() == 3 && words[1] == "get")
        return print_answer(host.get("/workflows/" + query_escape(words[2])), options, "steps",
                            {{"STEP", "id"}, {"AGENT", "agent"}, {"STATUS", "status"}, {"RUN_ID", "run_id"}});
    if (command == "webhooks" && words.size() == 3 && words[1] == "log")
        return print_answer(host.get("/api/v1/webhook-logs/" + query_escape(words[2])), options, "deliveries",
                            {{"DELIVERY", "delivery_id"}, {"EVENT", "event_type"}, {"URL", "url"}, {"STATUS", "status"},
                             {"ATTEMPTS", "attempts"}});
    if (command == "webhooks" && words.size() == 3 && words[1] == "retry")
        return print_answer(host.post("/api/v1/webhook/retry/" + query_escape(words[2]), ""), options);
    return usage_error(command);
}

}  // namespace agentctl
