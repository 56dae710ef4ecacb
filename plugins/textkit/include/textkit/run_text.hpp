// The text a text agent works on: context.text when the request gives it,
// otherwise the task itself without a leading instruction ("Summarize: ..."). Header-only because it speaks the SDK's Run,
// which the textkit library itself stays free of.
#pragma once

#include <agenthost/agent.hpp>
#include <textkit/instruction.hpp>
#include <textkit/words.hpp>

#include <string>
#include <string_view>

namespace textkit {

// Throws agenthost::InvalidInput when context.text is not a string or the
// text has no words; `purpose` completes "nothing to ..." ("analyze").
inline std::string run_text(const agenthost::Run& run, std::string_view purpose) {
    const rapidjson::Value& context = run.context();
    auto found = context.FindMember("text");
    if (found != context.MemberEnd() && !found->value.IsString())
        throw agenthost::InvalidInput("context.text must be a string");
    const bool from_context = found != context.MemberEnd();
    std::string text =
        from_context ? std::string(found->value.GetString(), found->value.GetStringLength()) : strip_instruction(run.task());
    if (split_words(text).empty())
        throw agenthost::InvalidInput("nothing to " + std::string(purpose) + ": " +
                                      (from_context ? "context.text" : "the task") +
                                      " is empty or has no words; pass the text in context.text or as the task");
    return text;
}

}  // namespace textkit
