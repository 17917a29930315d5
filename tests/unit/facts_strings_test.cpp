// The loader's fast paths: the string pool's table (growth, many strings, colliding hashes), word
// compares of short texts, and interning deferred to the end of a
// record, which must hand out exactly the ids of interning each string on sight.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "runtime/facts/loader.h"
#include "runtime/facts/name_index.h"
#include "runtime/facts/strings.h"

using namespace edict::facts;

TEST_CASE("string pool: many distinct strings keep dense ids and stable texts across growth") {
  StringPool pool;
  CHECK_FALSE(pool.Find("absent").has_value());
  uint32_t first = pool.Intern("first");
  std::string_view first_text = pool.text(first);
  std::vector<std::string> texts;
  for (uint64_t i = 0; i < 300000; ++i) texts.push_back("value-" + std::to_string(i * 7919));
  for (size_t i = 0; i < texts.size(); ++i) REQUIRE(pool.Intern(texts[i]) == i + 1);
  CHECK(pool.size() == texts.size() + 1);
  CHECK(pool.text(first).data() == first_text.data());  // texts never move
  for (size_t i = 0; i < texts.size(); i += 997) {
    REQUIRE(pool.Intern(texts[i]) == i + 1);
    REQUIRE(pool.Find(texts[i]) == i + 1);
    REQUIRE(pool.text(static_cast<uint32_t>(i + 1)) == texts[i]);
  }
  CHECK_FALSE(pool.Find("value-1").has_value());
  // Texts of one length differ only in their last bytes, and a text may be a prefix of another.
  CHECK(pool.Intern("value-") != pool.Intern("value-0"));
  CHECK(pool.Intern("value-0") == 1);
}

// The hashes below are not Hash(text): only this way can a test make texts collide.
TEST_CASE("string pool: texts with the same hash are told apart by their bytes") {
  StringPool pool;
  constexpr uint64_t kSame = 0x1234;
  uint32_t a = pool.Intern("alpha", kSame);
  uint32_t b = pool.Intern("bravo", kSame);
  uint32_t c = pool.Intern("alph", kSame);
  uint32_t empty = pool.Intern("", kSame);
  CHECK(a != b);
  CHECK(a != c);
  CHECK(c != empty);
  for (int i = 0; i < 5000; ++i) pool.Intern("filler" + std::to_string(i));  // regrows the table
  CHECK(pool.Intern("bravo", kSame) == b);
  CHECK(pool.Intern("alpha", kSame) == a);
  CHECK(pool.Intern("alph", kSame) == c);
  CHECK(pool.Intern("", kSame) == empty);
  CHECK(pool.text(empty).empty());
  uint32_t charlie = pool.Intern("charlie", kSame);
  CHECK(charlie == pool.size() - 1);
}

TEST_CASE("string pool: the two-step API gives the one-step ids") {
  StringPool pool;
  uint32_t id = pool.Intern("x", StringPool::Hash("x"));
  pool.Prefetch(StringPool::Hash("y"));
  pool.PrefetchText(StringPool::Hash("x"));
  CHECK(pool.Intern("x") == id);
  CHECK(pool.Find("x") == id);
  StringPool empty;
  empty.Prefetch(1);  // no table yet: a no-op
  empty.PrefetchText(1);
  CHECK(empty.size() == 0);
}

TEST_CASE("EqualText, as the loader uses it, compares every byte at every length, in words and in bytes") {
  for (size_t size = 0; size <= 40; ++size) {
    std::string a(size, 'k');
    for (size_t i = 0; i < size; ++i) a[i] = static_cast<char>('a' + i % 26);
    std::string b = a;
    REQUIRE(edict::value::EqualText(a, b));
    for (size_t at = 0; at < size; ++at) {
      b[at] ^= 0x20;
      REQUIRE_FALSE(edict::value::EqualText(a, b));
      b[at] = a[at];
    }
    REQUIRE_FALSE(edict::value::EqualText(a, a + "x"));
    REQUIRE_FALSE(edict::value::EqualText(a + "x", a));
  }
}

namespace {

// A kind whose strings are a present field, an absent one with a default, and one that can fail.
const Schema& DefaultsSchema() {
  static const std::unique_ptr<Schema> schema = [] {
    auto s = std::make_unique<Schema>("appfacts", 1);
    TypeId session = s->Struct({{"id", s->String(), false, std::nullopt}});
    s->SetHeader(s->Struct({{"schema", s->String(), false, std::nullopt}, {"session", session, false, std::nullopt}}));
    s->AddKind("k", s->Struct({{"seq", s->Int(), false, std::nullopt},
                               {"a", s->String(), true, std::nullopt},
                               {"b", s->String(), true, std::string("dflt")},
                               {"list", s->List(s->String()), true, std::nullopt},
                               {"n", s->Int(), true, std::nullopt}}));
    REQUIRE(s->Finalize().empty());
    return s;
  }();
  return *schema;
}

std::vector<std::string> PoolTexts(const SessionStore& store) {
  std::vector<std::string> texts;
  for (uint32_t id = 0; id < store.strings().size(); ++id) texts.emplace_back(store.strings().text(id));
  return texts;
}

}  // namespace

TEST_CASE("deferred interning keeps first-sight order: defaults, lists, skipped records, sessions") {
  std::string text =
      R"({"type":"header","schema":"appfacts/1.0","session":{"id":"s1"}})" "\n"
      R"({"type":"k","seq":1,"list":["l1","a1"],"a":"a1"})" "\n"
      R"({"type":"k","seq":2,"a":"skipped","list":["l2"],"n":"not a number"})" "\n"
      R"({"type":"k","seq":3,"b":"b3","a":"l2"})" "\n"
      R"({"type":"header","schema":"appfacts/1.0","session":{"id":"s2"}})" "\n"
      R"({"type":"k","seq":1,"a":"a1"})" "\n";
  InputSource inputs[] = {InputSource::Text("t.jsonl", text)};
  LoadOptions options;
  options.mode = LoadMode::kLenient;
  LoadResult result = Load(DefaultsSchema(), inputs, options);
  REQUIRE(result.sessions.size() == 2);
  REQUIRE(result.skipped.size() == 1);
  CHECK(result.skipped[0].line == 3);
  // The skipped record's strings were interned before it failed, as on sight; the default comes
  // after the record's own strings.
  CHECK(PoolTexts(*result.sessions[0].store) ==
        std::vector<std::string>{"appfacts/1.0", "s1", "l1", "a1", "dflt", "skipped", "l2", "b3"});
  const Table& rows = result.sessions[0].store->records(0).fields;
  REQUIRE(rows.rows() == 2);
  std::span<const uint32_t> a = rows.column(rows.Find("a")).ids();
  std::span<const uint32_t> b = rows.column(rows.Find("b")).ids();
  CHECK(a[0] == 3);
  CHECK(a[1] == 6);
  CHECK(b[0] == 4);
  CHECK(b[1] == 7);
  const Table& elements = rows.column(rows.Find("list")).elements();
  REQUIRE(elements.rows() == 2);
  CHECK(elements.column(0).ids()[0] == 2);
  CHECK(elements.column(0).ids()[1] == 3);
  // Each session has its own pool.
  CHECK(PoolTexts(*result.sessions[1].store) == std::vector<std::string>{"appfacts/1.0", "s2", "a1", "dflt"});
}
