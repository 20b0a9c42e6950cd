// Unit tests of the loader's building blocks: suggestions, number syntax, the located YAML tree,
// key paths and diagnostic formatting.
#include "common/did_you_mean.hpp"
#include "common/key_path.hpp"
#include "common/number_syntax.hpp"
#include "scenario/yaml_tree.hpp"

#include <flywheel/common/errors.hpp>

#include <catch2/catch.hpp>

using namespace flywheel::loader;

namespace {

TreeNode parse(const std::string& text, Diagnostics& diagnostics) {
  const auto locate = [](int line, int column) {
    return SourceLocation{"t.yaml", line < 0 ? 0 : line + 1, column < 0 ? 0 : column + 1};
  };
  std::optional<TreeNode> tree = parse_yaml_tree(text, locate, diagnostics);
  REQUIRE(tree.has_value());
  return *tree;
}

std::string first_problem(const Diagnostics& diagnostics) {
  try {
    diagnostics.throw_if_any();
  } catch (const flywheel::InputError& error) {
    return error.diagnostics().front().to_string();
  }
  return "(none)";
}

}  // namespace

TEST_CASE("loader: edit distance counts insertions, deletions and substitutions",
          "[loader][unit]") {
  CHECK(edit_distance("", "") == 0);
  CHECK(edit_distance("abc", "") == 3);
  CHECK(edit_distance("kitten", "sitting") == 3);
  CHECK(edit_distance("signup_per_mont", "signup_per_month") == 1);
  CHECK(edit_distance("flaw", "lawn") == 2);
}

TEST_CASE("loader: did_you_mean suggests only near misses, the closest first", "[loader][unit]") {
  const std::vector<std::string_view> keys = {"months", "step", "seed", "replicates"};
  CHECK(did_you_mean("monhts", keys) == "months");
  CHECK(did_you_mean("sed", keys) == "seed");  // one edit: seed before step
  CHECK(did_you_mean("stepp", keys) == "step");
  CHECK_FALSE(did_you_mean("colour", keys).has_value());
  CHECK_FALSE(did_you_mean("x", {"y"}).has_value());  // a one-letter word is no typo of another
}

TEST_CASE("loader: numbers follow the YAML 1.2 core schema", "[loader][unit]") {
  CHECK(classify_number("12") == NumberSyntax::integer);
  CHECK(classify_number("-0") == NumberSyntax::integer);
  CHECK(classify_number("+7") == NumberSyntax::integer);
  for (const char* decimal : {"1.5", ".5", "5.", "1e6", "2.5E-3", "-1.0e+10"}) {
    INFO(decimal);
    CHECK(classify_number(decimal) == NumberSyntax::decimal);
  }
  CHECK(classify_number(".inf") == NumberSyntax::infinity);
  CHECK(classify_number("-.Inf") == NumberSyntax::infinity);
  CHECK(classify_number(".NaN") == NumberSyntax::nan);
  for (const char* text : {"", ".", "-", "1_000", "0x10", "0o7", "1e", "e5", "1.2.3", "12abc",
                           "inf", "nan", "1,5", " 1"}) {
    INFO(text);
    CHECK(classify_number(text) == NumberSyntax::none);
  }
}

TEST_CASE("loader: the tree keeps 1-based locations, quoting and first keys", "[loader][unit]") {
  Diagnostics diagnostics;
  const TreeNode root = parse("a: 1\nb:\n  - x\n  - 'y'\nc:\na: 2\n", diagnostics);
  REQUIRE(root.kind == TreeNode::Kind::map);
  REQUIRE(root.entries.size() == 3);  // the second a is dropped
  CHECK(root.find("a")->value.text == "1");
  CHECK(root.find("a")->value.location.column == 4);
  const TreeNode& list = root.find("b")->value;
  REQUIRE(list.items.size() == 2);
  CHECK(list.items[1].location.line == 4);
  CHECK(list.items[1].location.column == 5);
  CHECK_FALSE(list.items[0].quoted);
  CHECK(list.items[1].quoted);
  // An empty value is located at its key (yaml-cpp marks it on the next line).
  CHECK(root.find("c")->value.kind == TreeNode::Kind::null);
  CHECK(root.find("c")->value.location.line == 5);
  CHECK(first_problem(diagnostics) ==
        "t.yaml:6:1: a: duplicate key (first at line 1); expected each key once");
  CHECK(find_path(root, "b[1]") == &list.items[1]);
  CHECK(find_path(root, "b[2]") == nullptr);
  CHECK(find_path(root, "a.x") == nullptr);
}

