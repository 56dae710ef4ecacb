// The generator reads APIs through the shared apispec library (codegen_agent
// and testing_agent both do); its names are used unqualified here.
#ifndef CODEGEN_API_HPP
#define CODEGEN_API_HPP

#include <apispec/api_model.hpp>

namespace codegen {
using namespace apispec;
}  // namespace codegen

#endif
