#include <catch2/catch.hpp>
#include <textkit/sentences.hpp>

#include <string>
#include <vector>

namespace {

std::vector<std::string> texts_of(const std::vector<textkit::Sentence>& sentences) {
    std::vector<std::string> texts;
    for (const auto& sentence : sentences) texts.push_back(sentence.text);
    return texts;
}

std::vector<std::string> split(const std::string& text) { return texts_of(textkit::split_sentences(text)); }

// Code points [begin, end) of UTF-8 text: what a caller does with the offsets.
std::string slice_code_points(const std::string& text, std::size_t begin, std::size_t end) {
    std::size_t code_point = 0;
    std::size_t begin_byte = text.size();
    std::size_t end_byte = text.size();
    for (std::size_t byte = 0; byte <= text.size(); ++byte) {
        const bool starts_code_point = byte == text.size() || (static_cast<unsigned char>(text[byte]) & 0xC0) != 0x80;
        if (!starts_code_point) continue;
        if (code_point == begin) begin_byte = byte;
        if (code_point == end) end_byte = byte;
        ++code_point;
    }
    return text.substr(begin_byte, end_byte - begin_byte);
}

}  // namespace

TEST_CASE("a news paragraph splits into its sentences", "[sentences]") {
    const std::string news =
        "The central bank raised interest rates by 0.25 percentage points on Wednesday. "
        "It was the third increase this year! Will borrowing costs keep rising? "
        "Analysts expect one more hike before December.";
    CHECK(split(news) == std::vector<std::string>{
                             "The central bank raised interest rates by 0.25 percentage points on Wednesday.",
                             "It was the third increase this year!",
                             "Will borrowing costs keep rising?",
                             "Analysts expect one more hike before December.",
                         });
}

TEST_CASE("titles, e.g., initialisms and decimals do not end sentences", "[sentences]") {
    const std::string text =
        "Mr. Smith met Dr. Jones at 3.5 km from the U.S. Capitol. "
        "They discussed tools, e.g. compilers and debuggers, for Acme Inc. engineers. "
        "J. R. R. Tolkien was not mentioned.";
    CHECK(split(text) == std::vector<std::string>{
                             "Mr. Smith met Dr. Jones at 3.5 km from the U.S. Capitol.",
                             "They discussed tools, e.g. compilers and debuggers, for Acme Inc. engineers.",
                             "J. R. R. Tolkien was not mentioned.",
                         });
}

TEST_CASE("an abbreviation that closes a sentence still ends it before a sentence start", "[sentences]") {
    const std::string text =
        "The company moved its headquarters to the U.S. The decision surprised investors. "
        "We packed cables, adapters, etc. Then we shipped everything at 5 p.m. It arrived on Jan. 9 in good shape.";
    CHECK(split(text) == std::vector<std::string>{
                             "The company moved its headquarters to the U.S.",
                             "The decision surprised investors.",
                             "We packed cables, adapters, etc.",
                             "Then we shipped everything at 5 p.m.",
                             "It arrived on Jan. 9 in good shape.",
                         });
}

TEST_CASE("quotes and brackets stay with the sentence they close", "[sentences]") {
    const std::string text =
        "\"Why is the dashboard empty?\" she asked. The engineer replied: \"The collector crashed.\" "
        "(Nobody had noticed for an hour.) “It is back now.” Everyone relaxed.";
    CHECK(split(text) == std::vector<std::string>{
                             "\"Why is the dashboard empty?\" she asked.",
                             "The engineer replied: \"The collector crashed.\"",
                             "(Nobody had noticed for an hour.)",
                             "“It is back now.”",
                             "Everyone relaxed.",
                         });
}

TEST_CASE("ellipses end a sentence only before a capitalised word", "[sentences]") {
    const std::string text = "We waited... and waited. Nothing happened… Then the pager went off?! Chaos.";
    CHECK(split(text) == std::vector<std::string>{
                             "We waited... and waited.",
                             "Nothing happened…",
                             "Then the pager went off?!",
                             "Chaos.",
                         });
}

TEST_CASE("paragraph breaks and list items end sentences, wrapped lines do not", "[sentences]") {
    const std::string report =
        "Incident summary\n"
        "\n"
        "At 09:12 UTC the primary database ran out of disk\n"
        "space and rejected writes. Engineers were paged within minutes.\n"
        "\r\n"
        "Actions taken:\n"
        "- Expanded the volume to 2 TB\n"
        "- Restarted the replication process\n"
        "1. Added an alert on free disk space\n";
    CHECK(split(report) == std::vector<std::string>{
                               "Incident summary",
                               "At 09:12 UTC the primary database ran out of disk\nspace and rejected writes.",
                               "Engineers were paged within minutes.",
                               "Actions taken:",
                               "Expanded the volume to 2 TB",
                               "Restarted the replication process",
                               "Added an alert on free disk space",
                           });
}

TEST_CASE("text without final punctuation is one sentence; blank text has none", "[sentences]") {
    CHECK(split("  the deploy finished without errors  ") ==
          std::vector<std::string>{"the deploy finished without errors"});
    CHECK(split("").empty());
    CHECK(split(" \n\t \n ").empty());
    CHECK(split("... !!! ?").empty());
}

TEST_CASE("a contraction before a period is not mistaken for an initial", "[sentences]") {
    CHECK(split("I really don't. Maybe tomorrow.") == std::vector<std::string>{"I really don't.", "Maybe tomorrow."});
}

TEST_CASE("offsets are code points and point at the sentence in the input", "[sentences][utf8]") {
    const std::string text =
        "  Café crème costs €3.50 — très cher! Das Frühstück war großartig.\n\n東京は晴れです。大阪も晴れ。";
    const auto sentences = textkit::split_sentences(text);
    REQUIRE(texts_of(sentences) == std::vector<std::string>{
                                       "Café crème costs €3.50 — très cher!",
                                       "Das Frühstück war großartig.",
                                       "東京は晴れです。",
                                       "大阪も晴れ。",
                                   });
    CHECK(sentences[0].start == 2);
    CHECK(sentences[0].end == 2 + 35);
    for (const auto& sentence : sentences)
        CHECK(slice_code_points(text, sentence.start, sentence.end) == sentence.text);
}

TEST_CASE("malformed UTF-8 does not break splitting or offsets", "[sentences][utf8]") {
    const std::string text = "Bad byte \xFF here. Truncated \xE2\x82 there.";
    const auto sentences = textkit::split_sentences(text);
    REQUIRE(sentences.size() == 2);
    CHECK(sentences[0].text == "Bad byte \xFF here.");
    CHECK(sentences[1].text == "Truncated \xE2\x82 there.");
    CHECK(sentences[1].start == 17);
}
