#include "api/stream_modes.hpp"

#include "api/query_params.hpp"
#include "api/sse.hpp"
#include "http/api_error.hpp"
#include "json/json_util.hpp"
#include "util/time_format.hpp"

#include <array>

namespace agenthost::api {
namespace {

constexpr std::array<const char*, 6> kModes = {"events", "values", "updates", "messages", "custom", "debug"};

[[noreturn]] void unknown_mode(const std::string& field, const std::string& name) {
    std::string known;
    for (const char* mode : kModes) known += (known.empty() ? "" : ", ") + std::string(mode);
    std::string message = "unknown stream mode '" + name + "' (known: " + known + ")";
    throw http::ApiError(422, "ValidationError", field + ": " + message, {{field, message}});
}

void turn_on(StreamModes& modes, const std::string& name, const std::string& field) {
    if (name == "events") modes.events = true;
    else if (name == "values") modes.values = true;
    else if (name == "updates") modes.updates = true;
    else if (name == "messages" || name == "messages-tuple") modes.messages = true;
    else if (name == "custom") modes.custom = true;
    else if (name == "debug") modes.debug = true;
    else unknown_mode(field, name);
}

// "event: <name>\nid: <seq>\ndata: <json>\n\n"; JSON text holds no raw
// newline, so one data line carries it.
std::string named_frame(const char* name, long long seq, const std::string& data) {
    return std::string("event: ") + name + "\nid: " + std::to_string(seq) + "\ndata: " + data + "\n\n";
}

std::string data_of(const store::RunEvent& event) { return event.data_json.empty() ? "{}" : event.data_json; }

}  // namespace

bool host_event_type(const std::string& type) {
    for (const char* family : {"run.", "llm.", "exec.", "memory.", "approval.", "reflection.", "loop."})
        if (type.rfind(family, 0) == 0) return true;
    return type == "artifact";
}

StreamModes stream_modes_from_query(const http::HttpRequest& request) {
    StreamModes modes;
    if (request.query.count("stream_mode") == 0) return modes;
    const std::string& text = query_value(request, "stream_mode");
    modes.events = false;
    size_t start = 0;
    for (;;) {
        size_t comma = text.find(',', start);
        std::string name = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        turn_on(modes, name, "stream_mode");
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return modes;
}

StreamModes stream_modes_from_body(const rapidjson::Value& body) {
    StreamModes modes;
    const rapidjson::Value* value = json::get_member(body, "stream_mode");
    if (value == nullptr || value->IsNull()) return modes;
    modes.events = false;
    if (value->IsString()) {
        turn_on(modes, value->GetString(), "/stream_mode");
        return modes;
    }
    if (!value->IsArray() || value->Empty())
        throw http::ApiError(422, "ValidationError", "/stream_mode: must be a mode name or a non-empty array of them",
                             {{"/stream_mode", "must be a mode name or a non-empty array of them"}});
    for (rapidjson::SizeType i = 0; i < value->Size(); ++i) {
        std::string field = "/stream_mode/" + std::to_string(i);
        const rapidjson::Value& name = (*value)[i];
        if (!name.IsString()) throw http::ApiError(422, "ValidationError", field + ": must be a string", {{field, "must be a string"}});
        turn_on(modes, name.GetString(), field);
    }
    return modes;
}

std::string StreamFramer::opening() const {
    if (modes_.legacy()) return "";
    rapidjson::Document data(rapidjson::kObjectType);
    auto& allocator = data.GetAllocator();
    data.AddMember("run_id", json::string_value(run_id_, allocator), allocator);
    data.AddMember("thread_id", json::string_value(thread_id_, allocator), allocator);
    data.AddMember("agent", json::string_value(agent_, allocator), allocator);
    return "event: metadata\ndata: " + json::serialize(data) + "\n\n";
}

std::string StreamFramer::frames(const store::RunEvent& event) const {
    std::string out;
    if (modes_.events) out += event_frame(event, thread_id_);
    const std::string& type = event.type;
    if ((modes_.values || modes_.updates) && type == "memory.updated") {
        std::string error;
        auto data = json::parse(data_of(event), error);
        if (data && data->IsObject()) {
            if (modes_.values) {
                const rapidjson::Value* values = json::get_member(*data, "values");
                const rapidjson::Value* checkpoint = json::get_member(*data, "checkpoint_id");
                std::string snapshot = values != nullptr ? json::serialize(*values)
                                       : checkpoint != nullptr && checkpoint->IsInt64() && memory_at_
                                           ? memory_at_(checkpoint->GetInt64())
                                           : "{}";
                out += named_frame("values", event.seq, snapshot);
            }
            if (modes_.updates) {
                rapidjson::Document update(rapidjson::kObjectType);
                auto& allocator = update.GetAllocator();
                rapidjson::Value written(rapidjson::kObjectType);
                const rapidjson::Value* value = json::get_member(*data, "value");
                written.AddMember(json::string_value(json::get_string(*data, "key"), allocator),
                                  value != nullptr ? rapidjson::Value(*value, allocator) : rapidjson::Value(), allocator);
                update.AddMember(json::string_value(agent_, allocator), written, allocator);
                out += named_frame("updates", event.seq, json::serialize(update));
            }
        }
    }
    if (modes_.updates && (type == "run.interrupted" || type == "approval.requested")) {
        // LangGraph's shape for a pause: the question under __interrupt__.
        std::string error;
        auto data = json::parse(data_of(event), error);
        rapidjson::Document update(rapidjson::kObjectType);
        auto& allocator = update.GetAllocator();
        rapidjson::Value pause(rapidjson::kObjectType);
        const rapidjson::Value* asked = data ? json::get_member(*data, "interrupt") : nullptr;
        pause.AddMember("value", asked != nullptr ? rapidjson::Value(*asked, allocator)
                                 : data          ? rapidjson::Value(*data, allocator)
                                                 : rapidjson::Value(rapidjson::kObjectType),
                        allocator);
        pause.AddMember("run_id", json::string_value(run_id_, allocator), allocator);
        pause.AddMember("resumable", true, allocator);
        rapidjson::Value list(rapidjson::kArrayType);
        list.PushBack(pause, allocator);
        update.AddMember("__interrupt__", list, allocator);
        out += named_frame("updates", event.seq, json::serialize(update));
    }
    if (modes_.messages && type == "llm.token") {
        std::string error;
        auto data = json::parse(data_of(event), error);
        rapidjson::Document tuple(rapidjson::kArrayType);
        auto& allocator = tuple.GetAllocator();
        rapidjson::Value chunk(rapidjson::kObjectType);
        chunk.AddMember("type", "AIMessageChunk", allocator);
        chunk.AddMember("content", json::string_value(data ? json::get_string(*data, "token") : "", allocator), allocator);
        chunk.AddMember("id", json::string_value("run-" + run_id_, allocator), allocator);
        rapidjson::Value metadata(rapidjson::kObjectType);
        metadata.AddMember("run_id", json::string_value(run_id_, allocator), allocator);
        metadata.AddMember("thread_id", json::string_value(thread_id_, allocator), allocator);
        metadata.AddMember("agent", json::string_value(agent_, allocator), allocator);
        tuple.PushBack(chunk, allocator);
        tuple.PushBack(metadata, allocator);
        out += named_frame("messages", event.seq, json::serialize(tuple));
    }
    if (modes_.custom && !host_event_type(type)) {
        std::string error;
        auto data = json::parse(data_of(event), error);
        rapidjson::Document custom(rapidjson::kObjectType);
        auto& allocator = custom.GetAllocator();
        custom.AddMember("type", json::string_value(type, allocator), allocator);
        custom.AddMember("data", data ? rapidjson::Value(*data, allocator) : rapidjson::Value(rapidjson::kObjectType),
                         allocator);
        out += named_frame("custom", event.seq, json::serialize(custom));
    }
    if (modes_.debug) {
        std::string error;
        auto data = json::parse(data_of(event), error);
        rapidjson::Document debug(rapidjson::kObjectType);
        auto& allocator = debug.GetAllocator();
        debug.AddMember("type", json::string_value(type, allocator), allocator);
        debug.AddMember("seq", static_cast<int64_t>(event.seq), allocator);
        debug.AddMember("timestamp", json::string_value(iso8601_ms(event.ts_ms), allocator), allocator);
        debug.AddMember("payload", data ? rapidjson::Value(*data, allocator) : rapidjson::Value(rapidjson::kObjectType),
                        allocator);
        out += named_frame("debug", event.seq, json::serialize(debug));
    }
    return out;
}

std::string StreamFramer::closing(const std::string& final_event_type) const {
    if (modes_.legacy()) return done_frame(final_event_type);
    std::string status = final_event_type == "run.succeeded"   ? "complete"
                         : final_event_type == "run.cancelled" ? "cancelled"
                                                               : "failed";
    std::string out = modes_.events ? done_frame(final_event_type) : "";
    return out + "event: end\ndata: {\"status\":\"" + status + "\"}\n\n";
}

}  // namespace agenthost::api
