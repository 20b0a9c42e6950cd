// The mean-field twin against theory: the Bass closed form and the Markov chain's exact
// transient (docs/mean_field.md "Docking").
#include "fixtures.hpp"

#include "meanfield/seat_reviews.hpp"

#include <flywheel/meanfield/expect.hpp>
#include <flywheel/scenario/loader.hpp>

#include <Eigen/Dense>
#include <unsupported/Eigen/MatrixFunctions>
#include <catch2/catch.hpp>

#include <cmath>

using namespace flywheel;

namespace {

// Tolerances 100 times tighter than the defaults, for comparisons with exact solutions.
const meanfield::ExpectOptions kTight{1e-4, 1e-6};

double value(const meanfield::ExpectedRun& run, int month, Metric m) {
  return run.months[static_cast<std::size_t>(month - 1)][static_cast<std::size_t>(m)];
}

}  // namespace

TEST_CASE("mean field: Bass closed form to integrator tolerance", "[mean_field]") {
  for (const auto& [p, q] : {std::pair{0.03, 0.38}, std::pair{0.001, 1.0}, std::pair{0.1, 0.1}}) {
    Scenario s = load_scenario(test::source_path("scenarios/validation/bass.yaml"),
                               parse_overrides({"acquisition.innovation_p_per_month=" +
                                                    std::to_string(p),
                                                "acquisition.imitation_q_per_month=" +
                                                    std::to_string(q)}));
    const meanfield::ExpectedRun run = meanfield::expect(s, kTight);
    const double n = static_cast<double>(s.market.people);
    for (int month = 1; month <= s.simulation.months; ++month) {
      const double t = month;
      const double e = std::exp(-(p + q) * t);
      const double adopted = (1.0 - e) / (1.0 + (q / p) * e);
      const double unaware = value(run, month, Metric::users_unaware) / n;
      INFO("p " << p << " q " << q << " month " << month);
      CHECK(1.0 - unaware == Approx(adopted).margin(1e-6));
    }
  }
}

TEST_CASE("mean field: the Markov chain's transient exp(Q t) exactly", "[mean_field]") {
  const Scenario s = load_scenario(test::source_path("scenarios/validation/markov.yaml"));
  const meanfield::ExpectedRun run = meanfield::expect(s, kTight);
  // The generator over unaware, aware, evaluator, beginner, regular, champion, churned: every
  // transition's hazard -ln(1 - p) per month; churned people all activated once (they start
  // churned or churn from an active stage), so they come back as beginners.
  auto h = [](double p) { return -std::log1p(-p); };
  const FunnelSpec& f = s.funnel;
  Eigen::Matrix<double, 7, 7> Q = Eigen::Matrix<double, 7, 7>::Zero();
  auto add = [&](Stage from, Stage to, double rate) {
    Q(int(to), int(from)) += rate;
    Q(int(from), int(from)) -= rate;
  };
  add(Stage::unaware, Stage::aware, s.acquisition.innovation_p_per_month);
  add(Stage::aware, Stage::evaluator, h(f.signup_per_month));
  add(Stage::aware, Stage::unaware, h(f.forget_per_month));
  add(Stage::evaluator, Stage::beginner, h(f.activation_per_month));
  add(Stage::beginner, Stage::regular, h(f.adoption_per_month));
  add(Stage::beginner, Stage::churned, h(f.churn_per_month[int(Stage::beginner)]));
  add(Stage::regular, Stage::champion, h(f.advocacy_per_month));
  add(Stage::regular, Stage::churned, h(f.churn_per_month[int(Stage::regular)]));
  add(Stage::champion, Stage::churned, h(f.churn_per_month[int(Stage::champion)]));
  add(Stage::churned, Stage::beginner, h(f.reactivation_per_month));
  Eigen::Matrix<double, 7, 1> start;
  for (int i = 0; i < 7; ++i) start(i) = s.initial.stage_shares[i];
  const Eigen::Matrix<double, 7, 7> P = Q.exp();  // one month
  Eigen::Matrix<double, 7, 1> x = start;
  const Metric stages[] = {Metric::users_unaware, Metric::users_aware, Metric::users_evaluator,
                           Metric::users_beginner, Metric::users_regular, Metric::users_champion,
                           Metric::users_churned};
  for (int month = 1; month <= s.simulation.months; ++month) {
    x = P * x;  // P^t: the month-step chain
    for (int i = 0; i < 7; ++i) {
      INFO("month " << month << " stage " << i);
      CHECK(value(run, month, stages[i]) / s.market.people == Approx(x(i)).margin(1e-7));
    }
  }
}

