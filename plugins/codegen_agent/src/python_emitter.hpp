// Python output: a package with models.py (dataclasses, Literal enums,
// forward references through `from __future__ import annotations`, and
// from_dict/to_dict that map JSON names to snake_case attributes) and
// client.py (standard library only: urllib.request), plus __init__.py.
#ifndef CODEGEN_PYTHON_EMITTER_HPP
#define CODEGEN_PYTHON_EMITTER_HPP

#include <string>
#include <vector>

#include "api.hpp"
#include "artifact.hpp"

namespace codegen {

struct PythonOptions {
    std::string package;       // a valid module name
    std::string client_class;  // a valid class name
    // "3.10" and later: `X | None` and `list[X]` in annotations; earlier
    // versions get typing.Optional and typing.List.
    int min_minor_version = 8;
    std::string directory;  // artifact paths start here, e.g. "python"
};

std::vector<Artifact> emit_python(const Api& api, const PythonOptions& options);

}  // namespace codegen

#endif
