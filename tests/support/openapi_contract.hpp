// The contract check: every response an integration test receives through
// HttpClient is checked against the GET /openapi.json of the host that sent
// it (its status is listed for the route, and a JSON body matches the
// schema listed for that status), so the document cannot drift from the
// code. A mismatch fails the running test when seen on the test's own
// thread, and the test run (nonzero exit, see catch_main.cpp) otherwise.
#pragma once

#include <string>
#include <vector>

namespace agenthost::testing {

struct HttpResult;

// HostProcess says which base URLs are agenthosts: only their responses are
// checked (a test's own servers are never asked for a document), and a port
// a stopped host frees forgets its document.
void expect_openapi_at(const std::string& base_url);
void forget_openapi_at(const std::string& base_url);

void check_against_openapi(const std::string& base_url, const std::string& method, const std::string& path,
                           const HttpResult& result);

// What check_against_openapi() found wrong in `document` for one response:
// empty when it conforms. For the checker's own tests.
std::vector<std::string> openapi_violations(const std::string& document, const std::string& method,
                                            const std::string& path, long status, const std::string& content_type,
                                            const std::string& body);

}  // namespace agenthost::testing
