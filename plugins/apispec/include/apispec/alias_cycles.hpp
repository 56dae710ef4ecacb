// Type aliases that refer to themselves with nothing in between that names
// a shape (loopA = loopB, loopB = loopA | integer; selfUnion = string |
// selfUnion) mean nothing in any language: TypeScript refuses them
// ("circularly references itself"). A reference through an object model,
// an array or a map is fine and stays; only the reference that closes such
// a cycle is cut (typed as any), with a warning naming the model.
#ifndef APISPEC_ALIAS_CYCLES_HPP
#define APISPEC_ALIAS_CYCLES_HPP

#include <apispec/api_model.hpp>

namespace apispec {

void break_alias_cycles(Api& api);

}  // namespace apispec

#endif
