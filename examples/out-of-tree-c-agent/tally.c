/* tally: counts the runs of one thread in the thread's shared memory, in
 * plain C against agenthost/abi.h (no C++ helper). It shows the calls most
 * C agents need: run memory (read, then write back), an event, the result,
 * and an error for input it cannot use. The thread's memory is shared by
 * every run of the thread, so other agents on it see "tally.count" too. */
#include <agenthost/abi.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const agenthost_host_api* g_host;

/* The host wants a non-NULL instance; the count lives in the thread's
 * memory, not here, so it survives restarts and is shared by hosts. */
static int g_instance;

static agenthost_str text_of(const char* text, size_t length) {
    agenthost_str s = {text, length};
    return s;
}

static agenthost_status fail(agenthost_host_run_ptr run, agenthost_status status, const char* message) {
    g_host->callback_run_set_error(run, text_of(message, strlen(message)));
    return status;
}

static agenthost_status on_create(const agenthost_host_api* host, agenthost_host_agent_ptr agent,
                                  agenthost_str config_json, agenthost_module_agent_ptr* out) AGENTHOST_NOEXCEPT {
    (void)agent;
    (void)config_json;
    g_host = host;
    *out = &g_instance;
    return AGENTHOST_OK;
}

static void on_destroy(agenthost_module_agent_ptr agent) AGENTHOST_NOEXCEPT { (void)agent; }

/* The count stored so far: 0 when the key is absent, -1 when the value is
 * not a non-negative integer (another agent wrote something else there). */
static long stored_count(agenthost_host_run_ptr run, const char* key) {
    agenthost_str value = {NULL, 0};
    agenthost_status status = g_host->callback_run_memory_get(run, text_of(key, strlen(key)), &value);
    if (status == AGENTHOST_ERROR_NOT_FOUND) return 0;
    if (status != AGENTHOST_OK || value.len == 0 || value.len > 18) return -1;
    long count = 0;
    for (size_t i = 0; i < value.len; ++i) {
        if (value.ptr[i] < '0' || value.ptr[i] > '9') return -1;
        count = count * 10 + (value.ptr[i] - '0');
    }
    return count;
}

static agenthost_status on_invoke(agenthost_module_agent_ptr agent, agenthost_host_run_ptr run,
                                  agenthost_str input_json) AGENTHOST_NOEXCEPT {
    (void)agent;
    (void)input_json;
    const char* key = "tally.count";
    long count = stored_count(run, key);
    if (count < 0) return fail(run, AGENTHOST_ERROR_FAILED, "the thread's tally.count is not a count");
    if (g_host->callback_run_is_cancelled(run)) return fail(run, AGENTHOST_ERROR_CANCELLED, "cancelled");
    ++count;

    char number[32];
    int length = snprintf(number, sizeof number, "%ld", count);
    agenthost_status status = g_host->callback_run_memory_put(run, text_of(key, strlen(key)), text_of(number, (size_t)length));
    if (status != AGENTHOST_OK) return fail(run, status, "could not store the tally in the thread's memory");

    char json[96];
    length = snprintf(json, sizeof json, "{\"count\":%ld}", count);
    const char* event = "tally.counted";
    g_host->callback_run_emit_event(run, text_of(event, strlen(event)), text_of(json, (size_t)length));
    return g_host->callback_run_set_result(run, text_of(json, (size_t)length));
}

AGENTHOST_EXPORT const agenthost_agent_descriptor* AGENTHOST_ENTRY_POINT(const agenthost_host_api* host,
                                                                        uint32_t host_abi_version) AGENTHOST_NOEXCEPT {
    /* Name, version and ABI must match manifest.json (the build checks). 1.0:
     * it uses nothing newer, so it loads in every 1.x host. */
    static const agenthost_agent_descriptor descriptor = {
        sizeof(agenthost_agent_descriptor),
        AGENTHOST_MAKE_VERSION(1, 0),
        {"tally", sizeof("tally") - 1},
        {"1.0.0", sizeof("1.0.0") - 1},
        &on_create,
        &on_destroy,
        &on_invoke,
    };
    (void)host;
    (void)host_abi_version;
    return &descriptor;
}
