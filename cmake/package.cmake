# The Debian package of the upkeep command (scripts/package.sh deb runs CPack): the command, upkeep(1)
# made from its --help texts, a systemd timer for a daily sync of each project as the service user
# "upkeep" (made by the package's postinst), and the same for cron as an example. Its library
# dependencies come from dpkg-shlibdeps.
find_program(HELP2MAN help2man)
set(package_dir "${CMAKE_SOURCE_DIR}/cli/package")
if(HELP2MAN)
  add_custom_command(OUTPUT upkeep.1.gz
    COMMAND "${package_dir}/man-page.sh" $<TARGET_FILE:upkeep> upkeep.1
    COMMAND gzip -9nf upkeep.1
    DEPENDS upkeep "${package_dir}/man-page.sh"
    COMMENT "upkeep(1) from the --help texts" VERBATIM)
  add_custom_target(upkeep_man_page ALL DEPENDS upkeep.1.gz)
  install(FILES "${CMAKE_BINARY_DIR}/upkeep.1.gz" DESTINATION share/man/man1)
else()
  message(STATUS "help2man not found: no man page, and no Debian package (scripts/install-deps.sh installs it)")
endif()
install(FILES "${package_dir}/upkeep-sync@.service" "${package_dir}/upkeep-sync@.timer"
  DESTINATION lib/systemd/system)
install(FILES "${package_dir}/upkeep-sync.cron" "${package_dir}/project.conf" DESTINATION share/doc/upkeep/examples)
install(FILES "${CMAKE_SOURCE_DIR}/docs/install.md" DESTINATION share/doc/upkeep)

set(CPACK_PACKAGE_NAME upkeep)
set(CPACK_PACKAGE_VENDOR Upkeep)
set(CPACK_PACKAGE_CONTACT "Upkeep <upkeep@upkeep.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "keep an ISO/IEC 27001 ISMS alive between audits, from a shell or a timer")
set(CPACK_PACKAGE_DESCRIPTION "Upkeep turns an ISMS maintenance calendar into Redmine tickets, reports \
closure against the audit dates and lists change tickets not yet assessed for their ISMS impact. \
The package carries a systemd timer for a daily sync of a project as the service user upkeep.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS adduser)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA "${package_dir}/postinst")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
