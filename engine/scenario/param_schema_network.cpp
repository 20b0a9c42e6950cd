// Schema part: the social network word of mouth travels over (network).
#include "param_schema_parts.hpp"

namespace flywheel::loader {

namespace {

template <auto... Members>
Accessor network_field() {
  return field<&Scenario::network, Members...>();
}

}  // namespace

// Sources: Erdos & Renyi (1959); Watts & Strogatz (1998, Nature 393:440); Barabasi & Albert
// (1999, Science 286:509); word of mouth on a network as in Rand & Rust (2011, IJRM 28:181).
std::vector<Param> network_params() {
  using N = NetworkSpec;
  return {
      block("network", Presence::optional, "a map",
            "The social network word of mouth travels over (docs/model.md#network). Left out: "
            "well mixed, everyone meets everyone."),
      defaulted("network.model",
                choice({"well_mixed", "erdos_renyi", "small_world", "scale_free", "edge_list"}),
                std::string("well_mixed"), "",
                "well_mixed: Bass mean field (q x sources / people); erdos_renyi: random graph "
                "G(n, mean_degree / (n - 1)); small_world: Watts-Strogatz ring lattice of "
                "mean_degree with rewiring; scale_free: Barabasi-Albert with attachments_m; "
                "edge_list: pairs read from a file. With a graph an unaware person hears at "
                "rate q x (source neighbours / neighbours).",
                network_field<&N::model>()),
      defaulted("network.mean_degree", number(Range{0, 1e6}, "a number of ties"), 10.0,
                "ties/person",
                "erdos_renyi and small_world: mean ties per person before colleague ties; "
                "small_world needs an even integer. Personal networks of a few dozen "
                "work contacts are typical (an assumption).",
                network_field<&N::mean_degree>()),
      defaulted("network.rewiring_probability", probability(), 0.1, "probability",
                "small_world: each lattice tie is moved to a random person with this "
                "probability; 0 = ring lattice, 1 = random graph (Watts & Strogatz 1998).",
                network_field<&N::rewiring_probability>()),
      defaulted("network.attachments_m", integer(1, 1e4, "an integer number of ties"),
                integer_value(3), "ties/person",
                "scale_free: ties each newcomer makes, preferentially to well-tied people; "
                "mean degree ~ 2m, degree tail ~ k^-3 (Barabasi & Albert 1999).",
                network_field<&N::attachments_m>()),
      defaulted("network.edge_list", simple(Kind::text, "a path to a CSV or TSV file"),
                std::string(), "path",
                "edge_list: a file of person-index pairs `a,b` or `a<TAB>b` (0-based, below the "
                "simulated people), one tie per line; `#` starts a comment. Relative to the "
                "scenario file's folder. Unknown ids, self-loops and duplicate ties are errors.",
                network_field<&N::edge_list>()),
      defaulted("network.account_clique_max", integer(0, 1e6, "an integer number of people"),
                integer_value(20), "people",
                "With a graph, colleagues are tied: accounts of at most this many people are "
                "cliques (a team knows each other).",
                network_field<&N::account_clique_max>()),
      defaulted("network.account_sample_degree", integer(0, 1e4, "an integer number of ties"),
                integer_value(5), "ties/person",
                "Accounts above account_clique_max: each person is tied to this many random "
                "colleagues. Both 0: no colleague ties.",
                network_field<&N::account_sample_degree>()),
  };
}

}  // namespace flywheel::loader
