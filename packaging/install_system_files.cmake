# Runs at install time (cmake --install, and cpack with DESTDIR), when the
# real prefix is known: writes the systemd unit and the example config with
# that prefix's paths. /usr puts the config in /etc, as Debian does; any other
# prefix keeps it under <prefix>/etc.
#   in: AGENTHOST_SOURCE_DIR, AGENTHOST_BINARY_DIR (set by install(CODE))
set(PREFIX "${CMAKE_INSTALL_PREFIX}")
if(PREFIX STREQUAL "/usr")
  set(SYSCONFDIR "/etc")
else()
  set(SYSCONFDIR "${PREFIX}/etc")
endif()

set(staging "${AGENTHOST_BINARY_DIR}/packaging/install-time")
file(MAKE_DIRECTORY "${staging}")
configure_file("${AGENTHOST_SOURCE_DIR}/packaging/agenthost.service.in" "${staging}/agenthost.service" @ONLY)
file(INSTALL "${staging}/agenthost.service" DESTINATION "${PREFIX}/lib/systemd/system")
file(INSTALL "${AGENTHOST_SOURCE_DIR}/packaging/agenthost.json" DESTINATION "${SYSCONFDIR}/agenthost")
