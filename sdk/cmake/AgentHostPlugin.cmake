# agenthost_add_plugin(<name> MANIFEST <manifest.json> SOURCES <src>...
#                      [OUTPUT_DIR <dir>] [LIBRARIES <lib>...] [NO_MANIFEST_CHECK])
#
# Builds an agent plugin the way the host expects to load it: a shared
# library that exports only the entry point (hidden visibility plus a linker
# version script, since libstdc++ templates ignore visibility), with no GNU
# unique symbols (so it can really be unloaded), and its manifest next to
# it, in <OUTPUT_DIR>/<name>/ (default: build/plugins/<name>/).
#
# The manifest drives the build: its abi_version is the ABI the plugin
# targets (AGENTHOST_TARGET_ABI_MINOR, so agent.hpp refuses helpers of a
# newer minor and AGENTHOST_AGENT declares that minor). After linking, the
# manifest is checked against the SDK's manifest schema and against what the
# library reports (name, version, ABI, file name); a manifest that disagrees
# fails the build and is not copied beside the library. NO_MANIFEST_CHECK
# skips that check (for test fixtures that must disagree on purpose).
#
# Static libraries linked into a plugin must be compiled the same way:
# declare them with agenthost_plugin_library().

# Where the checker's source and the manifest schema are: in this source
# tree, or in the installed SDK (set by agenthost-sdk-config.cmake).
if(NOT DEFINED AGENTHOST_PLUGIN_CHECK_SOURCE)
  get_filename_component(AGENTHOST_PLUGIN_CHECK_SOURCE "${CMAKE_CURRENT_LIST_DIR}/../tools/plugin_check.cpp" ABSOLUTE)
endif()
if(NOT DEFINED AGENTHOST_MANIFEST_SCHEMA)
  get_filename_component(AGENTHOST_MANIFEST_SCHEMA "${CMAKE_CURRENT_LIST_DIR}/../../schemas/plugin-manifest.schema.json" ABSOLUTE)
endif()

# The manifest's abi_version minor, read at configure time.
if(CMAKE_VERSION VERSION_LESS 3.19)
  message(FATAL_ERROR "agenthost_add_plugin needs CMake 3.19 or newer (it reads the manifest with string(JSON))")
endif()

function(_agenthost_manifest_abi_minor manifest out_var)
  file(READ ${manifest} text)
  string(JSON abi ERROR_VARIABLE error GET "${text}" abi_version)
  if(error)
    message(FATAL_ERROR "agenthost_add_plugin: ${manifest}: no usable \"abi_version\" (${error})")
  endif()
  if(NOT abi MATCHES "^([0-9]+)\\.([0-9]+)$")
    message(FATAL_ERROR "agenthost_add_plugin: ${manifest}: abi_version '${abi}' is not major.minor")
  endif()
  set(${out_var} ${CMAKE_MATCH_2} PARENT_SCOPE)
endfunction()

function(agenthost_add_plugin name)
  cmake_parse_arguments(PLUGIN "NO_MANIFEST_CHECK" "MANIFEST;OUTPUT_DIR" "SOURCES;LIBRARIES" ${ARGN})
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
  # (A C++ option: C plugins have no GNU unique symbols to begin with.)
  target_compile_options(${name} PRIVATE $<$<AND:$<COMPILE_LANGUAGE:CXX>,$<CXX_COMPILER_ID:GNU>>:-fno-gnu-unique>)
  set(exports ${CMAKE_CURRENT_BINARY_DIR}/${name}.exports)
  file(WRITE ${exports} "{ global: agenthost_plugin_init; local: *; };\n")
  # Every symbol resolved at link time, except in agenthost's own clang
  # sanitizer tree (make test-asan), where clang leaves the sanitizer
  # runtime to the executable that loads the plugin.
  if(AGENTHOST_SANITIZE AND CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    target_link_options(${name} PRIVATE -Wl,--version-script=${exports})
  else()
    target_link_options(${name} PRIVATE -Wl,--no-undefined -Wl,--version-script=${exports})
  endif()
  set_property(TARGET ${name} APPEND PROPERTY LINK_DEPENDS ${exports})

  get_filename_component(manifest ${PLUGIN_MANIFEST} ABSOLUTE)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${manifest})
  _agenthost_manifest_abi_minor(${manifest} minor)
  target_compile_definitions(${name} PRIVATE AGENTHOST_TARGET_ABI_MINOR=${minor})

  if(NOT TARGET agenthost_plugin_check)
    add_executable(agenthost_plugin_check ${AGENTHOST_PLUGIN_CHECK_SOURCE})
    target_link_libraries(agenthost_plugin_check PRIVATE agenthost::sdk ${CMAKE_DL_LIBS})
  endif()
  # The check runs after every link, and a manifest edit relinks: building
  # the plugin's target alone always leaves a checked manifest beside it.
  # On a disagreement the checker deletes the library, so the next build
  # links and checks again instead of taking the library as up to date.
  set_property(TARGET ${name} APPEND PROPERTY LINK_DEPENDS ${manifest})
  add_dependencies(${name} agenthost_plugin_check)
  if(CMAKE_CROSSCOMPILING OR PLUGIN_NO_MANIFEST_CHECK)
    # Cross-compiled, the library cannot be loaded here: copied unchecked.
    add_custom_command(TARGET ${name} POST_BUILD
      COMMAND ${CMAKE_COMMAND} -E copy ${manifest} ${dir}/manifest.json)
  else()
    add_custom_command(TARGET ${name} POST_BUILD
      COMMAND agenthost_plugin_check ${manifest} ${AGENTHOST_MANIFEST_SCHEMA} $<TARGET_FILE:${name}>
              ${dir}/manifest.json
      COMMENT "Checking manifest of plugin ${name} against its library")
  endif()
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
