// TypeScript output: models.ts (an interface per object, string-literal
// unions for enums, type aliases), client.ts (a class over fetch with one
// typed async method per operation and an ApiError class) and index.ts.
// Everything passes `tsc --strict` with lib ES2020 + DOM.
#ifndef CODEGEN_TYPESCRIPT_EMITTER_HPP
#define CODEGEN_TYPESCRIPT_EMITTER_HPP

#include <string>
#include <vector>

#include "api.hpp"
#include "artifact.hpp"

namespace codegen {

struct TypeScriptOptions {
    std::string package;       // folder name
    std::string client_class;  // a valid class name
    std::string directory;     // artifact paths start here, e.g. "typescript"
};

std::vector<Artifact> emit_typescript(const Api& api, const TypeScriptOptions& options);

}  // namespace codegen

#endif
