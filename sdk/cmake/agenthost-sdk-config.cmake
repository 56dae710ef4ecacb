# find_package(agenthost-sdk) for out-of-tree plugins.
find_package(PkgConfig REQUIRED)
pkg_check_modules(RAPIDJSON REQUIRED IMPORTED_TARGET RapidJSON)
get_filename_component(_agenthost_prefix "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)
if(NOT TARGET agenthost::sdk)
  add_library(agenthost::sdk INTERFACE IMPORTED)
  set_target_properties(agenthost::sdk PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${_agenthost_prefix}/include"
    INTERFACE_LINK_LIBRARIES PkgConfig::RAPIDJSON
    INTERFACE_COMPILE_FEATURES cxx_std_17)
endif()
include(${CMAKE_CURRENT_LIST_DIR}/AgentHostPlugin.cmake)
