// The crash journal the fatal-signal handler appends to and recovery reads.
#include "isolation/crash_journal.hpp"
#include "host_process.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

using namespace agenthost;

TEST_CASE("the crash journal keeps the faulting run, survives a cut last line and is emptied after use") {
    std::string dir = testing::make_temp_dir();
    std::string path = dir + "/crash-journal";
    {
        std::ofstream out(path);
        out << "SIGSEGV\trun-1\tfaulty\t1\n"
            << "SIGSEGV\trun-2\techo\t0\n"
            << "SIGABRT\trun-1\tfaulty\t0\n"  // a later crash with it as bystander
            << "SIGSEGV\trun-3\tech";         // the crash cut this line short
    }
    auto records = isolation::read_crash_journal(path);
    REQUIRE(records.size() == 2);
    CHECK(records["run-1"].faulting);
    CHECK(records["run-1"].signal == "SIGABRT");
    CHECK(records["run-1"].agent == "faulty");
    CHECK_FALSE(records["run-2"].faulting);
    CHECK(isolation::describe_crash(records["run-2"]) == "the host died (SIGSEGV) while agent 'echo' executed it");

    isolation::clear_crash_journal(path);
    CHECK(isolation::read_crash_journal(path).empty());
    CHECK(isolation::read_crash_journal(dir + "/none").empty());
    CHECK(isolation::read_crash_journal("").empty());
    std::filesystem::remove_all(dir);
}
