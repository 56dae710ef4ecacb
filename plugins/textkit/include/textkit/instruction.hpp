// A task that carries its text after an instruction ("Summarize: ...",
// "Please analyze the sentiment of the following review: ..."): the text
// agents work on what follows, so the instruction never becomes part of a
// summary, a sentiment or an entity. Two forms count: a short lead-in that
// ends with a colon before any sentence ends and asks for something, and a
// whole first sentence that asks and points at the text ("Summarize the
// following article in two sentences. The board met ...").
#pragma once

#include <string>
#include <string_view>

namespace textkit {

// The text after a leading instruction, or `task` unchanged.
std::string strip_instruction(std::string_view task);

}  // namespace textkit
