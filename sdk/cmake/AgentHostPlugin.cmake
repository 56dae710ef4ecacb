# agenthost_add_plugin(<name> MANIFEST <manifest.json> SOURCES <src>...
#                      [OUTPUT_DIR <dir>] [LIBRARIES <lib>...])
#
# Builds an agent plugin the way the host expects to load it: a shared
# library with hidden visibility (only the entry point is exported), no GNU
# unique symbols (so it can really be unloaded), and its manifest copied next
# to it, in <OUTPUT_DIR>/<name>/ (default: build/plugins/<name>/).
function(agenthost_add_plugin name)
  cmake_parse_arguments(PLUGIN "" "MANIFEST;OUTPUT_DIR" "SOURCES;LIBRARIES" ${ARGN})
  if(NOT PLUGIN_MANIFEST)
    message(FATAL_ERROR "agenthost_add_plugin(${name}): MANIFEST is required")
  endif()
  if(NOT PLUGIN_OUTPUT_DIR)
    if(DEFINED AGENTHOST_PLUGIN_OUTPUT_DIR)
      set(PLUGIN_OUTPUT_DIR ${AGENTHOST_PLUGIN_OUTPUT_DIR})
    else()
      set(PLUGIN_OUTPUT_DIR ${CMAKE_BINARY_DIR}/plugins)
    endif()
  endif()
  set(dir ${PLUGIN_OUTPUT_DIR}/${name})

  add_library(${name} MODULE ${PLUGIN_SOURCES})
  target_link_libraries(${name} PRIVATE agenthost::sdk ${PLUGIN_LIBRARIES})
  set_target_properties(${name} PROPERTIES
    PREFIX "lib"
    CXX_VISIBILITY_PRESET hidden
    C_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    LIBRARY_OUTPUT_DIRECTORY ${dir})
  target_compile_options(${name} PRIVATE $<$<CXX_COMPILER_ID:GNU>:-fno-gnu-unique>)
  target_link_options(${name} PRIVATE -Wl,--no-undefined)

  get_filename_component(manifest ${PLUGIN_MANIFEST} ABSOLUTE)
  add_custom_command(OUTPUT ${dir}/manifest.json
    COMMAND ${CMAKE_COMMAND} -E make_directory ${dir}
    COMMAND ${CMAKE_COMMAND} -E copy ${manifest} ${dir}/manifest.json
    DEPENDS ${manifest}
    COMMENT "Copying manifest of plugin ${name}")
  add_custom_target(${name}_manifest ALL DEPENDS ${dir}/manifest.json)
  add_dependencies(${name} ${name}_manifest)
endfunction()
