/*
 * agenthost plugin ABI, version 1 (minor 2).
 *
 * This header is the whole contract between the agenthost host process and an
 * agent plugin. It is pure C so that a plugin built with another compiler, a
 * newer standard library or another language binds to it the same way.
 *
 * Rules (the SDK's README.md, installed as share/agenthost-sdk/README.md,
 * is the author's guide with an example per service):
 *  - A plugin library exports exactly one symbol, AGENTHOST_ENTRY_POINT_NAME.
 *    The host calls it with its service table and ABI version; the plugin
 *    answers with a descriptor of itself.
 *  - Every struct starts with `struct_size` and only ever grows at the end.
 *    A reader checks `struct_size` before touching a member added in a later
 *    minor version.
 *  - ABI version is major.minor. The host loads a plugin only when the majors
 *    match and the plugin's minor is not newer than the host's.
 *  - Nothing but C types crosses the boundary. Strings are (ptr, len) views and
 *    need not be NUL-terminated. Whoever allocates frees: a view handed across
 *    stays owned by the side that made it, for as long as documented below.
 *  - No function may let an exception escape. Failure is a status code; its
 *    message travels as a string through the host's callbacks.
 *
 * Naming: `on_*` members are implemented by the plugin and called by the
 * host; `callback_*` members are implemented by the host and called by the
 * plugin. `*_host_*_ptr` handles are owned by the host, `*_module_*_ptr`
 * handles by the plugin.
 */
#ifndef AGENTHOST_ABI_H
#define AGENTHOST_ABI_H

#include <stddef.h>
#include <stdint.h>

/* noexcept is part of function types from C++17 on; C and older C++ see
 * the same layout without it. */
