// The ABI checked by a machine: every member and constant of the released
// 1.0 and 1.1 headers (tests/fixtures/abi/) has the same offset, size or
// value in the current abi.h, the current tables are no smaller, and the
// current header is still the same major. An incompatible edit of abi.h
// (a member moved, resized, removed or inserted before the end; a status
// renumbered) fails here.
#include "abi_layout.h"

#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <utility>

namespace {

std::map<std::string, std::pair<size_t, size_t>> entries_of(const abi_layout& layout) {
    std::map<std::string, std::pair<size_t, size_t>> entries;
    for (size_t i = 0; i < layout.count; ++i)
        entries[layout.entries[i].name] = {layout.entries[i].first, layout.entries[i].second};
    return entries;
}

void check_compatible(const abi_layout& released, const abi_layout& current) {
    INFO("released minor " << released.minor << ", current minor " << current.minor);
    CHECK(current.minor >= released.minor);
    CHECK(current.host_api_size >= released.host_api_size);
    CHECK(current.descriptor_size >= released.descriptor_size);
    auto now = entries_of(current);
    for (const auto& [name, value] : entries_of(released)) {
        INFO(name);
        REQUIRE(now.count(name) == 1);
        CHECK(now[name] == value);
    }
}

}  // namespace

TEST_CASE("the current abi.h keeps the layout and constants of the released 1.0 header") {
    abi_layout released = abi_layout_1_0();
    REQUIRE(released.minor == 0);
    check_compatible(released, abi_layout_current());
}

TEST_CASE("the current abi.h keeps the layout and constants of the released 1.1 header") {
    abi_layout released = abi_layout_1_1();
    REQUIRE(released.minor == 1);
    check_compatible(released, abi_layout_current());
    // 1.1 appended callback_run_request_approval right after 1.0's table.
    CHECK(entries_of(released)["agenthost_host_api.callback_run_request_approval"].first ==
          abi_layout_1_0().host_api_size);
}

TEST_CASE("each minor's additions sit at the end of the table, after every older member") {
    auto current = entries_of(abi_layout_current());
    size_t end_1_1 = abi_layout_1_1().host_api_size;
    for (const auto& [name, value] : current)
        if (name.rfind("agenthost_host_api.", 0) == 0 && entries_of(abi_layout_1_1()).count(name) == 0) {
            INFO(name << " is new since 1.1");
            CHECK(value.first >= end_1_1);
        }
}

TEST_CASE("callback_run_interrupt was appended after callback_run_exec, at the end of the 1.2 table") {
    auto current = entries_of(abi_layout_current());
    REQUIRE(current.count("agenthost_host_api.callback_run_interrupt") == 1);
    size_t exec = current["agenthost_host_api.callback_run_exec"].first;
    size_t interrupt = current["agenthost_host_api.callback_run_interrupt"].first;
    CHECK(interrupt >= exec + sizeof(void*));
    CHECK(current["AGENTHOST_ERROR_INTERRUPTED"].first == 9);
}

TEST_CASE("1.2's later calls keep the order they landed in: exec, interrupt, store, exec check, which ends the table") {
    auto current = entries_of(abi_layout_current());
    REQUIRE(current.count("agenthost_host_api.callback_run_store") == 1);
    REQUIRE(current.count("agenthost_host_api.callback_run_exec_check") == 1);
    size_t interrupt = current["agenthost_host_api.callback_run_interrupt"].first;
    size_t store = current["agenthost_host_api.callback_run_store"].first;
    size_t exec_check = current["agenthost_host_api.callback_run_exec_check"].first;
    CHECK(store == interrupt + sizeof(void*));
    CHECK(exec_check == store + sizeof(void*));
    CHECK(abi_layout_current().host_api_size == exec_check + sizeof(void*));
}
