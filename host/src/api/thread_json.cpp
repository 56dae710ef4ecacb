#include "api/thread_json.hpp"

#include "http/api_error.hpp"
#include "json/json_util.hpp"
#include "util/time_format.hpp"

namespace agenthost::api {

void write_thread_fields(JsonWriter& out, const store::ThreadRecord& thread) {
    out.field("thread_id", thread.id);
    out.field("status", thread.status);
    out.raw_field("metadata", thread.metadata_json.empty() ? "{}" : thread.metadata_json);
    out.key("checkpoint_id");
    out->Int64(thread.checkpoint);
    out.field("created_at", iso8601_ms(thread.created_at_ms));
    out.field("updated_at", iso8601_ms(thread.updated_at_ms));
}

void write_thread(JsonWriter& out, const store::ThreadRecord& thread, const store::ThreadValues* values) {
    out->StartObject();
    write_thread_fields(out, thread);
    if (values != nullptr) {
        out.key("values");
        write_values(out, *values);
    }
    out->EndObject();
}

void write_values(JsonWriter& out, const store::ThreadValues& values) {
    out->StartObject();
    // Stored values were checked to be JSON when written (by the host API
    // for plugins, by the request's schema for clients).
    for (const auto& [key, value] : values) {
        out.key(key);
        out.raw(value);
    }
    out->EndObject();
}

void write_checkpoint(JsonWriter& out, const store::Checkpoint& checkpoint) {
    out->StartObject();
    out.key("checkpoint_id");
    out->Int64(checkpoint.id);
    out.field("created_at", iso8601_ms(checkpoint.at_ms));
    out.key("run_id");
    if (checkpoint.author.run_id.empty()) out->Null();
    else out.string(checkpoint.author.run_id);
    out.key("actor");
    if (checkpoint.author.actor.empty()) out->Null();
    else out.string(checkpoint.author.actor);
    out.key("keys");
    out->StartArray();
    for (const auto& write : checkpoint.writes) out.string(write.first);
    out->EndArray();
    out.key("writes");
    write_values(out, checkpoint.writes);
    out->EndObject();
}

std::string metadata_from(const rapidjson::Value& body, const std::string& fallback) {
    const rapidjson::Value* metadata = json::get_member(body, "metadata");
    if (metadata == nullptr || metadata->IsNull()) return fallback;
    std::string text = json::serialize(*metadata);
    if (text.size() > kMaxThreadMetadataBytes)
        throw http::ApiError(422, "ValidationError",
                             "metadata is " + std::to_string(text.size()) + " bytes as JSON; at most " +
                                 std::to_string(kMaxThreadMetadataBytes) + " are kept",
                             {{"/metadata", "at most " + std::to_string(kMaxThreadMetadataBytes) + " bytes as JSON"}});
    return text;
}

}  // namespace agenthost::api
