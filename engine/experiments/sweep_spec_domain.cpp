// A parameter's domain in a sweep spec: exactly one of values, range (with levels, log),
// normal, lognormal or triangular, each checked for shape and order.
#include "sweep_spec_nodes.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <array>

namespace flywheel::loader {

namespace {

class DomainReader : SpecNodes {
 public:
  using SpecNodes::SpecNodes;

  // {values: [...]}, {range: [lo, hi], levels?, log?}, {normal: [mean, sd]},
  // {lognormal: [mu, sigma]} or {triangular: [min, mode, max]}.
  bool read_domain(const TreeNode& node, const std::string& path, ParamDomain& d) {
    if (!expect_map(node, path, "a map with one of values, range, normal, lognormal, triangular"))
      return false;
    check_keys(node, path,
               {"values", "range", "levels", "log", "normal", "lognormal", "triangular"});
    int kinds = 0;
    bool ok = true;
    if (const TreeNode* v = child(node, "values")) {
      ++kinds;
      d.kind = ParamDomain::Kind::values;
      ok = read_values(*v, path + ".values", d) && ok;
    }
    using K = ParamDomain::Kind;
    const std::array<std::pair<std::string_view, K>, 4> numeric = {{{"range", K::range},
                                                                    {"normal", K::normal},
                                                                    {"lognormal", K::lognormal},
                                                                    {"triangular", K::triangular}}};
    for (const auto& [key, kind] : numeric) {
      if (const TreeNode* v = child(node, key)) {
        ++kinds;
        d.kind = kind;
        ok = read_numbers(*v, path + "." + std::string(key), d) && ok;
      }
    }
    if (kinds != 1) {
      add(node.location, path,
          (kinds == 0 ? std::string("no domain") : std::string("more than one domain")) +
              "; expected exactly one of values, range, normal, lognormal, triangular");
      return false;
    }
    if (const TreeNode* v = child(node, "levels")) {
      d.levels = static_cast<int>(integer(*v, path + ".levels", 2, 100000, 0));
      if (d.kind != K::range) add(v->location, path + ".levels", "only a range has levels");
    }
    if (const TreeNode* v = child(node, "log")) {
      d.log = v->kind == TreeNode::Kind::scalar && v->text == "true";
      if (v->kind != TreeNode::Kind::scalar || (v->text != "true" && v->text != "false"))
        add(v->location, path + ".log", describe(*v) + " is not a boolean; expected true or false");
      if (d.kind != K::range) add(v->location, path + ".log", "only a range can be log-uniform");
      if (d.log && d.lo <= 0) {
        add(v->location, path + ".log", "a log range needs lo > 0; expected a positive range");
      }
    }
    return ok;
  }

  bool read_values(const TreeNode& node, const std::string& path, ParamDomain& d) {
    if (node.kind != TreeNode::Kind::sequence || node.items.empty()) {
      add(node.location, path,
          describe(node) + " is not allowed; expected a non-empty list of values");
      return false;
    }
    for (const TreeNode& item : node.items) {
      if (item.kind != TreeNode::Kind::scalar) {
        add(item.location, path, describe(item) + " is not a scalar; expected a number or a word");
        return false;
      }
      d.values.push_back(item.quoted ? "\"" + item.text + "\"" : item.text);
    }
    return true;
  }

  bool read_numbers(const TreeNode& node, const std::string& path, ParamDomain& d) {
    using K = ParamDomain::Kind;
    const std::size_t want = d.kind == K::triangular ? 3 : 2;
    const char* shape = d.kind == K::range       ? "[lo, hi] with lo < hi"
                        : d.kind == K::normal    ? "[mean, sd] with sd > 0"
                        : d.kind == K::lognormal ? "[mu, sigma] of ln(value) with sigma > 0"
                                                 : "[min, mode, max] with min <= mode <= max, "
                                                   "min < max";
    if (node.kind != TreeNode::Kind::sequence || node.items.size() != want) {
      add(node.location, path, describe(node) + " is not allowed; expected " + shape);
      return false;
    }
    std::vector<double> x;
    for (const TreeNode& item : node.items) {
      const std::optional<double> v = number(item, path);
      if (!v) return false;
      x.push_back(*v);
    }
    bool ok = false;
    switch (d.kind) {
      case K::range:
        ok = x[0] < x[1], d.lo = x[0], d.hi = x[1];
        break;
      case K::normal:
        ok = x[1] > 0, d.mean = x[0], d.sd = x[1];
        break;
      case K::lognormal:
        ok = x[1] > 0, d.mean = x[0], d.sd = x[1];
        break;
      case K::triangular:
        ok = x[0] <= x[1] && x[1] <= x[2] && x[0] < x[2], d.lo = x[0], d.mode = x[1], d.hi = x[2];
        break;
      case K::values:
        break;
    }
    if (!ok) {
      add(node.location, path,
          fmt::format("[{}] is empty or inverted; expected {}", fmt::join(x, ", "), shape));
    }
    return ok;
  }
};

}  // namespace

bool read_param_domain(const TreeNode& node, const std::string& path, ParamDomain& domain,
                       Diagnostics& diagnostics) {
  return DomainReader(diagnostics).read_domain(node, path, domain);
}

}  // namespace flywheel::loader