TEST_CASE("mean field: the community's ladder in a closed population is exp(Q t)", "[mean_field]") {
  // Members who never churn as users and nobody joining: the levels exploring .. leading and
  // "left" form a linear chain with constant hazards (leave, promote, demote), one motive.
  const Scenario s = load_scenario(
      test::source_path("scenarios/validation/markov.yaml"),
      parse_overrides({"funnel.churn_per_month.beginner=0", "funnel.churn_per_month.regular=0",
                       "funnel.churn_per_month.champion=0", "strategy.clg.enabled=true",
                       "strategy.clg.join_per_month=0", "strategy.clg.initial_members_share=0.5",
                       "strategy.clg.motives.product=1", "strategy.clg.motives.practice=0",
                       "strategy.clg.motives.play=0", "strategy.clg.leave_per_month=0.06",
                       "strategy.clg.promote_exploring_per_month=0.1",
                       "strategy.clg.promote_participating_per_month=0.05",
                       "strategy.clg.promote_contributing_per_month=0.04",
                       "strategy.clg.demote_per_month=0.07"}));
  const ClgSpec& clg = s.strategy.clg;
  const meanfield::ExpectedRun run = meanfield::expect(s);
  auto h = [](double p) { return -std::log1p(-p); };
  // States: left, exploring, participating, contributing, leading.
  Eigen::Matrix<double, 5, 5> Q = Eigen::Matrix<double, 5, 5>::Zero();
  auto add = [&](int from, int to, double rate) {
    Q(to, from) += rate;
    Q(from, from) -= rate;
  };
  const double leave = h(clg.leave_per_month.at(0)), down = h(clg.demote_per_month);
  const double up[] = {0.0, h(clg.promote_exploring_per_month),
                       h(clg.promote_participating_per_month),
                       h(clg.promote_contributing_per_month), 0.0};
  for (int level = 1; level <= 4; ++level) {
    add(level, 0, leave);
    if (level < 4) add(level, level + 1, up[level]);
    if (level > 1) add(level, level - 1, down);
  }
  // Initial members: half of the active users at the start, participating.
  const auto& shares = s.initial.stage_shares;
  const double active = static_cast<double>(s.market.people) *
                        (shares[int(Stage::beginner)] + shares[int(Stage::regular)] +
                         shares[int(Stage::champion)]);
  Eigen::Matrix<double, 5, 1> x = Eigen::Matrix<double, 5, 1>::Zero();
  x(2) = 0.5 * active;
  const Eigen::Matrix<double, 5, 5> P = Q.exp();
  for (int month = 1; month <= s.simulation.months; ++month) {
    x = P * x;
    const MonthRecord& r = run.records[static_cast<std::size_t>(month - 1)];
    for (int level = 1; level <= 4; ++level) {
      INFO("month " << month << " level " << level);
      CHECK(static_cast<double>(r.members_by_level[level]) / meanfield::kMicro ==
            Approx(x(level)).margin(1e-3));
    }
    CHECK(value(run, month, Metric::community_members) ==
          Approx(x(1) + x(2) + x(3) + x(4)).margin(1e-3));
  }
}

TEST_CASE("mean field: a community that does nothing changes nothing", "[mean_field]") {
  // strategy.clg on with nobody joining, no draw, no programs and no team: the twin's
  // expected.csv is byte-identical to the one without the community.
  for (const char* path : {"scenarios/plg-freemium.yaml", "scenarios/validation/markov.yaml"}) {
    const Scenario off = load_scenario(test::source_path(path));
    REQUIRE_FALSE(off.strategy.clg.enabled);
    const Scenario on = load_scenario(
        test::source_path(path),
        parse_overrides({"strategy.clg.enabled=true", "strategy.clg.join_per_month=0"}));
    INFO(path);
    CHECK(meanfield::expected_csv(meanfield::expect(on)) ==
          meanfield::expected_csv(meanfield::expect(off)));
  }
}

