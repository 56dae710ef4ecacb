// A plugin's store call (abi.h, callback_run_store) against the long-term
// store, in its run's tenant: {"op": "put"|"get"|"delete"|"search"|
// "list_namespaces", ...the members of the matching HTTP body...}. The
// request is checked by the same rules as the HTTP API (item_request.hpp);
// a bad one is the plugin's bug (bad_argument), a missing item not_found.
#pragma once

#include "memory_store/memory_store.hpp"
#include "plugins/run_context.hpp"

#include <string>

namespace agenthost::memory_store {

plugins::StoreAnswer run_store_call(MemoryStore& store, const std::string& tenant, const std::string& request_json);

}  // namespace agenthost::memory_store
