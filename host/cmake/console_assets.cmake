# The web console (GET /console): console/ is type-checked and bundled by
# console/build.mjs (tsc, esbuild and Preact from tools/npm) into
# ${console_dir}; the files are then embedded like Swagger UI's
# (embed_web_assets.cmake) and installed to share/agenthost/console.
# Without node or tools/npm's packages the host is built without them and
# GET /console answers 503, as /docs does without Swagger UI.
# Included from host/CMakeLists.txt: appends to `web_assets`.
set(console_source ${PROJECT_SOURCE_DIR}/console)
set(console_dir ${CMAKE_CURRENT_BINARY_DIR}/console)
find_program(AGENTHOST_NODE node)
set(console_missing "")
if(NOT AGENTHOST_NODE)
  set(console_missing "node")
endif()
foreach(package typescript esbuild preact)
  if(NOT EXISTS ${npm_modules}/${package}/package.json)
    list(APPEND console_missing "${npm_modules}/${package}")
  endif()
endforeach()
if(console_missing)
  string(REPLACE ";" ", " console_missing "${console_missing}")
  message(WARNING "${console_missing} missing: GET /console will answer 503 (run tools/install-deps)")
else()
  file(GLOB_RECURSE console_inputs CONFIGURE_DEPENDS ${console_source}/src/*)
  set(console_outputs ${console_dir}/index.html ${console_dir}/console.js ${console_dir}/console.css)
  add_custom_command(OUTPUT ${console_outputs}
    COMMAND ${AGENTHOST_NODE} ${console_source}/build.mjs ${PROJECT_SOURCE_DIR}/tools/npm ${console_dir}
    DEPENDS ${console_inputs} ${console_source}/build.mjs ${console_source}/tsconfig.json ${console_source}/index.html
            ${PROJECT_SOURCE_DIR}/tools/npm/package-lock.json
    COMMENT "Type-checking and bundling the web console")
  list(APPEND web_assets
    "console/index.html|text/html|${console_dir}/index.html"
    "console/console.js|text/javascript|${console_dir}/console.js"
    "console/console.css|text/css|${console_dir}/console.css")
  install(FILES ${console_outputs} DESTINATION share/agenthost/console COMPONENT runtime)
endif()
