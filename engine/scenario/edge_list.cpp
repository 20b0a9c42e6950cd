#include "edge_list.hpp"

#include "yaml_tree.hpp"

#include <algorithm>
#include <charconv>
#include <tuple>

namespace flywheel::loader {

namespace {

constexpr std::string_view kPath = "network.edge_list";

struct Token {
  std::string_view text;
  int column = 0;  // 1-based
};

std::vector<Token> split_fields(std::string_view line) {
  std::vector<Token> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ',' || line[i] == '\t' || line[i] == ' ')) ++i;
    if (i == line.size()) break;
    const std::size_t start = i;
    while (i < line.size() && line[i] != ',' && line[i] != '\t' && line[i] != ' ') ++i;
    out.push_back({line.substr(start, i - start), static_cast<int>(start) + 1});
  }
  return out;
}

class EdgeListParser {
 public:
  EdgeListParser(const std::string& file, std::int64_t people, Diagnostics& diagnostics)
      : file_(file), people_(people), diagnostics_(diagnostics) {}

  void line(std::string_view text, int number) {
    text = text.substr(0, text.find('#'));
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    const std::vector<Token> fields = split_fields(text);
    if (fields.empty()) return;
    if (fields.size() != 2) {
      return add(number, fields.front().column,
                 std::to_string(fields.size()) +
                     " fields; expected two person indices separated by a comma, tab or spaces");
    }
    std::uint32_t ids[2];
    for (int k = 0; k < 2; ++k) {
      if (!person(fields[k], number, ids[k])) return;
    }
    if (ids[0] == ids[1]) {
      return add(number, fields[0].column,
                 "tie " + std::to_string(ids[0]) + "-" + std::to_string(ids[1]) +
                     " is a self-loop; expected two different people");
    }
    edges_.push_back({ids[0], ids[1]});
    where_.push_back({number, fields[0].column});
  }

  EdgePairs finish() {
    report_duplicates();
    return std::move(edges_);
  }

 private:
  bool person(const Token& token, int number, std::uint32_t& id) {
    std::int64_t value = -1;
    const char* end = token.text.data() + token.text.size();
    const auto [ptr, ec] = std::from_chars(token.text.data(), end, value);
    if (ec != std::errc{} || ptr != end || value < 0) {
      add(number, token.column,
          quote(token.text) + " is not a person index; expected an integer in [0, " +
              std::to_string(people_ - 1) + "]");
      return false;
    }
    if (value >= people_) {
      add(number, token.column,
          "person " + std::to_string(value) + " is unknown; expected an index in [0, " +
              std::to_string(people_ - 1) + "] (market.people / simulation.agent_scale people)");
      return false;
    }
    id = static_cast<std::uint32_t>(value);
    return true;
  }

  // Each undirected tie once: the later line of a repeated pair is the one reported.
  void report_duplicates() {
    std::vector<std::tuple<std::uint32_t, std::uint32_t, std::size_t>> keyed;
    keyed.reserve(edges_.size());
    for (std::size_t i = 0; i < edges_.size(); ++i) {
      const auto [a, b] = edges_[i];
      keyed.emplace_back(std::min(a, b), std::max(a, b), i);
    }
    std::sort(keyed.begin(), keyed.end());
    for (std::size_t i = 1; i < keyed.size(); ++i) {
      const auto [a, b, at] = keyed[i];
      const auto [pa, pb, first] = keyed[i - 1];
      if (a != pa || b != pb) continue;
      add(where_[at][0], where_[at][1],
          "tie " + std::to_string(edges_[at][0]) + "-" + std::to_string(edges_[at][1]) +
              " repeats line " + std::to_string(where_[first][0]) +
              "; expected each tie once (ties are undirected)");
    }
  }

  void add(int line, int column, std::string message) {
    diagnostics_.add({file_, line, column}, std::string(kPath), std::move(message));
  }

  const std::string& file_;
  std::int64_t people_;
  Diagnostics& diagnostics_;
  EdgePairs edges_;
  std::vector<std::array<int, 2>> where_;  // line, column of each tie
};

}  // namespace

EdgePairs parse_edge_list(std::string_view text, const std::string& file, std::int64_t people,
                          Diagnostics& diagnostics) {
  EdgeListParser parser(file, people, diagnostics);
  int number = 0;
  while (!text.empty()) {
    const std::size_t cut = text.find('\n');
    parser.line(text.substr(0, cut), ++number);
    text = cut == std::string_view::npos ? std::string_view{} : text.substr(cut + 1);
  }
  return parser.finish();
}

}  // namespace flywheel::loader
