// The text of contract_support.py (DEFAULT_BASE_URL is defined before it).
#pragma once

namespace testgen {

extern const char* const contract_support_py;

}  // namespace testgen
