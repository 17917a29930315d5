// Loading well-formed appfacts: the spec §6 example, sorting, interning, defaults, captured kinds,
// several sessions per stream, files and streams, and the counts of unknown kinds, fields and ids.
#include <doctest/doctest.h>

#include <algorithm>
#include <sstream>

#include "runtime/facts/loader.h"
#include "tests/facts/fields_schema.h"

using namespace edict::facts;
using edict::facts::testing::AppfactsSchema;

namespace {

const std::string kExamplePath = std::string(EDICT_SOURCE_DIR) + "/tests/facts/example.jsonl";

constexpr std::string_view kHeader =
    R"({"type":"header","schema":"appfacts/1.0","session":{"id":"s-01","started_at":"2026-01-02T03:04:05.000Z","mode":"dynamic","driver":"manual","consent_method":"ui_click"},"device":{"platform":"android","os_version":"10"},"app":{"id":"com.example.shop"},"redaction":"hashed"})";

LoadResult LoadText(std::string_view text, LoadOptions options = {}) {
  InputSource inputs[] = {InputSource::Text("t.jsonl", text)};
  return Load(AppfactsSchema(), inputs, options);
}

KindId Kind(std::string_view name) { return *AppfactsSchema().FindKind(name); }

const Table& Records(const Session& session, std::string_view kind) {
  return session.store->records(Kind(kind)).fields;
}

Cell At(const Session& session, std::string_view kind, std::string_view path, size_t row = 0) {
  const Table& table = Records(session, kind);
  int32_t column = table.Find(path);
  REQUIRE(column >= 0);
  return session.store->Read(table, column, row);
}

std::vector<int64_t> Seqs(const Session& session, std::string_view kind) {
  const Table& table = Records(session, kind);
  auto seqs = table.column(AppfactsSchema().kind(Kind(kind)).seq_column).ints();
  return {seqs.begin(), seqs.end()};
}

}  // namespace

TEST_CASE("the appfacts/1 field list builds a valid schema") {
  auto schema =
      edict::facts::testing::LoadFieldsSchema(std::string(EDICT_SOURCE_DIR) + "/tests/schema/appfacts-1.fields");
  CHECK(schema->Finalize().empty());
  CHECK(schema->kind_count() == 23);
  CHECK(schema->kind(*schema->FindKind("api_call")).t_column >= 0);
  CHECK(schema->kind(*schema->FindKind("perm_decl")).t_column == -1);
}

