// Random mutations of realistic records (seeded, so failures reproduce): the loader never crashes
// or throws, and whatever it keeps satisfies the store's invariants.
#include <doctest/doctest.h>

#include <fstream>
#include <random>
#include <sstream>

#include "runtime/facts/loader.h"
#include "tests/facts/fields_schema.h"

using namespace edict::facts;
using edict::facts::testing::AppfactsSchema;

namespace {

std::vector<std::string> SeedLines() {
  std::vector<std::string> lines;
  std::ifstream example(std::string(EDICT_SOURCE_DIR) + "/tests/facts/example.jsonl");
  for (std::string line; std::getline(example, line);) lines.push_back(line);
  const char* more[] = {
      R"({"type":"perm_request","seq":7,"t":6000,"perms":["android.permission.ACCESS_FINE_LOCATION"],"caller":{"party":"first"},"user_triggered":false})",
      R"({"type":"perm_result","seq":8,"t":6100,"perm":"android.permission.ACCESS_FINE_LOCATION","result":"denied","via":"user"})",
      R"({"type":"net","seq":9,"t":7000,"proto":"https","host":"h.example","tls":true,"data_types":["loc.precise"],"matches":[{"dt":"loc.precise","where":"body","key":"lat","enc":"plain"}],"dest":{"domain":"example","party":"first"}})",
      R"({"type":"component","seq":10,"kind":"activity","name":"A","exported":"true","intent_filters":[{"actions":["a"],"categories":[],"schemes":["http","https"]}]})",
      R"({"type":"sdk","seq":11,"id":"umeng","name":"友盟","categories":["analytics"],"root_pkg":"com.umeng","party":"third","detect":{"method":"package","score":0.93}})",
      R"({"type":"policy_stmt","seq":12,"doc":"p1","entity":"we","action":"collect","data_types":["id.imei","loc"],"sentence":"我们会收集您的设备信息。","confidence":0.8})",
      R"({"type":"ui","seq":13,"t":8000,"screen":{"window":"popup"},"texts":["a\"b\\c\u4e2d"],"controls":[{"kind":"checkbox","text":"同意","checked":true,"enabled":true}]})",
      R"({"type":"api_call","seq":14,"t":-5,"api":{"class":"C","method":"m","sig":"()V"},"data_types":[],"args":["1","2"],"ret":{"status":"exception","value_hash":"sha256:00"},"count":3,"proc":{"pid":1,"name":"p"},"thread":{"tid":2,"main":true},"ctx":{"consent":"before","app_state":"background"}})",
      R"({"type":"account","seq":15,"has_accounts":true,"registration_collects":["phone.number"],"deletion_requires":["identity.card_photo"]})",
      R"({"type":"diag","seq":16,"level":"warn","msg":"hook failed"})",
  };
  lines.insert(lines.end(), std::begin(more), std::end(more));
  return lines;
}

class Mutator {
 public:
  explicit Mutator(uint32_t seed) : rng_(seed) {}

  std::string Mutate(std::string line) {
    int rounds = 1 + Pick(3);
    for (int i = 0; i < rounds && !line.empty(); ++i) {
      size_t at = Pick(line.size());
      switch (Pick(10)) {
        case 0: line[at] = static_cast<char>(Pick(256)); break;                     // any byte
        case 1: line.insert(at, 1, "{}[]\",:\\0-.eE \t"[Pick(16)]); break;           // a JSON metacharacter
        case 2: line.erase(at, 1 + Pick(8)); break;
        case 3: line.insert(at, line.substr(Pick(line.size()), 1 + Pick(20))); break;  // duplicate a slice
        case 4: line.resize(at); break;                                              // truncate
        case 5: line.insert(at, Pick(2) ? "null" : "99999999999999999999999"); break;
        case 6: line.insert(at, std::string(1 + Pick(80), '[')); break;
        case 7: line.insert(at, "\xC3\x28\xF0\x9F\x98"); break;                     // invalid UTF-8
        case 8: Swap(line, "\"seq\":", "\"sek\":", "\"t\":", "\"t\":\"", "true", "\"true\""); break;
        default: Swap(line, "\"ok\"", "\"okay\"", "[", "{", "\"id.imei\"", "\"id.new\""); break;
      }
    }
    return line;
  }

  size_t Pick(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }

