// One generated file, as the host's artifact convention wants it.
#ifndef CODEGEN_ARTIFACT_HPP
#define CODEGEN_ARTIFACT_HPP

#include <string>

namespace codegen {

struct Artifact {
    std::string path;
    std::string content;
    std::string media_type;
};

}  // namespace codegen

#endif