TEST_CASE("the spec §6 example loads") {
  InputSource inputs[] = {InputSource::File(kExamplePath)};
  LoadResult result = Load(AppfactsSchema(), inputs);
  REQUIRE(result.input_errors.empty());
  REQUIRE(result.sessions.size() == 1);
  const Session& s = result.sessions[0];
  REQUIRE_FALSE(s.error.has_value());
  CHECK(s.id == "s-01");
  CHECK(s.file == kExamplePath);
  CHECK(s.header_line == 1);
  CHECK(s.store->record_count() == 6);
  CHECK(result.skipped.empty());
  CHECK(result.unknown_kinds.empty());
  CHECK(result.unknown_fields.empty());
  CHECK(result.unknown_data_types.empty());

  SUBCASE("record kinds and counts") {
    for (std::string_view kind : {"coverage", "lifecycle", "api_call", "ui", "consent", "net"}) {
      CHECK_MESSAGE(Records(s, kind).rows() == 1, kind);
    }
    CHECK(Records(s, "perm_request").rows() == 0);
    CHECK(Records(s, "sdk").rows() == 0);
  }

  SUBCASE("header fields by path, typed") {
    const SessionStore& store = *s.store;
    CHECK(std::get<std::string_view>(store.HeaderValue("app.id")) == "com.example.shop");
    CHECK(std::get<int64_t>(store.HeaderValue("app.version_code")) == 412);
    CHECK(std::get<std::string_view>(store.HeaderValue("app.category")) == "06-online-shopping");
    CHECK(std::get<bool>(store.HeaderValue("session.first_run")) == true);
    CHECK(std::get<std::string_view>(store.HeaderValue("session.mode")) == "dynamic");
    CHECK(std::get<int64_t>(store.HeaderValue("session.started_at")) == 1767323045000000000);
    CHECK(std::get<int64_t>(store.HeaderValue("device.api_level")) == 29);
    CHECK(std::holds_alternative<std::monostate>(store.HeaderValue("device.model")));
    CHECK(std::holds_alternative<std::monostate>(store.HeaderValue("session.ended_at")));
    CHECK(std::holds_alternative<StructCell>(store.HeaderValue("producer")));
    CHECK(std::holds_alternative<std::monostate>(store.HeaderValue("producers")));
    CHECK(std::holds_alternative<std::monostate>(store.HeaderValue("no.such.path")));
  }

  SUBCASE("an api_call record, field by field") {
    CHECK(Seqs(s, "api_call") == std::vector<int64_t>{3});
    CHECK(s.store->records(Kind("api_call")).lines == std::vector<uint64_t>{4});
    CHECK(std::get<int64_t>(At(s, "api_call", "t")) == 402'000'000);  // t is a duration in ns
    CHECK(std::get<std::string_view>(At(s, "api_call", "api.class")) == "android.telephony.TelephonyManager");
    CHECK(std::get<std::string_view>(At(s, "api_call", "api.method")) == "getImei");
    CHECK(std::holds_alternative<std::monostate>(At(s, "api_call", "api.sig")));
    CHECK(std::get<std::string_view>(At(s, "api_call", "ret.status")) == "ok");
    CHECK(std::holds_alternative<std::monostate>(At(s, "api_call", "ret.value_hash")));
    CHECK(std::get<std::string_view>(At(s, "api_call", "caller.party")) == "third");
    CHECK(std::holds_alternative<std::monostate>(At(s, "api_call", "caller.cls")));
    CHECK(std::holds_alternative<std::monostate>(At(s, "api_call", "args")));
    CHECK(std::holds_alternative<std::monostate>(At(s, "api_call", "proc")));
    CHECK(std::holds_alternative<std::monostate>(At(s, "api_call", "proc.pid")));
    // `count` defaults to 1 and is then present.
    CHECK(std::get<int64_t>(At(s, "api_call", "count")) == 1);

    ListCell stack = std::get<ListCell>(At(s, "api_call", "stack"));
    REQUIRE(stack.end - stack.begin == 2);
    int32_t cls = stack.elements->Find("cls");
    CHECK(std::get<std::string_view>(s.store->Read(*stack.elements, cls, stack.begin)) ==
          "com.umeng.commonsdk.statistics.common.DeviceConfig");
    CHECK(std::get<std::string_view>(s.store->Read(*stack.elements, cls, stack.begin + 1)) == "com.example.shop.App");
    int32_t line = stack.elements->Find("line");
    CHECK(std::holds_alternative<std::monostate>(s.store->Read(*stack.elements, line, stack.begin)));
  }

  SUBCASE("data types are small ids in per-record lists") {
    const Table& calls = Records(s, "api_call");
    const Column& list = calls.column(calls.Find("data_types"));
    REQUIRE(list.offsets().size() == 2);
    REQUIRE(list.offsets()[1] - list.offsets()[0] == 1);
    uint32_t id = list.elements().column(0).ids()[0];
    CHECK(id == static_cast<uint32_t>(AppfactsSchema().FindDataType("id.imei")));
    CHECK(s.store->data_types().known(id));
    CHECK(s.store->data_types().Covers("id", id));
    CHECK_FALSE(s.store->data_types().Covers("id.im", id));
  }

  SUBCASE("strings are interned once per session") {
    const Table& calls = Records(s, "api_call");
    const Table& nets = Records(s, "net");
    uint32_t in_call = calls.column(calls.Find("caller.sdk")).ids()[0];
    uint32_t in_net = nets.column(nets.Find("dest.sdk")).ids()[0];
    CHECK(in_call == in_net);
    CHECK(s.store->strings().text(in_call) == "umeng");
    CHECK(s.store->strings().Find("umeng") == in_call);
    CHECK_FALSE(s.store->strings().Find("tencent").has_value());
  }

  SUBCASE("enums, bools and nested lists of structs") {
    CHECK(std::get<std::string_view>(At(s, "ui", "class")) == "privacy_dialog");
    CHECK(std::get<std::string_view>(At(s, "ui", "screen.window")) == "dialog");
    ListCell controls = std::get<ListCell>(At(s, "ui", "controls"));
    CHECK(controls.end - controls.begin == 2);
    int32_t text = controls.elements->Find("text");
    CHECK(std::get<std::string_view>(s.store->Read(*controls.elements, text, 1)) == "不同意");
    CHECK(std::get<bool>(At(s, "net", "tls")) == true);
    CHECK(std::get<int64_t>(At(s, "consent", "ui_seq")) == 4);
  }

  SUBCASE("captured kinds come from the coverage record") {
    const Schema& schema = AppfactsSchema();
    for (std::string_view kind : {"api_call", "consent", "perm_request", "perm_result", "lifecycle", "ui", "net"}) {
      CHECK_MESSAGE(s.captured[*schema.FindKind(kind)], kind);
    }
    CHECK_FALSE(s.captured[*schema.FindKind("sdk")]);
    CHECK_FALSE(s.captured[*schema.FindKind("policy_doc")]);
    CHECK_FALSE(s.captured[*schema.FindKind("coverage")]);
  }

  SUBCASE("every table is consistent") {
    for (KindId kind = 0; kind < AppfactsSchema().kind_count(); ++kind) {
      CHECK(s.store->records(kind).fields.IsConsistent());
    }
    CHECK(s.store->header().IsConsistent());
  }
}