TEST_CASE("mean field: a community launched at month 12 changes nothing before", "[mean_field]") {
  // hybrid-plg-clg is plg-freemium with a community from month 12 on (nobody joins, no draw, no
  // team or budget before): its first twelve months are plg-freemium's, byte for byte.
  auto first_year = [](const char* path) {
    const std::string csv =
        meanfield::expected_csv(meanfield::expect(load_scenario(test::source_path(path))));
    std::string out;
    std::size_t at = 0;
    while (at < csv.size()) {
      const std::size_t end = csv.find('\n', at);
      const std::string line = csv.substr(at, end - at);
      at = end == std::string::npos ? csv.size() : end + 1;
      const std::size_t comma = line.find(',');
      if (line.rfind("month", 0) == 0 || std::stoi(line.substr(0, comma)) <= 12) out += line + "\n";
    }
    return out;
  };
  const std::string hybrid = first_year("scenarios/hybrid-plg-clg.yaml");
  CHECK(hybrid.size() > 1000);
  CHECK(hybrid == first_year("scenarios/plg-freemium.yaml"));
}

TEST_CASE("mean field: a year's cohort of accounts that never cancel is all retained",
          "[mean_field]") {
  // No cancellation, no unused seat ever removed (so no abandoned team cancels), no downgrade:
  // every account paying at a month end still pays a year later, whatever tier it moved to.
  Scenario s = load_scenario(test::source_path("scenarios/plg-freemium.yaml"),
                             parse_overrides({"market.segments[0].cancel_per_month=0",
                                              "market.segments[1].cancel_per_month=0",
                                              "strategy.plg.seat_removal_per_month=0",
                                              "strategy.plg.downgrade_per_month=0",
                                              "simulation.months=24", "targets=[]"}));
  const meanfield::ExpectedRun run = meanfield::expect(s);
  CHECK(std::isnan(value(run, 12, Metric::logo_retention_annual)));  // nobody paid at the start
  for (int month = 16; month <= 24; ++month) {
    INFO("month " << month);
    CHECK(value(run, month, Metric::logo_retention_annual) == Approx(1.0).margin(1e-6));
    CHECK(value(run, month, Metric::nrr_annual) >= 1.0 - 1e-6);  // seats only grow
  }
}

TEST_CASE("mean field: the activation window's conveyor drops a cohort at its length on average",
          "[mean_field]") {
  // A cohort of evaluators at the start (signed up just before it), nobody else signing up:
  // each activates at hazard a until the window of W closes, so the share that never activates
  // is E[exp(-a T)] with T the age at dropping out. In the agent model T = W; the twin's
  // conveyor drops the cohort at ages of mean W spread over about a bin, which moves
  // exp(-a W) by about a^2 Var(T) / 2 (Var(T) = 1/8 month^2 for half-month bins). 45 days is
  // outside the windows split at month ends (0.9 to 1 month).
  const double a = -std::log1p(-0.4), w_days = 45.0;
  const Scenario s = load_scenario(
      test::source_path("scenarios/validation/markov.yaml"),
      parse_overrides({"acquisition.innovation_p_per_month=0", "funnel.signup_per_month=0",
                       "funnel.activation_per_month=0.4", "funnel.reactivation_per_month=0",
                       "funnel.activation_window_days=45",
                       "initial.stage_shares={unaware: 0, aware: 0, evaluator: 1, beginner: 0, "
                       "regular: 0, champion: 0, churned: 0}"}));
  const meanfield::ExpectedRun run = meanfield::expect(s, kTight);
  double dropouts = 0.0;
  for (int month = 1; month <= 4; ++month) dropouts += value(run, month, Metric::evaluator_dropouts);
  const double w = w_days / 30.4375;
  const double exact = std::exp(-a * w);  // the agent model's rule, in continuous time
  const double share = dropouts / static_cast<double>(s.market.people);
  INFO("dropped out " << share << ", exp(-a W) " << exact);
  CHECK(share == Approx(exact).epsilon(a * a * 0.125 / 2 + 1e-3));
  CHECK(std::abs(share - exact) > 0.0);  // the spread is there (not a hidden exact delay)
  // Nobody is left in the window after it closed (the last portion leaves at 2 months).
  CHECK(value(run, 3, Metric::users_evaluator) < 1e-6 * static_cast<double>(s.market.people));
}

