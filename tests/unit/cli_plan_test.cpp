// `edict plan` (runs EDICT_BINARY): prints the plan of a pack for a profile; 1 for errors in the
// rules, 2 for usage errors.
#include "tests/unit/cli_helpers.h"

using namespace edict::cli_testing;

TEST_CASE("the plan of the example pack, per profile and parameter") {
  Result baseline = Edict("plan --pack-path stdlib-rules examples/quickstart");
  CHECK(baseline.exit_code == 0);
  CHECK(baseline.out.rfind("plan: profile baseline, 5 rule(s)\n", 0) == 0);
  CHECK(baseline.out.find("  max_reads = 10\n") != std::string::npos);
  CHECK(baseline.out.find("shared pass over api_call:") != std::string::npos);
  CHECK(baseline.out.find("rule rerequest-after-denial (quickstart 1.0.0): join width 2") != std::string::npos);

  Result tencent = Edict("plan --pack-path stdlib-rules --profile tencent --param exit_window=5s examples/quickstart");
  CHECK(tencent.exit_code == 0);
  CHECK(tencent.out.rfind("plan: profile tencent,", 0) == 0);
  CHECK(tencent.out.find("  max_reads = 1\n") != std::string::npos);
  CHECK(tencent.out.find("  exit_window = 5s\n") != std::string::npos);
}

TEST_CASE("errors in the rules exit 1, usage errors 2") {
  Result typos = Edict("plan --pack-path stdlib-rules examples/mistakes/typos.edict");
  CHECK(typos.exit_code == 1);
  CHECK(typos.out.empty());
  CHECK(typos.err.find("2 errors generated.") != std::string::npos);
  CHECK(Edict("plan --pack-path stdlib-rules --profile nobody examples/quickstart").exit_code == 1);
  CHECK(Edict("plan examples/no-such-pack").exit_code == 2);
  CHECK(Edict("plan").exit_code == 2);
}

TEST_CASE("a rule's evidence entry is printed with its finding entries") {
  Result plan = Edict("plan --pack-path stdlib-rules stdlib-rules/cn-app-privacy");
  CHECK(plan.exit_code == 0);
  CHECK(plan.out.find("  data types: [d]\n  evidence: consent_recorded ? [decision_seq_at(max(c.t for c: consent where") !=
        std::string::npos);
}

// A struct read as a map is printed by its path, a whole record by its variable: `key b = a` would
// hide that the join's key is the caller.
TEST_CASE("a struct used as a value is printed by its path") {
  Result plan = Edict("plan --pack-path stdlib-rules tests/plan/struct_values");
  CHECK(plan.exit_code == 0);
  CHECK(plan.out.find("       key b.caller = a.caller\n") != std::string::npos);
  CHECK(plan.out.find("       recheck a.caller == b.caller\n") != std::string::npos);
  CHECK(plan.out.find("       where dyn(a).api == b.api\n") != std::string::npos);
}