TEST_CASE("records are sorted by (t, seq); static records by seq") {
  std::string text = std::string(kHeader) + "\n" +
      R"({"type":"lifecycle","seq":1,"t":500,"state":"foreground"})" "\n"
      R"({"type":"sdk","seq":2,"id":"b","name":"B","categories":[],"root_pkg":"b","party":"third","detect":{"method":"package"}})" "\n"
      R"({"type":"lifecycle","seq":3,"t":100,"state":"background"})" "\n"
      R"({"type":"lifecycle","seq":4,"t":100,"state":"foreground","activity":"A"})" "\n"
      R"({"type":"sdk","seq":5,"id":"a","name":"A","categories":["x","y"],"root_pkg":"a","party":"first","detect":{"method":"package"}})" "\n"
      R"({"type":"lifecycle","seq":6,"t":-50,"state":"launched"})" "\n";
  LoadResult result = LoadText(text);
  REQUIRE(result.sessions.size() == 1);
  const Session& s = result.sessions[0];
  REQUIRE_FALSE(s.error);
  CHECK(Seqs(s, "lifecycle") == std::vector<int64_t>{6, 3, 4, 1});
  CHECK(s.store->records(Kind("lifecycle")).lines == std::vector<uint64_t>{7, 4, 5, 2});
  CHECK(std::get<std::string_view>(At(s, "lifecycle", "state", 1)) == "background");
  CHECK(std::get<std::string_view>(At(s, "lifecycle", "activity", 2)) == "A");
  CHECK(std::holds_alternative<std::monostate>(At(s, "lifecycle", "activity", 1)));
  CHECK(Seqs(s, "sdk") == std::vector<int64_t>{2, 5});
  // Gathering keeps lists attached to their records.
  ListCell categories = std::get<ListCell>(At(s, "sdk", "categories", 1));
  CHECK(categories.end - categories.begin == 2);
  CHECK(Records(s, "lifecycle").IsConsistent());
  // No coverage record: the captured kinds are exactly the kinds present.
  CHECK(s.captured[Kind("lifecycle")]);
  CHECK(s.captured[Kind("sdk")]);
  CHECK_FALSE(s.captured[Kind("api_call")]);
}

