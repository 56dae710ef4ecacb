/* A table of one ABI version's layout (see abi_layout.c). */
#ifndef AGENTHOST_TESTS_ABI_LAYOUT_H
#define AGENTHOST_TESTS_ABI_LAYOUT_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A struct member (offset, size), a sizeof (size, 0) or a constant (value, 0). */
struct abi_entry {
    const char* name;
    size_t first;
    size_t second;
};

struct abi_layout {
    unsigned minor;
    size_t host_api_size;
    size_t descriptor_size;
    const struct abi_entry* entries;
    size_t count;
};

struct abi_layout abi_layout_1_0(void);
struct abi_layout abi_layout_1_1(void);
struct abi_layout abi_layout_current(void);

#ifdef __cplusplus
}
#endif

#endif
