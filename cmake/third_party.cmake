# Header-only dependencies come from Debian's packages (nlohmann-json3-dev, libhowardhinnant-date-dev,
# doctest-dev). emcc must never see /usr/include itself (glibc headers break its build), so the build tree
# gets a folder holding links to just these libraries, added as a SYSTEM include for every target.
set(UPKEEP_SYSTEM_INCLUDE_ROOT "/usr/include" CACHE PATH "Where Debian installs the header-only dependencies")
set(UPKEEP_THIRD_PARTY_INCLUDE "${CMAKE_BINARY_DIR}/third_party_include")
file(MAKE_DIRECTORY "${UPKEEP_THIRD_PARTY_INCLUDE}")
foreach(library nlohmann date doctest)
  if(NOT EXISTS "${UPKEEP_SYSTEM_INCLUDE_ROOT}/${library}")
    message(FATAL_ERROR "${UPKEEP_SYSTEM_INCLUDE_ROOT}/${library} is missing: run scripts/install-deps.sh")
  endif()
  file(CREATE_LINK "${UPKEEP_SYSTEM_INCLUDE_ROOT}/${library}" "${UPKEEP_THIRD_PARTY_INCLUDE}/${library}" SYMBOLIC)
endforeach()
add_library(upkeep_third_party INTERFACE)
target_include_directories(upkeep_third_party SYSTEM INTERFACE "${UPKEEP_THIRD_PARTY_INCLUDE}")
