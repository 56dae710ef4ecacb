// agentctl's exit statuses, which scripts rely on.
#pragma once

namespace agentctl {

constexpr int kExitOk = 0;           // the request succeeded; a followed run succeeded
constexpr int kExitFailed = 1;       // the host refused (error envelope printed) or the run failed or was cancelled
constexpr int kExitUsage = 2;        // bad command line
constexpr int kExitUnreachable = 3;  // no answer from the host (connection refused, DNS, timeout)

}  // namespace agentctl