#if defined(__cplusplus) && __cplusplus >= 201703L
#define AGENTHOST_NOEXCEPT noexcept
#else
#define AGENTHOST_NOEXCEPT
#endif
#ifdef __cplusplus
extern "C" {
#endif

/* ---- Versioning -------------------------------------------------------- */

#define AGENTHOST_MAKE_VERSION(major, minor) ((uint32_t)(((uint32_t)(major) << 16) | (uint32_t)(minor)))
#define AGENTHOST_VERSION_MAJOR(version) ((uint32_t)(version) >> 16)
#define AGENTHOST_VERSION_MINOR(version) ((uint32_t)(version)&0xffffu)

#define AGENTHOST_ABI_VERSION_MAJOR 1
#define AGENTHOST_ABI_VERSION_MINOR 2
#define AGENTHOST_ABI_VERSION AGENTHOST_MAKE_VERSION(AGENTHOST_ABI_VERSION_MAJOR, AGENTHOST_ABI_VERSION_MINOR)

/* The one symbol a plugin exports. */
#define AGENTHOST_ENTRY_POINT agenthost_plugin_init
#define AGENTHOST_ENTRY_POINT_NAME "agenthost_plugin_init"

#if defined(_WIN32)
#define AGENTHOST_EXPORT __declspec(dllexport)
#else
#define AGENTHOST_EXPORT __attribute__((visibility("default")))
#endif

/* ---- Basic types ------------------------------------------------------- */

/* A borrowed string: `len` bytes from `ptr`, UTF-8, not necessarily
 * NUL-terminated. {NULL, 0} is the empty string. */
typedef struct agenthost_str {
    const char* ptr;
    size_t len;
} agenthost_str;

typedef int32_t agenthost_status;
#define AGENTHOST_OK 0
/* The input does not suit the agent; the caller's mistake (HTTP 422). */
#define AGENTHOST_ERROR_INVALID_INPUT 1
/* The agent could not do the work. */
#define AGENTHOST_ERROR_FAILED 2
/* The run was cancelled and the agent stopped early. */
#define AGENTHOST_ERROR_CANCELLED 3
/* The plugin used a host service its manifest does not declare. */
#define AGENTHOST_ERROR_PERMISSION_DENIED 4
/* The service exists but is not available now (not configured, unreachable). */
#define AGENTHOST_ERROR_UNAVAILABLE 5
/* The thing asked for does not exist (for example a run memory key). */
#define AGENTHOST_ERROR_NOT_FOUND 6
/* (1.1) A person must approve the operation first: return this status from
 * on_invoke; the run pauses in pending_approval and, once approved, is
 * invoked again from the start (see callback_run_request_approval). */
#define AGENTHOST_ERROR_APPROVAL_REQUIRED 7
/* (1.2) A host callback refused an argument the plugin passed (an event
 * type that breaks the rules, a memory key too long, data that is not the
 * JSON asked for): the plugin's bug, never the HTTP caller's. Returned
 * from on_invoke, the run fails (synchronous invoke: 500 AgentFailed) with
 * a message naming the callback and the reason. A plugin that declares an
 * older minor gets AGENTHOST_ERROR_FAILED instead, a status it knows. */
#define AGENTHOST_ERROR_BAD_ARGUMENT 8
/* (1.2) The run waits for a person's answer to callback_run_interrupt:
 * stop without side effects and return this status from on_invoke. */
#define AGENTHOST_ERROR_INTERRUPTED 9

typedef int32_t agenthost_log_level;
#define AGENTHOST_LOG_DEBUG 0
#define AGENTHOST_LOG_INFO 1
#define AGENTHOST_LOG_WARN 2
#define AGENTHOST_LOG_ERROR 3

/* Opaque handles. */
typedef struct agenthost_host_agent* agenthost_host_agent_ptr; /* one loaded agent, host side */
typedef struct agenthost_host_run* agenthost_host_run_ptr;     /* one run in progress, host side */
typedef void* agenthost_module_agent_ptr;                      /* the plugin's agent instance */

/* Called once per token by the streaming LLM service. */
typedef void (*agenthost_token_sink)(void* user_data, agenthost_str token) AGENTHOST_NOEXCEPT;

/* ---- Host services (host -> plugin) ------------------------------------ */

/*
 * The host's service table, valid from the entry-point call until the plugin
 * is unloaded. Run-scoped callbacks take the run handle passed to on_invoke
 * and may be called only from inside that on_invoke call (from any thread
 * the plugin starts, as long as on_invoke has not returned).
 *
 * Views the host returns stay valid as documented on each member; the host
 * frees them, the plugin never does.
 */
typedef struct agenthost_host_api {
    uint32_t struct_size;
    uint32_t abi_version;

    /* Writes a line to the host's log, tagged with the agent's name. */
    void (*callback_log)(agenthost_host_agent_ptr agent, agenthost_log_level level,
                         agenthost_str message) AGENTHOST_NOEXCEPT;

    /* The agent's configuration as a JSON object, already validated against
     * the config schema in its manifest. Valid while the agent is loaded. */
    agenthost_str (*callback_agent_config)(agenthost_host_agent_ptr agent) AGENTHOST_NOEXCEPT;

    /* Records why on_create failed; the host copies the message. */
    void (*callback_agent_set_error)(agenthost_host_agent_ptr agent, agenthost_str message) AGENTHOST_NOEXCEPT;

    /* Appends an event (type such as "agent.progress", data a JSON object)
     * to the run's event log. Types are lower-case [a-z0-9_.], start with
     * a letter, at most 64 bytes, and not in the host's own families
     * "run.*", "llm.*", "exec.*" and (1.2) "memory.*"; anything else (or data that is not a
     * JSON object) is refused with AGENTHOST_ERROR_BAD_ARGUMENT. The event
     * reaches the run's log (GET /runs/{id}/events, SSE streams), not the
     * host's log. Needs the "events" permission. */
    agenthost_status (*callback_run_emit_event)(agenthost_host_run_ptr run, agenthost_str type,
                                                agenthost_str data_json) AGENTHOST_NOEXCEPT;

    /* Non-zero once the run has been cancelled: the agent should stop soon
     * and return AGENTHOST_ERROR_CANCELLED. Needs no permission. */
    int32_t (*callback_run_is_cancelled)(agenthost_host_run_ptr run) AGENTHOST_NOEXCEPT;

    /* Shared run memory: JSON values by key, shared by every run of one
     * thread, so chained agents build on each other's work. `out_value` is
     * valid until on_invoke returns. AGENTHOST_ERROR_NOT_FOUND when absent.
     * Keys are 1 to 256 bytes, values any JSON text; others are refused with
     * AGENTHOST_ERROR_BAD_ARGUMENT. Needs the "memory" permission. */
    agenthost_status (*callback_run_memory_get)(agenthost_host_run_ptr run, agenthost_str key,
                                                agenthost_str* out_value_json) AGENTHOST_NOEXCEPT;
    agenthost_status (*callback_run_memory_put)(agenthost_host_run_ptr run, agenthost_str key,
                                                agenthost_str value_json) AGENTHOST_NOEXCEPT;

    /* The run's outcome. set_result takes a JSON object; set_error a message
     * explaining a non-OK status returned from on_invoke. The host copies. */
    agenthost_status (*callback_run_set_result)(agenthost_host_run_ptr run,
                                                agenthost_str result_json) AGENTHOST_NOEXCEPT;
    void (*callback_run_set_error)(agenthost_host_run_ptr run, agenthost_str message) AGENTHOST_NOEXCEPT;

    /* Why the last failing callback on this run failed. Valid until the next
     * callback on the run or until on_invoke returns. */
    agenthost_str (*callback_run_last_error)(agenthost_host_run_ptr run) AGENTHOST_NOEXCEPT;

    /* Calls the configured LLM. Request and response are JSON objects:
     *   request  {"messages": [{"role": "system"|"user"|"assistant",
     *             "content": "..."}, ...] (non-empty), "model"?: "...",
     *             "json_mode"?: bool, "max_tokens"?: 1.., "temperature"?: 0..2}
     *   response {"content": "...", "usage": {"input_tokens",
     *             "output_tokens", "total_tokens"}, "provider", "model",
     *             "finish_reason"}
     * `out_response_json` is valid until on_invoke returns. The streaming
     * form also calls `sink` for each token (on the calling thread, before
     * it returns). Needs the "llm" permission. A malformed request fails
     * with AGENTHOST_ERROR_BAD_ARGUMENT (FAILED before 1.2); a provider that fails after its retries
     * with AGENTHOST_ERROR_UNAVAILABLE and a message naming the provider and
     * its last status. The host records each call's usage as an "llm.usage"
     * run event and streamed tokens as "llm.token" events; plugins may not
     * emit "llm.*" events themselves. Without a configured provider the
     * host's deterministic offline provider answers (README, LLM providers). */
    agenthost_status (*callback_run_llm_complete)(agenthost_host_run_ptr run, agenthost_str request_json,
                                                  agenthost_str* out_response_json) AGENTHOST_NOEXCEPT;
    agenthost_status (*callback_run_llm_stream)(agenthost_host_run_ptr run, agenthost_str request_json,
                                                agenthost_token_sink sink, void* sink_user_data,
                                                agenthost_str* out_response_json) AGENTHOST_NOEXCEPT;

    /* Outbound HTTP through the host, which sends it (1.2; before 1.2 hosts
     * answered AGENTHOST_ERROR_UNAVAILABLE). Request and response are JSON:
     *   request  {"method"?: "GET" (default)|"HEAD"|"POST"|"PUT"|"PATCH"|
     *             "DELETE"|"OPTIONS", "url": "http(s)://...", "headers"?:
     *             {"Name": "value"} (Host, Content-Length, Connection,
     *             Transfer-Encoding, Expect, Upgrade are the host's),
     *             "body"?: "...", "timeout_seconds"?: > 0 (default and upper
     *             bound: the operator's agents.<name>.http.max_timeout_seconds,
     *             30 unless set), "max_response_bytes"?: >= 1 (cut to the
     *             operator's max_response_bytes, 1 MiB unless set)}
     *   response {"status": n, "headers": {"lower-case-name": "value"},
     *             "body": "...", "duration_ms": n}
     * Any HTTP status is AGENTHOST_OK: judging it is the plugin's business.
     * Redirects are not followed (the 3xx comes back). Destinations pass
     * the same SSRF guard as webhooks: loopback, private-network,
     * link-local and cloud-metadata addresses are refused with
     * AGENTHOST_ERROR_PERMISSION_DENIED unless the operator lists the host
     * in agents.<name>.http.allowed_hosts; the connection goes to the
     * address that was checked. No answer (refused, reset, timed out, a
     * body past the size limit, a name that does not resolve) is
     * AGENTHOST_ERROR_UNAVAILABLE with the reason; a cancelled run cuts the
     * transfer (AGENTHOST_ERROR_CANCELLED); a malformed request is
     * AGENTHOST_ERROR_BAD_ARGUMENT. The host logs each request (method,
     * URL without its query, headers with Authorization, Cookie and other
     * credential values redacted, status, duration). `out_response_json` is
     * valid until on_invoke returns. Needs the "http" permission. */
    agenthost_status (*callback_run_http_request)(agenthost_host_run_ptr run, agenthost_str request_json,
                                                  agenthost_str* out_response_json) AGENTHOST_NOEXCEPT;

    /* ---- Added in ABI 1.1: check struct_size before use. ---- */

    /* Asks for a person's approval before a destructive operation
     * ({"operation": "apply", "reason": "...", "details": {...}}).
     * AGENTHOST_OK when this run's operation is already approved: go ahead.
     * AGENTHOST_ERROR_APPROVAL_REQUIRED otherwise: stop without side effects
     * and return that status from on_invoke; the host pauses the run until
     * someone approves (the run is then invoked again from the start and
     * this call answers OK) or rejects it (the run ends cancelled). Needs no
     * permission. */
    agenthost_status (*callback_run_request_approval)(agenthost_host_run_ptr run,
                                                      agenthost_str request_json) AGENTHOST_NOEXCEPT;

    /* ---- Added in ABI 1.2: check struct_size before use. ---- */

    /* Runs a program for the run, sandboxed, and waits for it. Plugins never
     * fork or exec themselves; this is how an agent runs git, terraform,
     * kubectl or a linter. Request and response are JSON objects:
     *   request  {"argv": ["kubectl", "apply", "-f", "-"] (argv[0] is the
     *             bare name of a binary the operator allows in
     *             agents.<name>.exec.allow; the host resolves it on its own
     *             PATH), "cwd"?: "sub/dir" (relative to the run's workspace,
     *             default "."), "env"?: {"NAME": "value"} (PATH, LD_* and
     *             BASH_FUNC_* are refused; the operator's exec.env wins),
     *             "stdin"?: "...", "timeout_seconds"?: > 0 (default 60, cut
     *             to the operator's exec.max_timeout_seconds), "network"?:
     *             bool (default false; true needs exec.network),
     *             "max_output_bytes"?: 1..16777216 (default 1 MiB, stdout
     *             and stderr together)}
     *   response {"exit_code": n (-1 when a signal ended it), "signal": n
     *             (0 if none), "timed_out": bool, "stdout": "...",
     *             "stderr": "...", "truncated": bool (output past the limit
     *             was dropped and the command killed), "duration_ms": n,
     *             "sandbox": "bwrap (no network)"|...}
     * The command runs under bubblewrap: every namespace unshared, the
     * system directories read-only, a private /tmp, and the run's workspace
     * (input "workspace" of on_agent_invoke) the only writable directory; no
     * network unless asked for and allowed. A timeout kills it (timed_out);
     * a cancelled run kills it and the call fails with
     * AGENTHOST_ERROR_CANCELLED. Its output lines are recorded as run events
     * "exec.output" ({"stream": "stdout"|"stderr", "line"}; at most 1000
     * per command) between "exec.started" and "exec.finished"
     * ({"exit_code", "signal", "timed_out", "truncated", "duration_ms",
     * "cancelled", "lines_not_emitted"}); plugins may not
     * emit "exec.*" events themselves. A non-zero exit is AGENTHOST_OK with
     * the exit code: judging it is the plugin's business.
     * Failures: AGENTHOST_ERROR_PERMISSION_DENIED without the "exec"
     * permission, for a binary not on the allow-list or network not
     * allowed; AGENTHOST_ERROR_UNAVAILABLE when the binary is not on the
     * host's PATH or the sandbox cannot start on this host (the message
     * says why); AGENTHOST_ERROR_BAD_ARGUMENT for a malformed request.
     * `out_response_json` is valid until on_invoke returns. Blocks the
     * calling thread until the command ends. Needs the "exec" permission. */
    agenthost_status (*callback_run_exec)(agenthost_host_run_ptr run, agenthost_str request_json,
                                          agenthost_str* out_response_json) AGENTHOST_NOEXCEPT;

    /* ---- Resumable interrupts (1.2, appended after callback_run_exec):
     * check struct_size before use. ---- */

    /* Asks a person a question and returns the answer. Request:
     *   {"question": "..." (or any JSON value the client shows), "schema"?:
     *    {JSON Schema the answer must satisfy}, "details"?: {...}}
     * The first time a run reaches this call it answers
     * AGENTHOST_ERROR_INTERRUPTED: stop without side effects and return that
     * status from on_invoke. The run then pauses durably (status
     * pending_approval, its thread "interrupted"; no worker thread or runner
     * is held) until someone answers through POST /threads/{id}/runs/{run_id}
     * /resume or POST /workflow/approve/{thread_id} with a "resume" value
     * (validated against "schema"), or rejects it (the run ends cancelled).
     * The run is then invoked again from the start, and this call answers
     * AGENTHOST_OK with `out_resume_json` the answer (JSON text, valid until
     * on_invoke returns). A run may interrupt several times: the n-th call
     * of an execution answers the n-th stored answer, so an agent written
     * straight through (ask, ask again, act) works unchanged; it must ask
     * in the same order each time. A malformed request is
     * AGENTHOST_ERROR_BAD_ARGUMENT. Needs no permission. */
    agenthost_status (*callback_run_interrupt)(agenthost_host_run_ptr run, agenthost_str request_json,
                                               agenthost_str* out_resume_json) AGENTHOST_NOEXCEPT;
    /* ---- end of resumable interrupts ---- */
    /* ---- Added in ABI 1.2 (store): the long-term store. Check struct_size
     * before use: a 1.2 host built before it ends the table above. ---- */

    /* Items that outlive threads, shared by every run of the tenant that
     * owns the run (the same items as the HTTP API's /store/items). One
     * call for every operation; request and response are JSON objects:
     *   {"op": "put", "namespace": ["users", "u1"], "key": "prefs",
     *    "value": {...} (an object, at most 256 KiB), "ttl"?: minutes > 0
     *    (null or absent: never expires)}                  -> {}
     *   {"op": "get", "namespace": [...], "key": "...", "refresh_ttl"?:
     *    bool (restart the item's ttl from now)}         -> the item
     *    {"namespace", "key", "value", "created_at", "updated_at",
     *    "expires_at"?}, or AGENTHOST_ERROR_NOT_FOUND
     *   {"op": "delete", "namespace": [...], "key": "..."} -> {"deleted": bool}
     *   {"op": "search", "namespace_prefix"?: [...], "filter"?: {"field":
     *    value or {"$eq"|"$ne"|"$gt"|"$gte"|"$lt"|"$lte": value}},
     *    "query"?: "words" (ranked by full-text relevance, best first, each
     *    item with a "score"), "limit"?: 1..1000 (10), "offset"?: n,
     *    "refresh_ttl"?: bool}
     *                                                     -> {"items": [...]}
     *   {"op": "list_namespaces", "prefix"?: [...], "suffix"?: [...],
     *    "max_depth"?: n, "limit"?: 1..1000 (100), "offset"?: n}
     *                                                     -> {"namespaces": [[...], ...]}
     * Namespace labels are non-empty strings without '.'; keys 1 to 1024
     * bytes. A request that breaks these rules is AGENTHOST_ERROR_BAD_ARGUMENT
     * with the field named in callback_run_last_error; a database that
     * cannot be reached AGENTHOST_ERROR_UNAVAILABLE. Writes are committed
     * when the call returns. `out_response_json` is valid until on_invoke
     * returns (it may be NULL for put and delete). Needs the "store"
     * permission. */
    agenthost_status (*callback_run_store)(agenthost_host_run_ptr run, agenthost_str request_json,
                                           agenthost_str* out_response_json) AGENTHOST_NOEXCEPT;
    /* ---- End of the store block. ---- */
    /* ---- Added in ABI 1.2 (exec check), after the store block. Check
     * struct_size before use: a 1.2 host built before it ends the table
     * above. ---- */

    /* Whether callback_run_exec would run this request, decided without
     * running anything: the same request, the same refusals with the same
     * messages (AGENTHOST_ERROR_PERMISSION_DENIED for a binary not on the
     * allow-list or network not allowed, AGENTHOST_ERROR_UNAVAILABLE when
     * the binary is not on the host's PATH or no sandbox can start here,
     * AGENTHOST_ERROR_BAD_ARGUMENT for a malformed request), or AGENTHOST_OK
     * with {"allowed": true, "binary": "/usr/bin/kubectl", "sandbox":
     * "bwrap (network)"|"none: why"}. The request's cwd need not exist yet.
     * Records no event. An agent calls it before it asks a person to
     * approve a command (callback_run_request_approval), so that nobody is
     * asked to approve what this host can never run. `out_response_json`
     * is valid until on_invoke returns (it may be NULL). Needs the "exec"
     * permission. */
    agenthost_status (*callback_run_exec_check)(agenthost_host_run_ptr run, agenthost_str request_json,
                                                agenthost_str* out_response_json) AGENTHOST_NOEXCEPT;
    /* ---- End of the exec check block. ---- */
} agenthost_host_api;

/* ---- The agent (plugin -> host) ---------------------------------------- */

typedef struct agenthost_agent_descriptor {
    uint32_t struct_size;
    /* The ABI version the plugin was built against (AGENTHOST_ABI_VERSION). */
    uint32_t abi_version;
    /* Must equal the name in the plugin's manifest. */
    agenthost_str name;
    agenthost_str version;

    /* Makes an agent instance. `config_json` is valid only during the call.
     * On success return AGENTHOST_OK with a non-NULL *out_agent (a plugin
     * without state still hands back some non-NULL pointer); on failure
     * explain through callback_agent_set_error and return non-OK. */
    agenthost_status (*on_agent_create)(const agenthost_host_api* host, agenthost_host_agent_ptr host_agent,
                                        agenthost_str config_json,
                                        agenthost_module_agent_ptr* out_agent) AGENTHOST_NOEXCEPT;

    /* Frees what on_agent_create made. Called before the library is unloaded
     * and never while an on_agent_invoke on the instance is in progress. */
    void (*on_agent_destroy)(agenthost_module_agent_ptr agent) AGENTHOST_NOEXCEPT;

    /* Runs one task. May be called from several threads at once.
     * `input_json` is valid during the call: {"run_id", "thread_id",
     * "task", "context" (the request's object, {} when none), "attempt"
     * (1, more when another host took the run over after its host died;
     * approval rounds do not count)}, and when they apply: "iteration" and
     * "max_iterations" (a looping run, 1-based), "previous_result" (the
     * previous iteration's result), "workflow_iteration" (a step of a
     * looping workflow), "remediation" ({"try", "reasons",
     * "previous_result"} when the host retries because the last result
     * failed its output_schema or review). For an agent with the "llm" permission it also
     * has "llm": {"provider": "offline"|"openai"|"anthropic", "model": "...",
     * "fallback": "offline"|"fail" (the manifest's llm_fallback)}, so the
     * agent can use its own offline algorithm when the provider is
     * "offline". (1.2) For an agent with the "exec" permission, or running
     * in process mode, it also has "workspace": the absolute path of the
     * run's private directory, made empty for each execution of the run and
     * removed when it ends; exec commands run in it, and in a sandboxed
     * runner it is the only writable directory besides a /tmp shared by
     * the runner's runs. On success, call callback_run_set_result and return
     * AGENTHOST_OK; otherwise call callback_run_set_error and return the
     * status that says why. A result's "artifacts" array ({"path",
     * "content", "media_type"} objects) is also recorded by the host as one
     * "artifact" run event each. */
    agenthost_status (*on_agent_invoke)(agenthost_module_agent_ptr agent, agenthost_host_run_ptr run,
                                        agenthost_str input_json) AGENTHOST_NOEXCEPT;
} agenthost_agent_descriptor;

/* The entry point's type. Returns NULL when the plugin cannot work with this
 * host at all; the returned descriptor is static and lives as long as the
 * library is loaded. */
typedef const agenthost_agent_descriptor* (*agenthost_plugin_init_fn)(const agenthost_host_api* host,
                                                                       uint32_t host_abi_version)
    AGENTHOST_NOEXCEPT;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* AGENTHOST_ABI_H */
