// The first-party plugins' fake host: the SDK's installed test harness
// (agenthost/testing/fake_host.hpp) set up as the text and DevOps agents
// were tested all along (events and exec permitted, memory, LLM and HTTP
// refused as undeclared), plus textkit's context helper.
//
// Header-only so every plugin's tests can use it; link ${CMAKE_DL_LIBS}.
#ifndef TEXTKIT_TESTING_FAKE_HOST_HPP
#define TEXTKIT_TESTING_FAKE_HOST_HPP

#include <agenthost/testing/fake_host.hpp>

#include <string>
#include <string_view>

namespace textkit::testing {

using agenthost::testing::is_library_loaded;
using agenthost::testing::RecordedEvent;
using agenthost::testing::run_input;
using agenthost::testing::RunRecord;

class FakeHost : public agenthost::testing::FakeHost {
  public:
    explicit FakeHost(const std::string& library_path) : agenthost::testing::FakeHost(library_path) {
        set_permissions({"events", "exec"});
    }
};

// A context object holding `text`, plus any members given as JSON text
// (e.g. R"("max_sentences":2)").
inline std::string text_context(std::string_view text, std::string_view more_members_json = "") {
    std::string context = "{\"text\":" + agenthost::testing::json_quote(text);
    if (!more_members_json.empty()) context += "," + std::string(more_members_json);
    return context + "}";
}

}  // namespace textkit::testing

#endif  // TEXTKIT_TESTING_FAKE_HOST_HPP
