// The inputs that hang yaml-cpp 0.7 are refused; valid YAML is not.
#include "devkit/yaml_safety.hpp"

#include <catch2/catch.hpp>
#include <yaml-cpp/yaml.h>

using devkit::yaml_hazard;

TEST_CASE("top-level flow-entry commas are refused with the line", "[yaml]") {
    for (const char* text : {",", "  ,", ", a", "[1, 2],", "{a: 1},", "a: b\n---\n,", "x: 1\n- ,"}) {
        INFO(text);
        CHECK(yaml_hazard(text));
    }
    CHECK(yaml_hazard("a: 1\n---\n[1],").line == 3);
    // A stray flow close and comma inside a plain scalar is text: yaml-cpp
    // reads "80}]," as one scalar (an earlier hand reduction of the fuzzer's
    // reproducer wrongly expected a loop there).
    CHECK_FALSE(yaml_hazard("apiVersion: v1\nkind: Service\n---\n80}],\n"));
    // A '[' inside a plain scalar opens no flow, so a ',' below is still top level.
    CHECK(yaml_hazard(" {app: web}\n    \xff\xff[\xff\xffspec:\n,   (  x\n"));
    CHECK(yaml_hazard("a[1]\n,"));
    // After a quoted scalar, a tag or an anchor (all found hanging by fuzzing or by hand).
    for (const char* text : {"\"\",", "'a',", "\"a\" ,", "!t ,", "!t,", "&a ,"}) {
        INFO(text);
        CHECK(yaml_hazard(text));
    }
}

// Each of these looped yaml-cpp 0.7 (a random search over short texts made
// of YAML's indicator characters, every one confirmed to hang).
TEST_CASE("the texts that loop yaml-cpp beyond top-level commas are refused", "[yaml]") {
    const char* loops[] = {
        "\n[]&#&,",   "'\"\n'&>,",  "''&#*,>",       "&?? !#,",        "\n''&a,",        "\"\n\",'",
        "{\n:'},!",   "{}>\n? ",    "[]x\n? ",       "\"a\"x\n? ",      "!'>#}\n? #",     "--- ,} ",
        "--- ,>!>:[}", "!\"> -:!&|\",\"", "!*\"\n-\",?#[", "&&? a|\"'>'\n?\n#", "\n!|#|\n? |-", "!#>#,, \n? ",
        "-,- #'\n ,,#|{", "?'{} #-\n ,:[|*", "%@<,-|\n ,", "!<&>,-!", "%}&%|<\n\n ,&}",
    };
    for (const char* text : loops) {
        INFO(text);
        CHECK(yaml_hazard(text));
    }
    CHECK(yaml_hazard("a: [1, 2\nb: 3\n").message == "a [ or { is never closed");
    CHECK(yaml_hazard("a: 1\nb: 'open\nc: 2\n").line == 2);
}

TEST_CASE("valid YAML with commas in scalars, flows, quotes, comments and block text passes", "[yaml]") {
    const char* valid[] = {
        "a: [1, 2]\nb: {c: 1, d: 2}\n",
        "a: x ,y\n",
        "a: b,c\n",
        "msg: \"a, b\"\nother: ', c'\n",
        "a: 1 # ,\n# , comment line\n",
        "script: |\n  ,starts with a comma\n  echo a, b\nnext: 1\n",
        "folded: >-\n  , also text\n",
        "- [a, b]\n- {c: d}\n",
        "args: [\"--set\", \"a=b,c=d\"]\n",
        "a:\n  - 1\n  - 2\n",
        "image: registry/app[1]\nports: [80, 443]\n",
        "key: {a: [1, 2], b: {c: d}}\n",
        "base: &base {a: 1}\nother: *base\ntagged: !!str 5\nlist: [!!int 1, &x 2, *x]\n",
        // Quotes across lines and with '' inside, JSON style, plain text that
        // looks like YAML, continuation lines, directives, markers, tags.
        "a: \"one [\n  two\"\nb: 'it''s'\n",
        "{\"a\":1, \"b\": [true, null]}\n",
        "- if [[ \"$X\" == y ]]; then echo \"a, b\"; fi\n- echo \"Here's a list:\"\n",
        "key: ${{ hashFiles('a', 'b') }}\n",
        "help: The location (defaults to '-') of\n  'current' resources, [1] {x}\nnext: 1\n",
        "%YAML 1.2\n---\na: 1\n...\n---\nb: [2]\n",
        "spec: !REF a.b:c\nv: !<tag:yaml.org,2002:str> x\nw: !e!t y\n",
        "port: -1\nurl: http://x:80/a?b=c\nipv6: ::1\n",
        "text: |\n  }\n  ] , [\nnext: 1\n",
    };
    for (const char* text : valid) {
        INFO(text);
        CHECK_FALSE(yaml_hazard(text));
        CHECK_NOTHROW(YAML::LoadAll(text));
    }
}
