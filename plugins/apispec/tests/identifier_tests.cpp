#include <catch2/catch.hpp>

#include <apispec/identifiers.hpp>

using namespace apispec;

TEST_CASE("names are split into words at separators and case changes", "[apispec][identifiers]") {
    CHECK(split_words("petId") == std::vector<std::string>{"pet", "Id"});
    CHECK(split_words("HTTPServerError") == std::vector<std::string>{"HTTP", "Server", "Error"});
    CHECK(split_words("country-code") == std::vector<std::string>{"country", "code"});
    CHECK(split_words("  get /pets/{petId} ") == std::vector<std::string>{"get", "pets", "pet", "Id"});
    CHECK(split_words("v2Items") == std::vector<std::string>{"v2", "Items"});
    CHECK(split_words("2fa_enabled") == std::vector<std::string>{"2fa", "enabled"});
}

TEST_CASE("case conventions", "[apispec][identifiers]") {
    CHECK(snake_case("createdAt") == "created_at");
    CHECK(snake_case("X-Request-Id") == "x_request_id");
    CHECK(camel_case("X-Request-Id") == "xRequestId");
    CHECK(camel_case("get-order-by-id") == "getOrderById");
    CHECK(pascal_case("pet store") == "PetStore");
    CHECK(pascal_case("pet_status") == "PetStatus");
    CHECK(snake_case("$%") == "");
}

TEST_CASE("reserved words, leading digits and empty names become valid identifiers", "[apispec][identifiers]") {
    CHECK(safe_identifier(Language::python, "class") == "class_");
    CHECK(safe_identifier(Language::python, "from") == "from_");
    CHECK(safe_identifier(Language::python, "str") == "str_");  // would shadow the annotation type
    CHECK(safe_identifier(Language::python, "None") == "None_");
    CHECK(safe_identifier(Language::python, "2fa") == "_2fa");
    CHECK(safe_identifier(Language::python, "") == "value");
    CHECK(safe_identifier(Language::python, "pet") == "pet");
    CHECK(safe_identifier(Language::typescript, "delete") == "delete_");
    CHECK(safe_identifier(Language::typescript, "Record") == "Record_");  // would shadow the global type
    CHECK(safe_identifier(Language::typescript, "Pet") == "Pet");
    CHECK(safe_identifier(Language::typescript, "", "param") == "param");
}

TEST_CASE("a name scope keeps names unique in a stable order", "[apispec][identifiers]") {
    NameScope scope({"taken"});
    CHECK(scope.claim("pet") == "pet");
    CHECK(scope.claim("pet") == "pet2");
    CHECK(scope.claim("pet") == "pet3");
    CHECK(scope.claim("taken") == "taken2");
}

TEST_CASE("comment text cannot end the comment it is written into", "[apispec][identifiers]") {
    CHECK(comment_text("a */ b") == "a *\\/ b");
    CHECK(comment_text("say \"\"\"hi\"\"\"") == "say '''hi'''");
    CHECK(comment_text("back\\slash\r\n") == "back/slash");
}

TEST_CASE("comment text drops control characters and JavaScript line separators", "[apispec][identifiers]") {
    CHECK(comment_text("a\x01" "b\tc") == "ab\tc");
    CHECK(comment_text("x\xE2\x80\xA8y\xE2\x80\xA9z") == "x y z");
}

TEST_CASE("string literals escape quotes, backslashes and control characters", "[apispec][identifiers]") {
    CHECK(string_literal("a\"b\\c") == "\"a\\\"b\\\\c\"");
    CHECK(string_literal("line\nnext\x07") == "\"line\\nnext\\x07\"");
    CHECK(string_literal("\xC3\xBC") == "\"\xC3\xBC\"");  // UTF-8 stays as it is
}
