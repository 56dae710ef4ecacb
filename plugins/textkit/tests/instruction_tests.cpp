// The text after a task's leading instruction.
#include <textkit/instruction.hpp>

#include <catch2/catch.hpp>

TEST_CASE("a leading instruction is not part of the text", "[instruction]") {
    using textkit::strip_instruction;
    CHECK(strip_instruction("Summarize: The meeting covered Q3 plans. Budget was approved.") ==
          "The meeting covered Q3 plans. Budget was approved.");
    CHECK(strip_instruction("Please summarise the following text:\n\nSales rose. Costs fell.") ==
          "Sales rose. Costs fell.");
    CHECK(strip_instruction("Analyze the sentiment of this review: great product, slow shipping") ==
          "great product, slow shipping");
    CHECK(strip_instruction("Extract the entities from: Jane Doe joined Acme in Paris.") ==
          "Jane Doe joined Acme in Paris.");
    CHECK(strip_instruction("TL;DR: the release slipped a week.") == "the release slipped a week.");
}

TEST_CASE("a colon that is part of the text stays", "[instruction]") {
    using textkit::strip_instruction;
    for (const char* text : {"Note: the deploy failed twice.", "Customer: the app crashes on login.",
                             "The release slipped. Summary: we ship next week.",
                             "Update at 10:30 the service was restored.",
                             "The error rate at 10: 30% of requests failed", "See https://status.example.com: all green", "No colon at all here.",
                             "Summarize:", "Summarize:   "}) {
        CAPTURE(text);
        CHECK(strip_instruction(text) == text);
    }
}

TEST_CASE("a first sentence that is the request is not part of the text", "[instruction]") {
    using textkit::strip_instruction;
    CHECK(strip_instruction("Summarize the following article in one sentence. The board met on Monday. "
                            "It approved the budget.") == "The board met on Monday. It approved the budget.");
    CHECK(strip_instruction("Please summarise this text in two sentences.\nSales rose. Costs fell.") ==
          "Sales rose. Costs fell.");
    CHECK(strip_instruction("Can you analyze the sentiment of this review? The battery died after a day.") ==
          "The battery died after a day.");
    CHECK(strip_instruction("Extract the people and companies from the text below.\n\nSatya Nadella leads Microsoft.") ==
          "Satya Nadella leads Microsoft.");
}

TEST_CASE("a first sentence that asks a question about the text is not part of it", "[instruction]") {
    using textkit::strip_instruction;
    // An outsider's: the question's "positive" and "negative" were scored.
    CHECK(strip_instruction("Is this review positive or negative? Support answered within minutes and the fix works.") ==
          "Support answered within minutes and the fix works.");
    CHECK(strip_instruction("What is the sentiment of the following comment? The update broke my login.") ==
          "The update broke my login.");
    CHECK(strip_instruction("How do customers feel about this feedback?\nShipping was slow.") == "Shipping was slow.");
}

TEST_CASE("a first sentence that does not ask for the text stays", "[instruction]") {
    using textkit::strip_instruction;
    for (const char* text : {"Find the fault before you restart the node. The disk was full.",
                             "The board met on Monday. Summarize the following points later.",
                             "Summarize the following article in one sentence.",
                             "This review is long. The battery died after a day.",
                             "List prices rose this quarter. Volumes fell.",
                             "Is this product worth it? Absolutely, the battery lasts days.",
                             "What a review this is. The critics loved it."}) {
        CAPTURE(text);
        CHECK(strip_instruction(text) == text);
    }
}