TEST_CASE("loader: deep_merge merges maps key by key and replaces everything else",
          "[loader][unit]") {
  Diagnostics diagnostics;
  TreeNode base = parse("m: {a: 1, b: {c: 2, d: 3}}\nl: [1, 2]\n", diagnostics);
  const TreeNode over = parse("m: {b: {d: 4}, e: 5}\nl: [9]\n", diagnostics);
  deep_merge(base, over);
  CHECK(find_path(base, "m.a")->text == "1");
  CHECK(find_path(base, "m.b.c")->text == "2");
  CHECK(find_path(base, "m.b.d")->text == "4");
  CHECK(find_path(base, "m.b.d")->location.line == 1);
  CHECK(find_path(base, "m.e")->text == "5");
  REQUIRE(find_path(base, "l")->items.size() == 1);
  CHECK(find_path(base, "l[0]")->text == "9");
  CHECK(diagnostics.empty());
}

TEST_CASE("loader: describe and quote name values readably", "[loader][unit]") {
  TreeNode scalar;
  scalar.kind = TreeNode::Kind::scalar;
  scalar.text = "1.5";
  CHECK(describe(scalar) == "1.5");
  scalar.quoted = true;
  CHECK(describe(scalar) == "\"1.5\"");
  scalar.quoted = false;
  scalar.text = "say \"hi\"\n";
  CHECK(describe(scalar) == "\"say \\\"hi\\\"\\n\"");
  CHECK(quote(std::string(50, 'x')) == "\"" + std::string(40, 'x') + "...\"");
  CHECK(quote("\xC3\xA9" + std::string(39, 'x')) == "\"\xC3\xA9" + std::string(38, 'x') + "...\"");
}

TEST_CASE("loader: key paths parse into keys and list positions", "[loader][unit]") {
  const ParsedPath ok = parse_key_path("market.segments[12].share");
  REQUIRE(ok.problem.empty());
  REQUIRE(ok.steps.size() == 4);
  CHECK(ok.steps[1].key == "segments");
  CHECK(ok.steps[2].index == 12u);
  CHECK(ok.steps[2].offset == 15);
  CHECK(ok.steps[3].offset == 20);
  CHECK(parse_key_path("a.").problem_offset == 2);
  CHECK(parse_key_path("a[1").problem_offset == 1);
  CHECK(parse_key_path("a]b").problem_offset == 1);
  CHECK(child_path("", "name") == "name");
  CHECK(item_path("targets", 3) == "targets[3]");
}

TEST_CASE("loader: Diagnostic::to_string omits what is unknown", "[loader][unit]") {
  using flywheel::Diagnostic;
  CHECK(Diagnostic{"x.yaml", 12, 5, "a.b", "bad; expected good"}.to_string() ==
        "x.yaml:12:5: a.b: bad; expected good");
  CHECK(Diagnostic{"x.yaml", 0, 0, "", "cannot read: No such file or directory"}.to_string() ==
        "x.yaml: cannot read: No such file or directory");
  CHECK(Diagnostic{"x.yaml", 3, 0, "k", "m"}.to_string() == "x.yaml:3: k: m");
}

TEST_CASE("loader: diagnostics are sorted by file, line and column, --set last", "[loader][unit]") {
  Diagnostics diagnostics;
  diagnostics.note_file("child.yaml");
  diagnostics.note_file("base.yaml");
  diagnostics.add({"--set", 1, 3}, "s", "m");
  diagnostics.add({"base.yaml", 1, 1}, "b", "m");
  diagnostics.add({"child.yaml", 9, 2}, "c2", "m");
  diagnostics.add({"child.yaml", 2, 7}, "c1", "m");
  CHECK(diagnostics.any_at_or_under("c1"));
  CHECK_FALSE(diagnostics.any_at_or_under("c"));
  try {
    diagnostics.throw_if_any();
    FAIL("nothing thrown");
  } catch (const flywheel::InputError& error) {
    std::vector<std::string> paths;
    for (const auto& d : error.diagnostics()) paths.push_back(d.path);
    CHECK(paths == std::vector<std::string>{"c1", "c2", "b", "s"});
  }
}
