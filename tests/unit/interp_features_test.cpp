// The features pack (tests/plan/features) over tests/plan/facts/sessions.jsonl: aggregates,
// sequences, windows, group by, outcomes, profiles and parameter overrides.
#include <doctest/doctest.h>

#include "tests/plan/harness.h"

using namespace edict;
using findings::Outcome;

namespace {

testing::PackRun Load(plan::LowerOptions options = {}) {
  testing::PackRun fixture =
      testing::RunPack("tests/plan/features", "tests/plan/facts/sessions.jsonl", std::move(options));
  REQUIRE_MESSAGE(fixture.compiled->plan != nullptr, fixture.compiled->Errors());
  REQUIRE(fixture.run.sessions.size() == 4);
  return fixture;
}

std::vector<int64_t> Seqs(const findings::Finding* finding) { return testing::Seqs(*finding); }

}  // namespace

TEST_CASE("aggregates: count, min (a session let), max, sum, distinct, correlated exists") {
  testing::PackRun f = Load();
  auto denials = f.found(0, "many-denials");
  REQUIRE(denials.size() == 1);
  CHECK(denials[0]->message == "2 denials");
  // A finding about the session as a whole points at its coverage record.
  CHECK(denials[0]->evidence.size() == 1);
  CHECK(denials[0]->evidence[0].type == "coverage");
  CHECK(denials[0]->evidence[0].line == 2);

  REQUIRE(f.found(0, "late-consent").size() == 1);
  CHECK(f.found(0, "late-consent")[0]->message == "agreed at 1m30s");
  REQUIRE(f.found(0, "long-session").size() == 1);
  CHECK(f.found(0, "long-session")[0]->message == "calls span 1h6m39s");
  CHECK(f.outcome(0, "many-calls") == Outcome::kPassed);  // 1 + 2 + 1 + 1 calls
  REQUIRE(f.found(0, "many-data-types").size() == 1);
  CHECK(f.found(0, "many-data-types")[0]->message == "4 data types");

  auto exits = f.found(0, "denial-then-exit");
  REQUIRE(exits.size() == 1);
  CHECK(Seqs(exits[0]) == std::vector<int64_t>{7});  // the second denial is followed by `killed`
}

TEST_CASE("sequences: then/within, without/when, three steps") {
  testing::PackRun f = Load();
  auto within = f.found(0, "exit-after-denial");
  REQUIRE(within.size() == 1);  // two matches, one subject: deduplicated into one finding
  CHECK(Seqs(within[0]) == std::vector<int64_t>{7, 9, 10, 11});
  CHECK(within[0]->window.count == 2);  // two trigger records (the exits)
  CHECK(within[0]->window.first_t == 101000);
  CHECK(within[0]->window.last_t == 203000);
  int triggers = 0;
  for (const auto& evidence : within[0]->evidence) {
    if (evidence.role == findings::EvidenceRole::kTrigger) {
      ++triggers;
      CHECK(evidence.type == "lifecycle");
    } else {
      CHECK(evidence.type == "perm_result");
    }
  }
  CHECK(triggers == 2);

  // A click lies between the first denial (101 s) and its exit (105 s): only the second counts.
  auto without = f.found(0, "exit-without-click");
  REQUIRE(without.size() == 1);
  CHECK(Seqs(without[0]) == std::vector<int64_t>{10, 11});
  CHECK(without[0]->message == "exited 3s after the denial, no click between");

  auto three = f.found(0, "request-then-denial-then-exit");
  REQUIRE(three.size() == 1);
  CHECK(Seqs(three[0]) == std::vector<int64_t>{6, 7, 9});
}

TEST_CASE("group by, sliding window, having") {
  testing::PackRun f = Load();
  auto starts = f.found(0, "frequent-self-start");
  REQUIRE(starts.size() == 1);
  CHECK(starts[0]->message == "4 self-starts within 1h");
  CHECK(starts[0]->window.count == 4);
  CHECK(Seqs(starts[0]) == std::vector<int64_t>{12, 13, 14, 15});

  auto reads = f.found(0, "repeated-read");
  REQUIRE(reads.size() == 2);
  std::map<std::string, const findings::Finding*> by_type;
  for (const auto* finding : reads) by_type[finding->data_types.at(0)] = finding;
  REQUIRE(by_type.count("id.imei") == 1);
  CHECK(by_type["id.imei"]->message == "id.imei read 4 times, first at 1s, last at 1h6m40s, 2 methods");
  CHECK(by_type["id.imei"]->window.count == 4);  // the `count` fields summed
  CHECK(Seqs(by_type["id.imei"]) == std::vector<int64_t>{2, 3, 18});
  REQUIRE(by_type.count("loc.precise") == 1);
  CHECK(by_type["loc.precise"]->window.count == 2);

  auto sdk = f.found(0, "read-by-sdk");
  REQUIRE(sdk.size() == 1);
  CHECK(sdk[0]->subject.party == findings::Party::kThird);
  CHECK(sdk[0]->subject.sdk == "umeng");
  CHECK(sdk[0]->data_types == std::vector<std::string>{"id.imei"});
}

