// The generator's errors: SpecError (from apispec) when the document does
// not describe an API, InputError when the request itself is unusable.
#ifndef CODEGEN_ERRORS_HPP
#define CODEGEN_ERRORS_HPP

#include <apispec/errors.hpp>
#include "api.hpp"

#include <stdexcept>

namespace codegen {

using apispec::SpecError;

// The request itself is unusable (no document found, bad option values).
struct InputError : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};

}  // namespace codegen

#endif
