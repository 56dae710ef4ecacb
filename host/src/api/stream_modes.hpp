// stream_mode on run streams (LangGraph's names): which views of a run's
// event log a stream sends. Every view is cut from the one durable log, so
// each frame carries the id of the event it came from and Last-Event-ID
// resumes every mode alike.
//   events    every event as today's frames (no "event:" line); the default
//   values    the thread's whole memory after each write (memory.updated)
//   updates   each write as {agent: {key: value}}; a pause for a person as
//             {"__interrupt__": [...]}
//   messages  LLM tokens as [chunk, metadata] (llm.token)
//   custom    the agent's own events (callback_run_emit_event)
//   debug     every event wrapped as {"type","seq","timestamp","payload"}
// A stream asking for anything but events alone starts with an
// "event: metadata" frame and ends with "event: end".
#pragma once

#include "http/http_message.hpp"
#include "store/records.hpp"

#include <rapidjson/document.h>

#include <functional>
#include <string>

namespace agenthost::api {

struct StreamModes {
    bool events = true;
    bool values = false;
    bool updates = false;
    bool messages = false;
    bool custom = false;
    bool debug = false;
    // Only today's frames: the stream is exactly what it was before modes.
    bool legacy() const { return events && !values && !updates && !messages && !custom && !debug; }
};

// From the query's stream_mode (one name or several, comma-separated);
// events when absent. Throws ApiError 422 naming an unknown mode.
StreamModes stream_modes_from_query(const http::HttpRequest& request);
// From a body's stream_mode (a name or an array of names).
StreamModes stream_modes_from_body(const rapidjson::Value& body);

// The frames of one run's stream in the modes asked for.
class StreamFramer {
  public:
    // The thread's memory right after a checkpoint, as a JSON object: for
    // writes whose event did not carry the memory (it was too large).
    using MemoryAt = std::function<std::string(long long checkpoint)>;

    StreamFramer(StreamModes modes, std::string run_id, std::string thread_id, std::string agent, MemoryAt memory_at)
        : modes_(modes),
          run_id_(std::move(run_id)),
          thread_id_(std::move(thread_id)),
          agent_(std::move(agent)),
          memory_at_(std::move(memory_at)) {}

    // "event: metadata" with the run and thread ids (not for legacy streams).
    std::string opening() const;
    // The frames one event makes (none when no mode asked wants it).
    std::string frames(const store::RunEvent& event) const;
    // The end of the stream for a run that ended with `final_event_type`.
    std::string closing(const std::string& final_event_type) const;

  private:
    StreamModes modes_;
    std::string run_id_, thread_id_, agent_;
    MemoryAt memory_at_;
};

// True for event types the host writes itself; what remains is the
// agent's own (custom mode).
bool host_event_type(const std::string& type);

}  // namespace agenthost::api
