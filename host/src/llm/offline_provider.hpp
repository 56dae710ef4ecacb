// The default provider: no network, no key, the same answer for the same
// request every time. README "LLM providers" documents it precisely, and
// tests rely on that:
//  - the answer is the first sentence of the last "user" message (up to and
//    including the first '.', '!' or '?' that ends the text or is followed
//    by whitespace), whitespace runs folded to one space; the whole message
//    when it has no such end; "" when there is no user message;
//  - max_tokens > 0 keeps only that many words (finish_reason "length",
//    otherwise "stop");
//  - json_mode answers {"text": <that answer>} as compact JSON;
//  - usage counts whitespace-separated words: input over every message's
//    content, output over the answer text (the "text" value in json_mode);
//  - streaming hands out the words one by one, each after the first with
//    its leading space, so the tokens concatenate to the content (json_mode
//    streams the JSON as one token);
//  - provider "offline", model "offline" unless the request names one.
#pragma once

#include "llm/provider.hpp"

namespace agenthost::llm {

class OfflineProvider : public Provider {
  public:
    std::string name() const override { return "offline"; }
    std::string default_model() const override { return "offline"; }
    std::string base_url() const override { return ""; }
    CompletionResponse complete(const CompletionRequest& request, const TokenSink& sink) override;
};

// Whitespace-separated words in `text`: the offline provider's token count.
long long count_words(std::string_view text);

}  // namespace agenthost::llm