TEST_CASE("outcomes: violated, error, not applicable, passed") {
  testing::PackRun f = Load();
  CHECK(f.outcome(0, "many-denials") == Outcome::kViolated);
  CHECK(f.outcome(0, "needs-user-action") == Outcome::kPassed);
  // An integer overflow on one record and no finding: error, with the rule's file and line.
  CHECK(f.outcome(0, "overflow") == Outcome::kError);
  const auto& errors = f.session(0).result.summary.rule_errors;
  auto overflow = std::find_if(errors.begin(), errors.end(), [](const auto& e) { return e.rule == "overflow"; });
  REQUIRE(overflow != errors.end());
  CHECK(overflow->message.find("integer overflow") != std::string::npos);
  CHECK(overflow->message.find("api_call seq 3") != std::string::npos);
  CHECK(overflow->file.find("tests/plan/features/outcomes.edict") != std::string::npos);
  CHECK(overflow->line > 0);
  // A division by zero on one record and a finding on another: violated, the error still listed.
  CHECK(f.outcome(0, "overflow-but-found") == Outcome::kViolated);
  CHECK(std::any_of(errors.begin(), errors.end(), [](const auto& e) { return e.rule == "overflow-but-found"; }));
  CHECK(f.outcome(0, "never-applies") == Outcome::kNotApplicable);
  CHECK(f.outcome(0, "exemption") == Outcome::kPassed);  // a news app: the exemption applies
  CHECK(f.outcome(0, "collects") == Outcome::kPassed);
}

TEST_CASE("outcomes: every undetermined reason") {
  testing::PackRun f = Load();
  // A kind not in coverage.captured.
  CHECK(f.outcome(1, "needs-user-action") == Outcome::kUndetermined);
  CHECK(f.reason(1, "needs-user-action") == "user_action not captured");
  // A header field absent, or `unknown`.
  CHECK(f.outcome(1, "needs-category") == Outcome::kUndetermined);
  CHECK(f.reason(1, "needs-category") == "app.category is absent or unknown");
  CHECK(f.outcome(3, "needs-category") == Outcome::kUndetermined);
  // The rule's own entry, with its reason, when it found nothing and applies.
  CHECK(f.outcome(2, "own-undetermined") == Outcome::kUndetermined);
  CHECK(f.reason(2, "own-undetermined") == "category 99-other is not listed");
  CHECK(f.outcome(0, "own-undetermined") == Outcome::kViolated);  // listed, and a crash
  // An exemption-only need missing where a record depends on it; decided where none does.
  CHECK(f.outcome(1, "exemption") == Outcome::kUndetermined);
  CHECK(f.reason(1, "exemption") == "app.category is absent or unknown (needed for an exemption)");
  CHECK(f.outcome(3, "exemption") == Outcome::kPassed);
  // consent not captured, but records carry ctx.consent: the rule is decided (S3).
  CHECK(f.outcome(1, "consent-fallback") == Outcome::kViolated);
  CHECK(f.outcome(2, "consent-fallback") == Outcome::kUndetermined);
  // Every monitored hook of a PI type failed: api_call rules that would pass are undetermined.
  CHECK(f.outcome(1, "collects") == Outcome::kUndetermined);
  CHECK(f.reason(1, "collects") == "hooks failed: every monitored API of id.iccid failed");
  CHECK(f.outcome(1, "overflow") == Outcome::kUndetermined);
  CHECK(f.outcome(1, "overflow-but-found") == Outcome::kError);  // hooks undo only a pass
  CHECK(f.outcome(1, "consent-fallback") == Outcome::kViolated);
  // No coverage record: the kinds held are the kinds captured.
  CHECK(f.outcome(2, "needs-user-action") == Outcome::kUndetermined);
  CHECK(f.outcome(2, "needs-category") == Outcome::kPassed);
}

