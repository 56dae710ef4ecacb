// Text yaml-cpp 0.7 (Debian 12) must not be given. Its parser loops forever,
// allocating without bound, when a document's top level holds a flow-entry
// comma: "," alone, ", a", "[1, 2]," or "{a: 1},". Fuzzing kubernetes_agent's
// review mode found it (one request pinned a worker and took gigabytes).
// Such text is not valid YAML anyway (a plain scalar cannot start with ','),
// so the agents refuse it with this reason before parsing. Variants inside
// an unclosed flow collection still hang yaml-cpp (the fuzzer finds them in
// a minute); process isolation with a timeout is what contains those.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace devkit {

struct YamlHazard {
    size_t line = 0;      // 1-based; 0 when the text is safe
    std::string message;  // what is wrong there
    explicit operator bool() const { return line != 0; }
    // "line N: message"
    std::string describe() const { return "line " + std::to_string(line) + ": " + message; }
};

// Why `text` must not reach yaml-cpp (empty when it may).
YamlHazard yaml_hazard(std::string_view text);

}  // namespace devkit