TEST_CASE("sorting by t reorders nested lists with their records") {
  std::string text = std::string(kHeader) + "\n" +
      R"({"type":"api_call","seq":1,"t":900,"api":{"class":"C","method":"late"},"data_types":["loc.precise","contacts"],"stack":[{"cls":"x","mth":"y"}]})" "\n"
      R"({"type":"api_call","seq":2,"t":100,"api":{"class":"C","method":"early"},"data_types":["id.oaid"],"count":7})" "\n";
  LoadResult result = LoadText(text);
  const Session& s = result.sessions.at(0);
  REQUIRE_FALSE(s.error);
  CHECK(std::get<std::string_view>(At(s, "api_call", "api.method", 0)) == "early");
  CHECK(std::get<int64_t>(At(s, "api_call", "count", 0)) == 7);
  CHECK(std::get<int64_t>(At(s, "api_call", "count", 1)) == 1);
  ListCell early = std::get<ListCell>(At(s, "api_call", "data_types", 0));
  ListCell late = std::get<ListCell>(At(s, "api_call", "data_types", 1));
  CHECK(std::get<std::string_view>(s.store->Read(*early.elements, 0, early.begin)) == "id.oaid");
  CHECK(late.end - late.begin == 2);
  CHECK(std::get<std::string_view>(s.store->Read(*late.elements, 0, late.begin + 1)) == "contacts");
  CHECK(std::holds_alternative<std::monostate>(At(s, "api_call", "stack", 0)));
  ListCell stack = std::get<ListCell>(At(s, "api_call", "stack", 1));
  CHECK(stack.end - stack.begin == 1);
  CHECK(Records(s, "api_call").IsConsistent());
}

TEST_CASE("several sessions in one stream, read from a stream like stdin") {
  std::string second(kHeader);
  second.replace(second.find("s-01"), 4, "s-02");
  std::istringstream stdin_like(std::string(kHeader) + "\n" +
                                R"({"type":"lifecycle","seq":1,"t":1,"state":"launched"})" "\n\n" + second + "\r\n" +
                                R"({"type":"lifecycle","seq":1,"t":1,"state":"launched"})" "\r\n" +
                                R"({"type":"lifecycle","seq":2,"t":2,"state":"exited"})");  // no final newline
  InputSource inputs[] = {InputSource::Stream("<stdin>", stdin_like)};
  LoadResult result = Load(AppfactsSchema(), inputs);
  REQUIRE(result.sessions.size() == 2);
  CHECK(result.sessions[0].id == "s-01");
  CHECK(result.sessions[0].header_line == 1);
  CHECK(result.sessions[0].store->record_count() == 1);
  CHECK(result.sessions[1].id == "s-02");
  CHECK(result.sessions[1].file == "<stdin>");
  CHECK(result.sessions[1].header_line == 4);
  CHECK(result.sessions[1].store->record_count() == 2);
  CHECK(result.sessions[1].store->records(Kind("lifecycle")).lines == std::vector<uint64_t>{5, 6});
}

TEST_CASE("several inputs: a session never continues into the next input") {
  std::string first = std::string(kHeader) + "\n" + R"({"type":"lifecycle","seq":1,"t":1,"state":"launched"})" "\n";
  std::string second = R"({"type":"lifecycle","seq":2,"t":1,"state":"launched"})" "\n";
  InputSource inputs[] = {InputSource::Text("a.jsonl", first), InputSource::Text("b.jsonl", second)};
  LoadResult result = Load(AppfactsSchema(), inputs);
  REQUIRE(result.sessions.size() == 2);
  CHECK_FALSE(result.sessions[0].error);
  REQUIRE(result.sessions[1].error);
  CHECK(result.sessions[1].error->ToString() ==
        "b.jsonl:1: record before any header (a session starts with a line of type \"header\")");
}

TEST_CASE("unknown kinds are skipped and counted, unknown fields ignored and counted") {
  std::string text = std::string(kHeader) + "\n" +
      R"({"type":"screenshot_meta","seq":1,"t":1,"w":1080,"nested":{"a":[1,2,{"b":null}]}})" "\n"
      R"({"type":"lifecycle","seq":2,"t":5,"state":"launched","extra":{"deep":[true]},"ctx":{"consent":"before","app_state":"foreground","vendor_flag":1}})" "\n"
      R"({"type":"screenshot_meta","seq":3,"t":1})" "\n"
      R"({"type":"lifecycle","seq":4,"t":6,"state":"exited","extra":1})" "\n";
  LoadResult result = LoadText(text);
  REQUIRE(result.sessions.size() == 1);
  const Session& s = result.sessions[0];
  REQUIRE_FALSE(s.error);
  CHECK(Records(s, "lifecycle").rows() == 2);
  CHECK(result.unknown_kinds == std::map<std::string, uint64_t>{{"screenshot_meta", 2}});
  std::map<std::pair<std::string, std::string>, uint64_t> expected_fields = {
      {{"lifecycle", "extra"}, 2}, {{"lifecycle", "ctx.vendor_flag"}, 1}};
  CHECK(result.unknown_fields == expected_fields);
  CHECK(std::get<std::string_view>(At(s, "lifecycle", "ctx.consent")) == "before");
}

