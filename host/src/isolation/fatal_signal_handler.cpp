#include "isolation/fatal_signal_handler.hpp"

#include <atomic>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace agenthost::isolation {
namespace {

// A fixed table the handler can read without locks: a slot is claimed by a
// compare-and-swap, filled, then published (state 2); the handler reads only
// published slots.
constexpr int kSlots = 1024;
constexpr size_t kIdBytes = 64;
constexpr size_t kAgentBytes = 128;

struct Slot {
    std::atomic<int> state{0};  // 0 free, 1 being filled, 2 published
    char run_id[kIdBytes];
    char agent[kAgentBytes];
};

Slot g_slots[kSlots];
std::atomic<int> g_cursor{0};
int g_journal_fd = -1;
std::atomic<int> g_reporting{0};
// The slot of the run whose plugin code runs on this thread: the culprit
// when the fault happens on this thread.
thread_local int t_current_slot = -1;

void copy_bounded(char* to, size_t capacity, const std::string& from) {
    size_t n = std::min(capacity - 1, from.size());
    std::memcpy(to, from.data(), n);
    to[n] = '\0';
}

// Async-signal-safe output: write(2) only.
void put(int fd, const char* text) {
    if (fd < 0) return;
    size_t left = std::strlen(text);
    while (left > 0) {
        ssize_t n = write(fd, text, left);
        if (n <= 0) return;
        text += n;
        left -= static_cast<size_t>(n);
    }
}

void report(int signal_number) {
    const char* name = signal_name(signal_number);
    int culprit = t_current_slot;
    put(STDERR_FILENO, "agenthost: fatal signal ");
    put(STDERR_FILENO, name);
    if (culprit >= 0 && g_slots[culprit].state.load() == 2) {
        put(STDERR_FILENO, " in plugin code of agent '");
        put(STDERR_FILENO, g_slots[culprit].agent);
        put(STDERR_FILENO, "' executing run ");
        put(STDERR_FILENO, g_slots[culprit].run_id);
    } else {
        put(STDERR_FILENO, " outside any run's plugin call on the faulting thread");
    }
    put(STDERR_FILENO, "\n");
    for (int i = 0; i < kSlots; ++i) {
        Slot& slot = g_slots[i];
        if (slot.state.load() != 2) continue;
        put(STDERR_FILENO, "agenthost: executing at the crash: agent '");
        put(STDERR_FILENO, slot.agent);
        put(STDERR_FILENO, "' run ");
        put(STDERR_FILENO, slot.run_id);
        put(STDERR_FILENO, i == culprit ? " (faulting thread)\n" : "\n");
        // Journal line: signal, run id, agent, 1 when on the faulting thread.
        put(g_journal_fd, name);
        put(g_journal_fd, "\t");
        put(g_journal_fd, slot.run_id);
        put(g_journal_fd, "\t");
        put(g_journal_fd, slot.agent);
        put(g_journal_fd, i == culprit ? "\t1\n" : "\t0\n");
    }
    if (g_journal_fd >= 0) fsync(g_journal_fd);
}

void on_fatal_signal(int signal_number, siginfo_t*, void*) {
    // Only the first faulting thread reports; others wait for it to end the
    // process.
    if (g_reporting.exchange(1) == 0) report(signal_number);
    else
        for (;;) pause();
    // The handler was installed with SA_RESETHAND: the default action (die,
    // dump core) happens when the signal comes again.
    signal(signal_number, SIG_DFL);
    raise(signal_number);
}

}  // namespace

const char* signal_name(int signal_number) {
    switch (signal_number) {
        case SIGSEGV: return "SIGSEGV";
        case SIGABRT: return "SIGABRT";
        case SIGBUS: return "SIGBUS";
        case SIGFPE: return "SIGFPE";
        case SIGILL: return "SIGILL";
        case SIGKILL: return "SIGKILL";
        case SIGTERM: return "SIGTERM";
        case SIGXCPU: return "SIGXCPU";
        case SIGSYS: return "SIGSYS";
        default: return "signal";
    }
}

void install_fatal_signal_handler(const std::string& journal_path) {
    if (!journal_path.empty())
        g_journal_fd = open(journal_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    struct sigaction action {};
    action.sa_sigaction = on_fatal_signal;
    action.sa_flags = SA_SIGINFO | SA_RESETHAND;
    sigemptyset(&action.sa_mask);
    for (int signal_number : {SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL}) sigaction(signal_number, &action, nullptr);
}

ExecutingRun::ExecutingRun(const std::string& run_id, const std::string& agent) : previous_(t_current_slot) {
    for (int tries = 0; tries < kSlots; ++tries) {
        int index = g_cursor.fetch_add(1) % kSlots;
        int expected = 0;
        if (!g_slots[index].state.compare_exchange_strong(expected, 1)) continue;
        copy_bounded(g_slots[index].run_id, kIdBytes, run_id);
        copy_bounded(g_slots[index].agent, kAgentBytes, agent);
        g_slots[index].state.store(2);
        slot_ = index;
        t_current_slot = index;
        return;
    }
}

ExecutingRun::~ExecutingRun() {
    if (slot_ < 0) return;
    t_current_slot = previous_;
    g_slots[slot_].state.store(0);
}

}  // namespace agenthost::isolation
