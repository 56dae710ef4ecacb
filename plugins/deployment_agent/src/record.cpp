#include "record.hpp"

#include "devkit/kept_json.hpp"

namespace deploy {
namespace {

using Document = rapidjson::Document;
using Value = rapidjson::Value;

const char kRecordsKey[] = "deployment_agent/records";

std::string text_of(const Value& object, const char* name) {
    auto found = object.IsObject() ? object.FindMember(name) : object.MemberEnd();
    return object.IsObject() && found != object.MemberEnd() && found->value.IsString() ? found->value.GetString() : "";
}

}  // namespace

Document load_records(const agenthost::Run& run) {
    return devkit::kept_object(run.memory_get(kRecordsKey), "records", rapidjson::kArrayType);
}

Document record_deployment(const agenthost::Run& run, const Request& request, const Outcome& outcome,
                           const Config& config) {
    Document record(rapidjson::kObjectType);
    auto& allocator = record.GetAllocator();
    auto text = [&](const std::string& value) { return agenthost::json::string(value, allocator); };
    record.AddMember("run_id", text(std::string(run.run_id())), allocator);
    record.AddMember("service", text(request.service), allocator);
    record.AddMember("image", text(request.image), allocator);
    record.AddMember("strategy", text(request.strategy), allocator);
    record.AddMember("tool", text(request.tool), allocator);
    record.AddMember("outcome", text(outcome.status), allocator);
    if (!outcome.error.empty()) record.AddMember("error", text(outcome.error), allocator);
    record.AddMember("started_at", text(text_of(outcome.progress, "started_at")), allocator);
    record.AddMember("finished_at", text(now_iso8601()), allocator);
    const Value& statuses = outcome.progress["environments"];
    const Value& facts = outcome.progress["facts"];
    Value environments(rapidjson::kArrayType);
    for (const auto& environment : request.environments) {
        Value entry(rapidjson::kObjectType);
        entry.AddMember("name", text(environment.name), allocator);
        entry.AddMember("namespace", text(environment.namespace_), allocator);
        entry.AddMember("production", environment.production, allocator);
        std::string status = text_of(statuses, environment.name.c_str());
        entry.AddMember("status", text(status.empty() ? "not_reached" : status), allocator);
        // What was there before (what a rollback restores).
        Value before(rapidjson::kObjectType);
        const std::string prefix = environment.name + ".";
        for (const auto& fact : facts.GetObject()) {
            std::string name = fact.name.GetString();
            if (name.compare(0, prefix.size(), prefix) == 0 && fact.value.IsString())
                before.AddMember(text(name.substr(prefix.size())), text(fact.value.GetString()), allocator);
        }
        entry.AddMember("before", before, allocator);
        environments.PushBack(entry, allocator);
    }
    record.AddMember("environments", environments, allocator);

    Document all = load_records(run);
    Value& list = all["records"];
    // A run resumed after a crash records once.
    for (auto item = list.Begin(); item != list.End();)
        item = text_of(*item, "run_id") == run.run_id() ? list.Erase(item) : item + 1;
    Value copy(record, all.GetAllocator());
    list.PushBack(copy, all.GetAllocator());
    // Newest first: move the new one to the front, then cut the oldest.
    for (rapidjson::SizeType i = list.Size() - 1; i > 0; --i) list[i].Swap(list[i - 1]);
    while (list.Size() > static_cast<rapidjson::SizeType>(config.max_records)) list.PopBack();
    run.memory_put(kRecordsKey, agenthost::json::serialize(all));
    return record;
}

Document currently_deployed(const Value& records) {
    Document current(rapidjson::kObjectType);
    auto& allocator = current.GetAllocator();
    // Oldest first, so newer deployments overwrite older ones.
    for (rapidjson::SizeType i = records.Size(); i-- > 0;) {
        const Value& record = records[i];
        std::string service = text_of(record, "service");
        if (service.empty() || !record.HasMember("environments") || !record["environments"].IsArray()) continue;
        if (!current.HasMember(service.c_str()))
            current.AddMember(agenthost::json::string(service, allocator), Value(rapidjson::kObjectType), allocator);
        Value& by_environment = current[service.c_str()];
        for (const auto& environment : record["environments"].GetArray()) {
            if (text_of(environment, "status") != "deployed") continue;
            std::string name = text_of(environment, "name");
            Value entry(rapidjson::kObjectType);
            entry.AddMember("image", agenthost::json::string(text_of(record, "image"), allocator), allocator);
            entry.AddMember("run_id", agenthost::json::string(text_of(record, "run_id"), allocator), allocator);
            entry.AddMember("deployed_at", agenthost::json::string(text_of(record, "finished_at"), allocator), allocator);
            by_environment.RemoveMember(name.c_str());
            by_environment.AddMember(agenthost::json::string(name, allocator), entry, allocator);
        }
    }
    return current;
}

}  // namespace deploy
