# agenthost_add_plugin(<name> MANIFEST <manifest.json> SOURCES <src>...
#                      [OUTPUT_DIR <dir>] [LIBRARIES <lib>...])
#
# Builds an agent plugin the way the host expects to load it: a shared
# library that exports only the entry point (hidden visibility plus a linker
# version script, since libstdc++ templates ignore visibility), with no GNU
# unique symbols (so it can really be unloaded), and its manifest copied next
# to it, in <OUTPUT_DIR>/<name>/ (default: build/plugins/<name>/).
#
# Static libraries linked into a plugin must be compiled the same way:
# declare them with agenthost_plugin_library().
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
  set(exports ${CMAKE_CURRENT_BINARY_DIR}/${name}.exports)
  file(WRITE ${exports} "{ global: agenthost_plugin_init; local: *; };\n")
  target_link_options(${name} PRIVATE -Wl,--no-undefined -Wl,--version-script=${exports})
  set_property(TARGET ${name} APPEND PROPERTY LINK_DEPENDS ${exports})

  get_filename_component(manifest ${PLUGIN_MANIFEST} ABSOLUTE)
  add_custom_command(OUTPUT ${dir}/manifest.json
    COMMAND ${CMAKE_COMMAND} -E make_directory ${dir}
    COMMAND ${CMAKE_COMMAND} -E copy ${manifest} ${dir}/manifest.json
    DEPENDS ${manifest}
    COMMENT "Copying manifest of plugin ${name}")
  add_custom_target(${name}_manifest ALL DEPENDS ${dir}/manifest.json)
  add_dependencies(${name} ${name}_manifest)
endfunction()

# agenthost_plugin_library(<name> SOURCES <src>...): a static library to link
# into plugins, compiled as position-independent code with hidden visibility
# and no GNU unique symbols (one such symbol keeps a plugin from unloading).
function(agenthost_plugin_library name)
  cmake_parse_arguments(LIB "" "" "SOURCES" ${ARGN})
  add_library(${name} STATIC ${LIB_SOURCES})
  set_target_properties(${name} PROPERTIES
    POSITION_INDEPENDENT_CODE ON
    CXX_VISIBILITY_PRESET hidden
    C_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  target_compile_options(${name} PRIVATE $<$<CXX_COMPILER_ID:GNU>:-fno-gnu-unique>)
endfunction()
