// The schema model: builder checks, column layouts, defaults, and the small helpers beneath the
// store (name index, string pool, timestamps).
#include <doctest/doctest.h>

#include <algorithm>

#include "runtime/facts/name_index.h"
#include "runtime/facts/schema.h"
#include "runtime/facts/strings.h"
#include "runtime/facts/timestamp.h"

using namespace edict::facts;

namespace {

bool Mentions(const std::vector<std::string>& problems, std::string_view text) {
  return std::any_of(problems.begin(), problems.end(),
                     [&](const std::string& p) { return p.find(text) != std::string::npos; });
}

TypeId MinimalHeader(Schema& s) {
  TypeId session = s.Struct({{"id", s.String()}});
  return s.Struct({{"schema", s.String()}, {"session", session}});
}

}  // namespace

TEST_CASE("a small schema: layout of nested structs and lists") {
  Schema s("appfacts", 1);
  TypeId api = s.Struct({{"class", s.String()}, {"method", s.String()}, {"sig", s.String(), true}});
  TypeId frame = s.Struct({{"cls", s.String()}, {"line", s.Int(), true}});
  TypeId ret = s.Struct({{"status", s.Enum({"ok", "null"})}, {"value_hash", s.String(), true}});
  KindId call = s.AddKind("api_call", s.Struct({{"seq", s.Int()},
                                                {"t", s.Duration()},
                                                {"api", api},
                                                {"ret", ret, true},
                                                {"stack", s.List(frame), true},
                                                {"data_types", s.List(s.DataType())},
                                                {"count", s.Int(), true, int64_t{1}}}));
  s.SetHeader(MinimalHeader(s));
  s.SetDataTypes({"id.imei"});
  REQUIRE(s.Finalize().empty());

  const RecordKind& kind = s.kind(call);
  const TableLayout& layout = s.layout(kind.layout);
  std::vector<std::string> paths;
  for (const ColumnSpec& column : layout.columns) paths.push_back(column.path);
  CHECK(paths == std::vector<std::string>{"seq", "t", "api", "api.class", "api.method", "api.sig", "ret",
                                          "ret.status", "ret.value_hash", "stack", "data_types", "count"});
  CHECK(kind.seq_column == 0);
  CHECK(kind.t_column == 1);
  const ColumnSpec& ret_column = layout.columns[layout.Find("ret")];
  CHECK(ret_column.nullable);
  CHECK(ret_column.end == 9);
  // A required field inside an optional struct is absent when the struct is.
  CHECK(layout.columns[layout.Find("ret.status")].nullable);
  CHECK_FALSE(layout.columns[layout.Find("api.class")].nullable);
  // A defaulted field is always present.
  CHECK_FALSE(layout.columns[layout.Find("count")].nullable);
  CHECK(layout.columns[layout.Find("count")].default_value->int_value == 1);
  const TableLayout& frames = s.layout(layout.columns[layout.Find("stack")].elements);
  CHECK(frames.Find("cls") == 0);
  CHECK(frames.Find("line") == 1);
  const TableLayout& ids = s.layout(layout.columns[layout.Find("data_types")].elements);
  CHECK(ids.columns.size() == 1);
  CHECK(ids.columns[0].kind == TypeKind::kDataType);
  // `unknown` is part of every enum.
  CHECK(s.Describe(layout.columns[layout.Find("ret.status")].type) == "one of ok|null|unknown");
  CHECK(s.FindKind("api_call") == call);
  CHECK_FALSE(s.FindKind("api_cal").has_value());
  CHECK(s.FindDataType("id.imei") == 0);
  CHECK(s.FindDataType("id") == -1);
}

