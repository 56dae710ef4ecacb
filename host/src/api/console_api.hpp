// GET /console (the web console's page) and GET /console/{file} (its script
// and stylesheet), served from the files built from console/ and linked
// into the binary, so the console needs no network and no install.
#pragma once

#include "http/router.hpp"

namespace agenthost::api {

void add_console_routes(http::Router& router);

}  // namespace agenthost::api
