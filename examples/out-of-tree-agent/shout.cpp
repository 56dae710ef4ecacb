// An agent built out of tree against the installed agenthost SDK: it shouts
// its task back in capitals.
#include <agenthost/agent.hpp>

#include <cctype>
#include <string>

class Shout : public agenthost::Agent {
  public:
    using agenthost::Agent::Agent;

    rapidjson::Document invoke(agenthost::Run& run) override {
        std::string text(run.task());
        bool blank = true;
        for (char& c : text) {
            // Byte-wise in the C locale: only ASCII letters change, so UTF-8
            // sequences pass through intact.
            auto byte = static_cast<unsigned char>(c);
            if (!std::isspace(byte)) blank = false;
            c = static_cast<char>(std::toupper(byte));
        }
        // The host rejects an empty task itself; whitespace is this agent's call.
        if (blank) throw agenthost::InvalidInput("nothing to shout: the task is only whitespace");

        run.progress("shouting");  // needs the "events" permission

        // The host has checked the context against the manifest's
        // input_schema, so `exclaim`, when present, is a boolean.
        const rapidjson::Value& context = run.context();
        auto exclaim = context.FindMember("exclaim");
        if (exclaim != context.MemberEnd() && exclaim->value.GetBool()) text += '!';

        rapidjson::Document result(rapidjson::kObjectType);
        result.AddMember("text", agenthost::json::string(text, result), result.GetAllocator());
        return result;
    }
};

// The name and version must match manifest.json, or the host refuses the library.
AGENTHOST_AGENT(Shout, "shout", "1.0.0")
