# find_package(agenthost-sdk [1.2]) for out-of-tree plugins. Defines the
# agenthost::sdk target, agenthost_add_plugin() and agenthost_plugin_library(),
# and AGENTHOST_ABI_VERSION_MAJOR / _MINOR, AGENTHOST_ABI_VERSION ("1.2") and
# AGENTHOST_SDK_VERSION ("1.2.0").
find_package(PkgConfig REQUIRED)
pkg_check_modules(RAPIDJSON REQUIRED IMPORTED_TARGET RapidJSON)
get_filename_component(_agenthost_prefix "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)
include(${CMAKE_CURRENT_LIST_DIR}/agenthost-sdk-abi.cmake)
if(NOT TARGET agenthost::sdk)
  add_library(agenthost::sdk INTERFACE IMPORTED)
  set_target_properties(agenthost::sdk PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${_agenthost_prefix}/include"
    INTERFACE_LINK_LIBRARIES PkgConfig::RAPIDJSON
    INTERFACE_COMPILE_FEATURES cxx_std_17)
endif()
# What agenthost_add_plugin() checks each plugin's manifest with.
set(AGENTHOST_MANIFEST_SCHEMA "${_agenthost_prefix}/share/agenthost-sdk/plugin-manifest.schema.json")
set(AGENTHOST_PLUGIN_CHECK_SOURCE "${_agenthost_prefix}/share/agenthost-sdk/plugin_check.cpp")
include(${CMAKE_CURRENT_LIST_DIR}/AgentHostPlugin.cmake)
