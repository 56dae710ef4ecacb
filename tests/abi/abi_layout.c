/* One ABI version's struct layout, as data: compiled once per header (the
 * released 1.0 and 1.1 headers kept under tests/fixtures/abi/, and the
 * current sdk/include), each time with LAYOUT_FUNCTION naming the function
 * that returns its table. abi_compat_test.cpp compares the tables: a member
 * of a released version that moved, changed size or vanished fails the
 * test, and so does a changed status or log-level value. */
#include <agenthost/abi.h>

#include <stddef.h>

#include "abi_layout.h"

#define MEMBER(type, member) {#type "." #member, offsetof(type, member), sizeof(((type*)0)->member)}
#define VALUE(name) {#name, (size_t)(name), 0}

static const struct abi_entry entries[] = {
    {"sizeof agenthost_str", sizeof(agenthost_str), 0},
    MEMBER(agenthost_str, ptr),
    MEMBER(agenthost_str, len),
    MEMBER(agenthost_host_api, struct_size),
    MEMBER(agenthost_host_api, abi_version),
    MEMBER(agenthost_host_api, callback_log),
    MEMBER(agenthost_host_api, callback_agent_config),
    MEMBER(agenthost_host_api, callback_agent_set_error),
    MEMBER(agenthost_host_api, callback_run_emit_event),
    MEMBER(agenthost_host_api, callback_run_is_cancelled),
    MEMBER(agenthost_host_api, callback_run_memory_get),
    MEMBER(agenthost_host_api, callback_run_memory_put),
    MEMBER(agenthost_host_api, callback_run_set_result),
    MEMBER(agenthost_host_api, callback_run_set_error),
    MEMBER(agenthost_host_api, callback_run_last_error),
    MEMBER(agenthost_host_api, callback_run_llm_complete),
    MEMBER(agenthost_host_api, callback_run_llm_stream),
    MEMBER(agenthost_host_api, callback_run_http_request),
#if AGENTHOST_ABI_VERSION_MINOR >= 1
    MEMBER(agenthost_host_api, callback_run_request_approval),
#endif
#if AGENTHOST_ABI_VERSION_MINOR >= 2
    MEMBER(agenthost_host_api, callback_run_exec),
    MEMBER(agenthost_host_api, callback_run_store),
    MEMBER(agenthost_host_api, callback_run_exec_check),
#endif
#ifdef AGENTHOST_ERROR_INTERRUPTED
    MEMBER(agenthost_host_api, callback_run_interrupt),
#endif
    MEMBER(agenthost_agent_descriptor, struct_size),
    MEMBER(agenthost_agent_descriptor, abi_version),
    MEMBER(agenthost_agent_descriptor, name),
    MEMBER(agenthost_agent_descriptor, version),
    MEMBER(agenthost_agent_descriptor, on_agent_create),
    MEMBER(agenthost_agent_descriptor, on_agent_destroy),
    MEMBER(agenthost_agent_descriptor, on_agent_invoke),
    {"sizeof agenthost_status", sizeof(agenthost_status), 0},
    {"sizeof agenthost_log_level", sizeof(agenthost_log_level), 0},
    VALUE(AGENTHOST_ABI_VERSION_MAJOR),
    VALUE(AGENTHOST_OK),
    VALUE(AGENTHOST_ERROR_INVALID_INPUT),
    VALUE(AGENTHOST_ERROR_FAILED),
    VALUE(AGENTHOST_ERROR_CANCELLED),
    VALUE(AGENTHOST_ERROR_PERMISSION_DENIED),
    VALUE(AGENTHOST_ERROR_UNAVAILABLE),
    VALUE(AGENTHOST_ERROR_NOT_FOUND),
#if AGENTHOST_ABI_VERSION_MINOR >= 1
    VALUE(AGENTHOST_ERROR_APPROVAL_REQUIRED),
#endif
#if AGENTHOST_ABI_VERSION_MINOR >= 2
    VALUE(AGENTHOST_ERROR_BAD_ARGUMENT),
#endif
#ifdef AGENTHOST_ERROR_INTERRUPTED
    VALUE(AGENTHOST_ERROR_INTERRUPTED),
#endif
    VALUE(AGENTHOST_LOG_DEBUG),
    VALUE(AGENTHOST_LOG_INFO),
    VALUE(AGENTHOST_LOG_WARN),
    VALUE(AGENTHOST_LOG_ERROR),
};

struct abi_layout LAYOUT_FUNCTION(void) {
    struct abi_layout layout = {AGENTHOST_ABI_VERSION_MINOR, sizeof(agenthost_host_api),
                                sizeof(agenthost_agent_descriptor), entries, sizeof entries / sizeof entries[0]};
    return layout;
}
