// How threads, their memory and their checkpoints look in responses, and
// the checks their request bodies share.
#pragma once

#include "api/json_writer.hpp"
#include "store/thread_records.hpp"
#include "store/thread_repository.hpp"

#include <rapidjson/document.h>

#include <string>

namespace agenthost::api {

// Most bytes a thread's metadata may take as JSON text.
inline constexpr size_t kMaxThreadMetadataBytes = 64 * 1024;

// The thread's members (thread_id, status, metadata, checkpoint_id,
// created_at, updated_at), written inside an object the caller opened.
void write_thread_fields(JsonWriter& out, const store::ThreadRecord& thread);
// A thread object; with `values`, its memory under "values".
void write_thread(JsonWriter& out, const store::ThreadRecord& thread, const store::ThreadValues* values = nullptr);
// {"key": value, ...} from values stored as JSON text.
void write_values(JsonWriter& out, const store::ThreadValues& values);
void write_checkpoint(JsonWriter& out, const store::Checkpoint& checkpoint);

// The body's "metadata" as JSON text ("{}" when absent); 422 naming
// /metadata when it is too large.
std::string metadata_from(const rapidjson::Value& body, const std::string& fallback = "{}");

}  // namespace agenthost::api