TEST_CASE("defaults are converted to the column's representation") {
  Schema s("appfacts", 1);
  TypeId level = s.Enum({"info", "warn"});
  s.AddKind("k", s.Struct({{"seq", s.Int()},
                           {"wait", s.Duration(), true, int64_t{1500}},
                           {"at", s.Timestamp(), true, std::string("1970-01-01T00:00:01Z")},
                           {"level", level, true, std::string("warn")},
                           {"score", s.Num(), true, int64_t{2}}}));
  s.SetHeader(MinimalHeader(s));
  REQUIRE(s.Finalize().empty());
  const TableLayout& layout = s.layout(s.kind(0).layout);
  CHECK(layout.columns[layout.Find("wait")].default_value->int_value == 1'500'000'000);
  CHECK(layout.columns[layout.Find("at")].default_value->int_value == 1'000'000'000);
  CHECK(layout.columns[layout.Find("level")].default_value->int_value == 1);
  CHECK(layout.columns[layout.Find("score")].default_value->num_value == 2.0);
}

TEST_CASE("Finalize reports every inconsistent declaration") {
  Schema s("appfacts", 1);
  TypeId enum_type = s.Enum({"a", "a"});
  s.AddKind("no_seq", s.Struct({{"x", s.Int()}}));
  s.AddKind("bad_t", s.Struct({{"seq", s.Int()}, {"t", s.Int()}}));
  s.AddKind("dup", s.Struct({{"seq", s.Int()}, {"x", s.Int()}, {"x", s.String()}}));
  s.AddKind("dup", s.Struct({{"seq", s.Int()}}));
  s.AddKind("header", s.Struct({{"seq", s.Int()}}));
  s.AddKind("typed", s.Struct({{"seq", s.Int()}, {"type", s.String()}}));
  s.AddKind("defaults", s.Struct({{"seq", s.Int()},
                                  {"req", s.Int(), false, int64_t{1}},
                                  {"e", enum_type, true, std::string("zzz")},
                                  {"l", s.List(s.Int()), true, int64_t{1}}}));
  s.AddKind("names", s.Struct({{"seq", s.Int()}, {"a.b", s.Int()}}));
  s.Struct({{"bad", 999}});
  std::vector<std::string> problems = s.Finalize();
  CHECK(Mentions(problems, "record kind 'no_seq': needs a required field 'seq: int'"));
  CHECK(Mentions(problems, "record kind 'bad_t': field 't' must be a duration"));
  CHECK(Mentions(problems, "dup.x: declared twice"));
  CHECK(Mentions(problems, "record kind 'dup': declared twice"));
  CHECK(Mentions(problems, "record kind 'header': reserved kind name"));
  CHECK(Mentions(problems, "'type' names the kind and cannot be a field"));
  CHECK(Mentions(problems, "defaults.req: a default value needs an optional field"));
  CHECK(Mentions(problems, "defaults.e: the default must be one of a|a|unknown"));
  CHECK(Mentions(problems, "defaults.l: only scalar fields can have a default"));
  CHECK(Mentions(problems, "names: invalid field name 'a.b'"));
  CHECK(Mentions(problems, "an enum lists a value twice"));
  CHECK(Mentions(problems, "field 'bad' refers to an undeclared type"));
  CHECK(Mentions(problems, "the header must be declared as a struct"));
  CHECK_FALSE(s.finalized());
}

TEST_CASE("the header must declare schema and session.id") {
  Schema s("appfacts", 1);
  s.SetHeader(s.Struct({{"schema", s.Int()}, {"session", s.Struct({{"id", s.String(), true}})}}));
  std::vector<std::string> problems = s.Finalize();
  CHECK(Mentions(problems, "the header needs a required field 'schema: string'"));
  CHECK(Mentions(problems, "the header needs a required field 'session: {id: string, ...}'"));
}

TEST_CASE("a schema is finalized once") {
  Schema s("appfacts", 1);
  s.SetHeader(MinimalHeader(s));
  CHECK(s.Finalize().empty());
  CHECK(s.Finalize() == std::vector<std::string>{"the schema is already finalized"});
}

TEST_CASE("enums hold at most 256 values, so codes fit a byte") {
  Schema s("appfacts", 1);
  std::vector<std::string> values;
  for (int i = 0; i < 256; ++i) values.push_back("v" + std::to_string(i));
  s.AddKind("k", s.Struct({{"seq", s.Int()}, {"e", s.Enum(values)}}));  // 257 with `unknown`
  s.SetHeader(MinimalHeader(s));
  CHECK(Mentions(s.Finalize(), "an enum has more than 256 values"));
}

TEST_CASE("name index") {
  std::vector<std::string> names = {"type", "seq", "t", "api", "data_types", ""};
  NameIndex index(names);
  for (size_t i = 0; i < names.size(); ++i) CHECK(index.Find(names[i]) == static_cast<int32_t>(i));
  CHECK(index.Find("ty") == NameIndex::kNotFound);
  CHECK(index.Find("types") == NameIndex::kNotFound);
  CHECK(NameIndex().Find("x") == NameIndex::kNotFound);
}

TEST_CASE("string pool interns and survives growth") {
  StringPool pool;
  std::vector<uint32_t> ids;
  for (int i = 0; i < 20000; ++i) ids.push_back(pool.Intern("s" + std::to_string(i)));
  std::string large(100000, 'z');
  uint32_t large_id = pool.Intern(large);
  for (int i = 0; i < 20000; ++i) {
    REQUIRE(pool.Intern("s" + std::to_string(i)) == ids[i]);
    REQUIRE(pool.text(ids[i]) == "s" + std::to_string(i));
  }
  CHECK(pool.text(large_id) == large);
  CHECK(pool.Intern("") == pool.Intern(""));
  CHECK(pool.text(pool.Intern("")).empty());
  CHECK(pool.size() == 20002);
  CHECK(pool.Find("s17") == ids[17]);
  CHECK_FALSE(pool.Find("s20000").has_value());
}

TEST_CASE("RFC 3339 parsing") {
  int64_t ns = 0;
  std::string_view why;
  CHECK(ParseRfc3339("1970-01-01T00:00:00Z", &ns, &why));
  CHECK(ns == 0);
  CHECK(ParseRfc3339("1969-12-31T23:59:59.5-00:00", &ns, &why));
  CHECK(ns == -500'000'000);
  CHECK(ParseRfc3339("2024-02-29t12:00:00z", &ns, &why));
  CHECK(ParseRfc3339("2000-03-01T08:00:00+08:00", &ns, &why));
  CHECK(ns == 951868800LL * 1'000'000'000);
  CHECK_FALSE(ParseRfc3339("2023-02-29T12:00:00Z", &ns, &why));
  CHECK(why == "the day is out of range for its month");
  CHECK_FALSE(ParseRfc3339("2023-01-01T12:00:00+8:00", &ns, &why));
  CHECK(why == "the UTC offset must be written +hh:mm or -hh:mm");
  CHECK_FALSE(ParseRfc3339("2023-01-01T12:00:00Zjunk", &ns, &why));
  CHECK(why == "unexpected text after the time zone");
  CHECK_FALSE(ParseRfc3339("1600-01-01T00:00:00Z", &ns, &why));
  CHECK(ParseRfc3339("2262-04-11T23:47:16.854775807Z", &ns, &why));
  CHECK(ns == INT64_MAX);
  CHECK_FALSE(ParseRfc3339("2262-04-11T23:47:16.854775808Z", &ns, &why));
  CHECK_FALSE(ParseRfc3339("", &ns, &why));
}
