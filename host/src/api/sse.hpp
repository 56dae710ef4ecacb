// Server-Sent Events framing of run events (text/event-stream).
#pragma once

#include "store/records.hpp"

#include <string>

namespace agenthost::api {

// "id: <seq>\ndata: {run_id, thread_id, seq, type, ts, data}\n\n"
std::string event_frame(const store::RunEvent& event, const std::string& thread_id);
// "event: done\ndata: {"status": ...}\n\n": "complete" for a run that
// succeeded, else the run's final status ("failed", "cancelled").
std::string done_frame(const std::string& final_event_type);

}  // namespace agenthost::api
