// The service table's JSON shapes (abi.h callback_run_llm_complete):
//   request  {"messages": [{"role": "system|user|assistant", "content": "..."}],
//             "model"?: "...", "json_mode"?: bool, "max_tokens"?: int,
//             "temperature"?: number}
//   response {"content", "usage": {"input_tokens", "output_tokens",
//             "total_tokens"}, "provider", "model", "finish_reason"}
#pragma once

#include "llm/llm_client.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace agenthost::llm {

// nullopt with `error` saying which field is wrong.
std::optional<CompletionRequest> parse_completion_request(std::string_view json, std::string& error);

std::string completion_response_json(const CompletionResponse& response);

}  // namespace agenthost::llm
