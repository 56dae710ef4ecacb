#include "api/sse.hpp"

#include "api/run_json.hpp"

namespace agenthost::api {

std::string event_frame(const store::RunEvent& event, const std::string& thread_id) {
    JsonWriter out;
    write_event(out, event, thread_id);
    // JSON text has no raw newlines, so one data: line carries it.
    return "id: " + std::to_string(event.seq) + "\ndata: " + out.str() + "\n\n";
}

std::string done_frame(const std::string& final_event_type) {
    std::string status = final_event_type == "run.succeeded"   ? "complete"
                         : final_event_type == "run.cancelled" ? "cancelled"
                                                               : "failed";
    return "event: done\ndata: {\"status\":\"" + status + "\"}\n\n";
}

}  // namespace agenthost::api
