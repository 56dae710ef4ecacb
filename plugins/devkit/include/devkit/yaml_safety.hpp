// Text yaml-cpp 0.7 (Debian 12) must not be given. Its parser loops forever,
// allocating without bound, on some invalid YAML: a flow-entry comma at the
// top level (",", "[1, 2],", "''&a,"), text glued to a closed value ("[]x"),
// a '?' key after such text, a flow or quote never closed, a comma after a
// directive or a verbatim tag. Fuzzing kubernetes_agent's review mode found
// the first (one request pinned a worker and took gigabytes); a random
// search of short texts over YAML's indicator characters found the rest.
// yaml_hazard tokenizes the text the way yaml-cpp does (quoted, plain and
// block scalars, comments, flows, properties, directives, document markers)
// and refuses what is never valid YAML where those loops hide; explicit
// '? ' keys are refused too (valid, but unused by manifests and pipelines,
// and where most loops were found). Valid YAML otherwise passes: checked
// against every .yaml file on a Debian machine (2,999 files, only two with
// '? ' keys refused).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace devkit {

struct YamlHazard {
    size_t line = 0;      // 1-based; 0 when the text is safe
    size_t column = 0;    // 1-based
    std::string message;  // what is wrong there
    explicit operator bool() const { return line != 0; }
    // "line N, column M: message"
    std::string describe() const {
        return "line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + message;
    }
};

// Why `text` must not reach yaml-cpp (empty when it may).
YamlHazard yaml_hazard(std::string_view text);

}  // namespace devkit
