# Writes a C++ source that holds every JSON Schema under SCHEMA_DIR, so the
# host binary validates with exactly the schemas it was built with and needs
# no files at run time. Invoked by CMake in script mode (-P).
file(GLOB_RECURSE schema_files RELATIVE ${SCHEMA_DIR} ${SCHEMA_DIR}/*.schema.json)
list(SORT schema_files)
set(entries "")
foreach(relative ${schema_files})
  file(READ ${SCHEMA_DIR}/${relative} content)
  string(REGEX REPLACE "\\.schema\\.json$" "" name ${relative})
  string(APPEND entries "    {\"${name}\", R\"agenthost_schema(${content})agenthost_schema\"},\n")
endforeach()
file(WRITE ${OUTPUT}.tmp
"// Generated from schemas/ by host/cmake/embed_schemas.cmake. Do not edit.
#include \"json/embedded_schemas.hpp\"

#include <map>

namespace agenthost::json {

const std::map<std::string, std::string_view>& embedded_schemas() {
    static const std::map<std::string, std::string_view> schemas = {
${entries}    };
    return schemas;
}

}  // namespace agenthost::json
")
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different ${OUTPUT}.tmp ${OUTPUT})
