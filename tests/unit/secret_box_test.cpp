// Webhook secrets sealed at rest with libsodium's secretbox.
#include "store/secret_box.hpp"

#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

using agenthost::store::load_secret_box;
using agenthost::store::SecretBox;

namespace {

SecretBox::Key key_of(unsigned char fill) {
    SecretBox::Key key;
    key.fill(fill);
    return key;
}

std::string temp_dir() {
    char pattern[] = "/tmp/agenthost-secret-XXXXXX";
    return mkdtemp(pattern);
}

}  // namespace

TEST_CASE("seal and open round-trip, and sealing is idempotent", "[secrets]") {
    SecretBox box(key_of(1));
    std::string sealed = box.seal("whsec_topsecret");
    CHECK(SecretBox::is_sealed(sealed));
    CHECK(sealed.find("topsecret") == std::string::npos);
    CHECK(box.seal(sealed) == sealed);
    CHECK(box.open(sealed) == "whsec_topsecret");
    CHECK(box.seal("") == "");
    // Two seals of one secret differ (a fresh nonce each time).
    CHECK(box.seal("whsec_topsecret") != sealed);
    // Secrets stored before sealing existed are used as they are.
    CHECK(box.open("legacy-plain") == "legacy-plain");
}

TEST_CASE("a wrong key, a tampered box and rotation", "[secrets]") {
    SecretBox old_box(key_of(1));
    std::string sealed = old_box.seal("s3cret");
    SecretBox other(key_of(2));
    CHECK_THROWS_WITH(other.open(sealed), Catch::Contains("does not have"));
    SecretBox rotated(key_of(2), {key_of(1)});
    CHECK(rotated.open(sealed) == "s3cret");
    CHECK(rotated.seal("new").find(rotated.key_id()) != std::string::npos);
    std::string tampered = sealed;
    tampered[tampered.size() - 3] = tampered[tampered.size() - 3] == 'A' ? 'B' : 'A';
    CHECK_THROWS(old_box.open(tampered));
}

TEST_CASE("the key file is created once with mode 0600 and reused", "[secrets]") {
    unsetenv("AGENTHOST_SECRET_KEY");
    unsetenv("AGENTHOST_SECRET_KEY_PREVIOUS");
    std::string dir = temp_dir();
    SecretBox first = load_secret_box(dir);
    struct stat info {};
    REQUIRE(::stat((dir + "/secret.key").c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0600);
    SecretBox second = load_secret_box(dir);
    CHECK(second.open(first.seal("kept")) == "kept");
    // A key file others can read is refused rather than used.
    ::chmod((dir + "/secret.key").c_str(), 0644);
    CHECK_THROWS_WITH(load_secret_box(dir), Catch::Contains("chmod 600"));
    std::filesystem::remove_all(dir);
}

TEST_CASE("AGENTHOST_SECRET_KEY wins over the file and must be 32 bytes", "[secrets]") {
    std::string dir = temp_dir();
    setenv("AGENTHOST_SECRET_KEY", std::string(64, 'a').c_str(), 1);
    SecretBox from_env = load_secret_box(dir);
    CHECK_FALSE(std::filesystem::exists(dir + "/secret.key"));
    CHECK(SecretBox(key_of(0xaa)).open(from_env.seal("x")) == "x");
    setenv("AGENTHOST_SECRET_KEY", "too-short", 1);
    CHECK_THROWS_WITH(load_secret_box(dir), Catch::Contains("AGENTHOST_SECRET_KEY"));
    unsetenv("AGENTHOST_SECRET_KEY");
    std::filesystem::remove_all(dir);
}