TEST_CASE("mean field: a window split at month ends keeps the open windows and drops the rest",
          "[mean_field]") {
  // N people aware at the start sign up at hazard g (nobody forgets, nobody else arrives) and
  // activate at hazard a within a window of W = 30 days. Exactly, the evaluators at time M
  // signed up in (M - W, M]: E(M) = N g e^{-a M} (e^{(a-g) M} - e^{(a-g) max(0, M-W)}) / (a - g),
  // and month m's dropouts signed up in [m - 1 - W, m - W): N e^{-a W} (e^{-g lo} - e^{-g hi}).
  // The twin splits each month's signups at phase 1 - W by a linear density: the evaluators at
  // a month's end are the exact ones but for that density over the month's first 1 - W. The
  // late signups drop out over the next month with their phases stretched from [0, W) to
  // [0, 1), so that some wait up to 1 - W longer: the dropouts are within a (1 - W) of exact.
  const double g = -std::log1p(-0.3), a = -std::log1p(-0.4), w = 30.0 / 30.4375;
  const Scenario s = load_scenario(
      test::source_path("scenarios/validation/markov.yaml"),
      parse_overrides({"acquisition.innovation_p_per_month=0", "funnel.signup_per_month=0.3",
                       "funnel.forget_per_month=0", "funnel.activation_per_month=0.4",
                       "funnel.reactivation_per_month=0", "funnel.activation_window_days=30",
                       "initial.stage_shares={unaware: 0, aware: 1, evaluator: 0, beginner: 0, "
                       "regular: 0, champion: 0, churned: 0}"}));
  const meanfield::ExpectedRun run = meanfield::expect(s, kTight);
  const auto n = static_cast<double>(s.market.people);
  for (int month = 1; month <= 12; ++month) {
    const double m = month;
    const double open = n * g * std::exp(-a * m) *
                        (std::exp((a - g) * m) - std::exp((a - g) * std::max(0.0, m - w))) /
                        (a - g);
    const double lo = std::max(0.0, m - 1.0 - w), hi = std::max(0.0, m - w);
    const double dropped = n * std::exp(-a * w) * (std::exp(-g * lo) - std::exp(-g * hi));
    INFO("month " << month);
    CHECK(value(run, month, Metric::users_evaluator) == Approx(open).epsilon(1e-4));
    CHECK(value(run, month, Metric::evaluator_dropouts) ==
          Approx(dropped).epsilon(a * (1.0 - w)).margin(1e-6 * n));
  }
}

TEST_CASE("mean field: seat reviews book the net change of a walk stopped at a review",
          "[mean_field]") {
  // The head count moves up at rate u and down at rate d; a review at rate r books the net
  // change since the last one. Exact reference: the embedded chain's law of the net at the
  // review, summed step by step (each event is up, down or the review with its share).
  for (const auto& [u, d, r] : {std::array{0.4, 0.2, 0.3}, std::array{2.0, 2.0, 0.3},
                                std::array{0.05, 0.5, 30.0}, std::array{1.0, 0.0, 1.0}}) {
    const double total = u + d + r, p = u / total, q = d / total, s = r / total;
    const int width = 400;
    std::vector<double> at(2 * width + 1, 0.0), next(at.size());
    at[width] = 1.0;
    double plus = 0.0, minus = 0.0, left = 1.0;
    for (int step = 0; step < 5000 && left > 1e-15; ++step) {
      std::fill(next.begin(), next.end(), 0.0);
      for (int k = 1; k + 1 < static_cast<int>(at.size()); ++k) {
        const double w = at[static_cast<std::size_t>(k)];
        if (w == 0.0) continue;
        const int net = k - width;
        (net > 0 ? plus : minus) += s * w * std::abs(net);
        next[static_cast<std::size_t>(k + 1)] += p * w;
        next[static_cast<std::size_t>(k - 1)] += q * w;
      }
      left *= 1.0 - s;
      std::swap(at, next);
    }
    const meanfield::SeatEvents e = meanfield::seat_movements(u, d, r);
    INFO("u " << u << " d " << d << " r " << r);
    CHECK(e.up == Approx(r * plus).epsilon(1e-9));
    CHECK(e.down == Approx(r * minus).epsilon(1e-9).margin(1e-12));
    CHECK(e.up - e.down == Approx(u - d).margin(1e-9));  // the net is the head count's drift
  }
  // Reviewed at once, every move is booked.
  const meanfield::SeatEvents fast = meanfield::seat_movements(0.3, 0.1, 1e7);
  CHECK(fast.up == Approx(0.3).epsilon(1e-6));
  CHECK(fast.down == Approx(0.1).epsilon(1e-6));
}