TEST_CASE("parameters: profiles, inheritance and overrides change results") {
  testing::PackRun baseline = Load();
  CHECK(baseline.plan().profile == "baseline");
  CHECK(baseline.outcome(0, "many-denials") == Outcome::kViolated);
  CHECK(baseline.outcome(0, "frequent-self-start") == Outcome::kViolated);

  plan::LowerOptions lenient;
  lenient.profile = "lenient";
  testing::PackRun f = Load(lenient);
  CHECK(f.outcome(0, "many-denials") == Outcome::kPassed);
  CHECK(f.outcome(0, "frequent-self-start") == Outcome::kPassed);
  CHECK(f.outcome(0, "exit-after-denial") == Outcome::kViolated);

  plan::LowerOptions quick;
  quick.profile = "quick";  // lenient's limits, and a 1 s exit window
  testing::PackRun q = Load(quick);
  CHECK(q.outcome(0, "many-denials") == Outcome::kPassed);
  CHECK(q.outcome(0, "exit-after-denial") == Outcome::kPassed);

  plan::LowerOptions overridden;
  overridden.profile = "lenient";
  overridden.overrides.push_back({"max_denials", "0"});
  overridden.overrides.push_back({"launch_window", "5s"});
  testing::PackRun o = Load(overridden);
  CHECK(o.outcome(0, "many-denials") == Outcome::kViolated);
  CHECK(o.outcome(0, "frequent-self-start") == Outcome::kPassed);
  auto denials = o.found(0, "many-denials");
  REQUIRE(denials.size() == 1);
  // The finding carries the parameters its rule reads, as in force.
  REQUIRE(denials[0]->params.size() == 1);
  CHECK(denials[0]->params[0].first == "max_denials");
  CHECK(std::get<int64_t>(denials[0]->params[0].second) == 0);
}

TEST_CASE("parameters: unknown profile, unknown parameter, wrong type") {
  plan::LowerOptions options;
  options.profile = "lenent";
  auto compiled = testing::CompilePacks({"tests/plan/features"}, options);
  CHECK(compiled->plan == nullptr);
  CHECK(compiled->Errors().find("error[E049]: unknown profile 'lenent'") != std::string::npos);
  CHECK(compiled->Errors().find("did you mean 'lenient'?") != std::string::npos);

  options.profile = "baseline";
  options.overrides = {{"max_denial", "3"}};
  compiled = testing::CompilePacks({"tests/plan/features"}, options);
  CHECK(compiled->plan == nullptr);
  CHECK(compiled->Errors().find("error[E051]: unknown parameter 'max_denial'") != std::string::npos);
  CHECK(compiled->Errors().find("did you mean 'max_denials'?") != std::string::npos);

  options.overrides = {{"exit_window", "\"ten\""}};
  compiled = testing::CompilePacks({"tests/plan/features"}, options);
  CHECK(compiled->plan == nullptr);
  CHECK(compiled->Errors().find("error[E044]: value of parameter 'exit_window': expected duration, found string") !=
        std::string::npos);
  CHECK(compiled->Errors().find("--param exit_window:1:1") != std::string::npos);
}

TEST_CASE("structs, lists and header fields as values; bindings over lists") {
  testing::PackRun f = Load();
  auto shapes = f.found(0, "shapes");
  REQUIRE(shapes.size() == 1);
  CHECK(shapes[0]->message ==
        "{\"sdk\": \"umeng\", \"party\": \"third\"} | id.imei | 1 | 2025-06-01T08:00:01Z | com.example.news | true | "
        "{\"class\": \"android.telephony.TelephonyManager\", \"method\": \"getImei\"}");
  auto frames = f.found(0, "sdk-frame");
  REQUIRE(frames.size() == 1);
  CHECK(frames[0]->message == "com.umeng.commonsdk.DeviceConfig#getImei, 2 app frames, lines 312, 0, 0");
  // Records without a stack are filtered before the binding reads it: no error.
  CHECK(f.session(0).result.summary.rule_errors.end() ==
        std::find_if(f.session(0).result.summary.rule_errors.begin(), f.session(0).result.summary.rule_errors.end(),
                     [](const auto& e) { return e.rule == "sdk-frame"; }));
  auto category = f.found(0, "listed-category");
  REQUIRE(category.size() == 1);
  CHECK(category[0]->message == "category 30");
  CHECK(category[0]->evidence.at(0).type == "coverage");
  CHECK(f.outcome(2, "listed-category") == Outcome::kPassed);
}

TEST_CASE("an aggregate written twice over the session is computed once") {
  testing::PackRun f = Load();
  size_t copies = 0;
  for (const plan::SessionSlot& slot : f.plan().slots) copies += slot.name == "count(r: perm_result where is_denial(r))";
  CHECK(copies == 1);
  CHECK(f.found(0, "many-denials").at(0)->message == "2 denials");
}