TEST_CASE("unknown fields inside lists are counted by their element path") {
  std::string text = std::string(kHeader) + "\n" +
      R"({"type":"api_call","seq":1,"t":1,"api":{"class":"C","method":"m"},"data_types":[],"stack":[{"cls":"a","mth":"b","pc":1},{"cls":"a","mth":"b","pc":2}]})" "\n";
  LoadResult result = LoadText(text);
  REQUIRE_FALSE(result.sessions.at(0).error);
  CHECK(result.unknown_fields.at({"api_call", "stack[].pc"}) == 2);
}

TEST_CASE("unknown data-type ids are accepted, interned and counted") {
  std::string text = std::string(kHeader) + "\n" +
      R"({"type":"api_call","seq":1,"t":1,"api":{"class":"C","method":"m"},"data_types":["id.foo","id.imei","id.foo"]})" "\n"
      R"({"type":"net","seq":2,"t":2,"proto":"https","host":"h","tls":true,"data_types":["id.foo","bio.gait"],"dest":{"domain":"d","party":"third"}})" "\n";
  LoadResult result = LoadText(text);
  const Session& s = result.sessions.at(0);
  REQUIRE_FALSE(s.error);
  CHECK(result.unknown_data_types == std::map<std::string, uint64_t>{{"bio.gait", 1}, {"id.foo", 3}});
  ListCell types = std::get<ListCell>(At(s, "api_call", "data_types"));
  uint32_t foo = types.elements->column(0).ids()[types.begin];
  CHECK_FALSE(s.store->data_types().known(foo));
  CHECK(s.store->data_types().name(foo) == "id.foo");
  CHECK(types.elements->column(0).ids()[types.begin + 2] == foo);
  CHECK(s.store->data_types().Covers("id", foo));
  // The same session interns it to the same id in another kind.
  ListCell net_types = std::get<ListCell>(At(s, "net", "data_types"));
  CHECK(net_types.elements->column(0).ids()[net_types.begin] == foo);
}

TEST_CASE("any appfacts/1.x minor version is accepted") {
  std::string text(kHeader);
  text.replace(text.find("appfacts/1.0"), 12, "appfacts/1.7");
  LoadResult result = LoadText(text + "\n");
  REQUIRE(result.sessions.size() == 1);
  CHECK_FALSE(result.sessions[0].error);
}

TEST_CASE("a session with only a header loads with no records") {
  LoadResult result = LoadText(kHeader);
  REQUIRE(result.sessions.size() == 1);
  CHECK_FALSE(result.sessions[0].error);
  CHECK(result.sessions[0].store->record_count() == 0);
}

TEST_CASE("an empty input yields no sessions and no errors") {
  LoadResult result = LoadText("\n  \n");
  CHECK(result.sessions.empty());
  CHECK(result.skipped.empty());
  CHECK(result.input_errors.empty());
}

TEST_CASE("captured kinds: the union over coverage records; names the schema lacks are ignored") {
  std::string text = std::string(kHeader) + "\n" +
      R"({"type":"coverage","seq":1,"monitored":[],"failed":[],"captured":["api_call","screenshot_meta"]})" "\n"
      R"({"type":"lifecycle","seq":2,"t":1,"state":"launched"})" "\n"
      R"({"type":"coverage","seq":3,"t":9,"monitored":[],"failed":[{"api":"a#b","error":"hook failed"}],"captured":["consent"]})" "\n";
  LoadResult result = LoadText(text);
  const Session& s = result.sessions.at(0);
  REQUIRE_FALSE(s.error);
  CHECK(s.captured[Kind("api_call")]);
  CHECK(s.captured[Kind("consent")]);
  // Present but not listed: a producer that lists what it captures is taken at its word.
  CHECK_FALSE(s.captured[Kind("lifecycle")]);
  CHECK(std::count(s.captured.begin(), s.captured.end(), true) == 2);
}
