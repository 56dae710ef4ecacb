// A yaml-cpp node as YAML text, block style with two-space indents, the
// way the DevOps agents write their artifacts. Header-only (link yaml-cpp).
#pragma once

#include <yaml-cpp/yaml.h>

#include <stdexcept>
#include <string>

namespace devkit {

inline std::string emit_yaml(const YAML::Node& document) {
    YAML::Emitter out;
    out.SetIndent(2);
    out << document;
    if (!out.good()) throw std::runtime_error("YAML emitter failed: " + out.GetLastError());
    return std::string(out.c_str()) + "\n";
}

}  // namespace devkit