 private:
  void Swap(std::string& line, std::string_view a, std::string_view b, std::string_view c, std::string_view d,
            std::string_view e, std::string_view f) {
    std::pair<std::string_view, std::string_view> swaps[] = {{a, b}, {c, d}, {e, f}};
    auto [from, to] = swaps[Pick(3)];
    if (size_t pos = line.find(from); pos != std::string::npos) line.replace(pos, from.size(), to);
  }

  std::mt19937 rng_;
};

// Streams of several sessions: mostly intact lines, about a third mutated, headers mutated too.
std::string MutatedStream(uint32_t seed, size_t lines) {
  std::vector<std::string> seeds = SeedLines();
  Mutator mutator(seed);
  std::string out;
  for (size_t i = 0; i < lines; ++i) {
    const std::string& base = i % 40 == 0 ? seeds[0] : seeds[1 + mutator.Pick(seeds.size() - 1)];
    out += mutator.Pick(3) == 0 ? mutator.Mutate(base) : base;
    out += '\n';
  }
  return out;
}

void CheckInvariants(const LoadResult& result) {
  const Schema& schema = AppfactsSchema();
  for (const InputError& error : result.input_errors) CHECK(error.kind != InputErrorKind::kLoadFailed);
  for (const Session& session : result.sessions) {
    CHECK((session.error.has_value() != (session.store != nullptr)));
    if (!session.store) continue;
    CHECK(session.store->header().rows() == 1);
    CHECK(session.store->header().IsConsistent());
    CHECK(session.captured.size() == schema.kind_count());
    for (KindId kind = 0; kind < schema.kind_count(); ++kind) {
      const RecordTable& records = session.store->records(kind);
      REQUIRE(records.fields.IsConsistent());
      CHECK(records.lines.size() == records.fields.rows());
      int32_t t = schema.kind(kind).t_column;
      auto seq = records.fields.column(schema.kind(kind).seq_column).ints();
      for (size_t row = 1; row < records.fields.rows(); ++row) {
        if (t >= 0) {
          auto times = records.fields.column(t).ints();
          bool ordered = times[row - 1] < times[row] || (times[row - 1] == times[row] && seq[row - 1] < seq[row]);
          CHECK(ordered);
        } else {
          CHECK(seq[row - 1] < seq[row]);
        }
      }
    }
  }
  for (const InputError& skipped : result.skipped) {
    CHECK(skipped.line > 0);
    CHECK_FALSE(skipped.message.empty());
  }
}

}  // namespace

TEST_CASE("randomly mutated input never crashes the loader, in either mode") {
  for (uint32_t seed : {1u, 2u, 3u}) {
    std::string text = MutatedStream(seed, 2000);
    for (LoadMode mode : {LoadMode::kStrict, LoadMode::kLenient}) {
      CAPTURE(seed);
      CAPTURE(static_cast<int>(mode));
      InputSource inputs[] = {InputSource::Text("fuzz.jsonl", text)};
      LoadResult result = Load(AppfactsSchema(), inputs, {.mode = mode});
      CHECK(result.sessions.size() >= 10);
      CheckInvariants(result);
      if (mode == LoadMode::kLenient) CHECK_FALSE(result.skipped.empty());
    }
  }
}

TEST_CASE("mutated input with a small line limit and a small record limit") {
  std::string text = MutatedStream(7, 2000);
  std::istringstream stream(text);
  InputSource inputs[] = {InputSource::Stream("<stdin>", stream)};
  LoadResult result = Load(AppfactsSchema(), inputs,
                           {.mode = LoadMode::kLenient, .max_line_bytes = 400, .max_records_per_session = 30});
  CheckInvariants(result);
  bool too_long = false;
  for (const InputError& skipped : result.skipped) too_long |= skipped.kind == InputErrorKind::kLineTooLong;
  CHECK(too_long);
}

TEST_CASE("arbitrary bytes never crash the loader") {
  Mutator mutator(42);
  std::string noise;
  for (int i = 0; i < 200000; ++i) noise += static_cast<char>(mutator.Pick(256));
  std::string text = SeedLines()[0] + "\n" + noise;
  for (LoadMode mode : {LoadMode::kStrict, LoadMode::kLenient}) {
    InputSource inputs[] = {InputSource::Text("noise.bin", text)};
    LoadResult result = Load(AppfactsSchema(), inputs, {.mode = mode});
    CheckInvariants(result);
  }
}
