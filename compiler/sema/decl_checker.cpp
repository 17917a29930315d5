// Declarations with values: consts, sets, tables, params, lets, functions, field defaults and
// the pack manifest. Values are checked lazily, so a declaration may use one written after it;
// a declaration reached again while being checked is a cycle, reported by cycles.cpp.
#include "compiler/sema/checker.h"

namespace edict::sema {
namespace {

std::optional<std::string> LiteralKey(const ast::Expr* expr) {
  if (expr == nullptr || expr->kind != ast::ExprKind::kLiteral) return std::nullopt;
  switch (expr->literal.kind) {
    case ast::LiteralKind::kString: return "\"" + expr->literal.text + "\"";
    case ast::LiteralKind::kInt: return std::to_string(expr->literal.int_value);
    case ast::LiteralKind::kUint: return std::to_string(expr->literal.uint_value) + "u";
    case ast::LiteralKind::kBool: return expr->literal.bool_value ? "true" : "false";
    default: return std::nullopt;
  }
}

}  // namespace

void Checker::CheckDecls() {
  for (const auto& pack : program_.packs) {
    ctx_ = Context{};
    ctx_.pack = pack.get();
    CheckManifest(*pack);
    for (const ast::File& file : pack->files) {
      for (const ast::Decl* decl : file.decls) {
        auto it = program_.decl_symbols.find(decl);
        if (it == program_.decl_symbols.end()) continue;
        const Symbol* symbol = it->second;
        if (symbol->kind == SymbolKind::kFn) {
          CheckFnBody(static_cast<const ast::FnDecl&>(*decl));
        } else if (symbol->kind != SymbolKind::kRecord && symbol->kind != SymbolKind::kStruct &&
                   symbol->kind != SymbolKind::kTypeAlias) {
          ValueType(symbol);
        }
      }
    }
  }
  for (const FieldDefault& pending : field_defaults_) {
    Context context;
    context.pack = pending.pack;
    context.constant = "the default of field '" + pending.field->name + "'";
    ContextSwap swap(*this, std::move(context));
    CheckAs(pending.field->default_value, pending.type, "default of field '" + pending.field->name + "'");
  }
  ctx_ = Context{};
}

Checker::Context Checker::DeclContext(const Symbol* symbol, std::string constant) {
  Context context;
  context.pack = symbol->pack;
  context.owner = symbol->decl;
  context.constant = std::move(constant);
  return context;
}

const Type* Checker::ValueType(const Symbol* symbol) {
  if (symbol->decl == nullptr) return symbol->type ? symbol->type : types_.Error();
  State state = states_[symbol->decl];
  // A type without a state: checked by an earlier Checker over the same Program.
  if (state == State::kDone || (state == State::kUnchecked && symbol->type != nullptr)) {
    return symbol->type ? symbol->type : types_.Error();
  }
  if (state == State::kChecking) return types_.Error();  // a cycle; ReportCycles explains it
  return CheckValueDecl(symbol);
}

const Type* Checker::CheckValueDecl(const Symbol* symbol) {
  states_[symbol->decl] = State::kChecking;
  std::string what = std::string(DeclKindName(symbol->decl->kind)) + " '" + symbol->name + "'";
  const Type* type = types_.Error();
  switch (symbol->kind) {
    case SymbolKind::kConst: {
      ContextSwap swap(*this, DeclContext(symbol, what));
      type = CheckConstOrLet(static_cast<const ast::ValueDecl&>(*symbol->decl), what);
      break;
    }
    case SymbolKind::kLet: {
      ContextSwap swap(*this, DeclContext(symbol, ""));
      type = CheckConstOrLet(static_cast<const ast::ValueDecl&>(*symbol->decl), what);
      break;
    }
    case SymbolKind::kSet: {
      ContextSwap swap(*this, DeclContext(symbol, what));
      type = CheckSet(static_cast<const ast::ValueDecl&>(*symbol->decl));
      break;
    }
    case SymbolKind::kTable: {
      ContextSwap swap(*this, DeclContext(symbol, what));
      type = CheckTable(static_cast<const ast::TableDecl&>(*symbol->decl));
      break;
    }
    case SymbolKind::kParam: {
      ContextSwap swap(*this, DeclContext(symbol, "the default of param '" + symbol->name + "'"));
      type = CheckParam(static_cast<const ast::ParamDecl&>(*symbol->decl));
      break;
    }
    default:
      break;
  }
  Mutable(symbol).type = type;
  states_[symbol->decl] = State::kDone;
  return type;
}

const Type* Checker::CheckConstOrLet(const ast::ValueDecl& decl, const std::string& what) {
  if (decl.type != nullptr) {
    const Type* declared = Resolve(decl.type, decl.name);
    CheckAs(decl.value, declared, "value of " + what);
    return declared;
  }
  return Check(decl.value);
}

const Type* Checker::CheckSet(const ast::ValueDecl& decl) {
  const Type* element = decl.type != nullptr ? Resolve(decl.type, decl.name) : nullptr;
  std::string what = "elements of set '" + decl.name + "'";
  const Type* type = element != nullptr ? CheckAs(decl.value, types_.List(element), what) : Check(decl.value);
  if (element == nullptr) {
    if (type->kind == TypeKind::kList) {
      element = type->element;
    } else {
      if (!type->IsError()) {
        Report(diag::DiagId::kTypeMismatch, decl.value->range, {"value of set '" + decl.name + "'", "a list", ToString(type)});
      }
      element = types_.Error();
    }
  }
  if (decl.value != nullptr && decl.value->kind == ast::ExprKind::kList) {
    std::map<std::string, SourceRange> seen;
    for (const ast::Expr* item : decl.value->args) {
      auto key = LiteralKey(item);
      if (!key) continue;
      auto [it, inserted] = seen.try_emplace(*key, item->range);
      if (!inserted) {
        Report(diag::DiagId::kDuplicateSetElement, item->range, {*key, decl.name})
            .notes.push_back({it->second, "it first appears here"});
      }
    }
  }
  return types_.List(element);
}

const Type* Checker::CheckTable(const ast::TableDecl& decl) {
  StructType* row = types_.NewStruct(decl.name, false, &decl);
  AddFields(row, decl.columns);
  int key_index = -1;
  if (!decl.key.empty()) {
    for (size_t i = 0; i < row->fields.size(); ++i) {
      if (row->fields[i].name == decl.key) key_index = static_cast<int>(i);
    }
    if (key_index < 0) {
      auto& d = Report(diag::DiagId::kUnknownColumn, decl.key_range, {decl.name, decl.key});
      SuggestFrom(d, decl.key, row->FieldNames());
    }
  }
  const Type* key_type = key_index >= 0 ? row->fields[key_index].type : nullptr;
  if (key_type != nullptr && key_type->kind == TypeKind::kEnum) key_type = types_.String();
  if (key_type != nullptr && !key_type->IsError() && key_type->kind != TypeKind::kString &&
      key_type->kind != TypeKind::kInt && key_type->kind != TypeKind::kUint && key_type->kind != TypeKind::kBool) {
    Report(diag::DiagId::kBadMapKey, decl.key_range, {ToString(key_type)});
    key_type = types_.Error();
  }
  std::map<std::string, SourceRange> keys;
  for (const ast::TableDecl::Row& r : decl.rows) {
    if (r.cells.size() != row->fields.size()) {
      Report(diag::DiagId::kRowArity, r.range,
             {std::to_string(r.cells.size()), decl.name, std::to_string(row->fields.size())});
      continue;
    }
    for (size_t i = 0; i < r.cells.size(); ++i) {
      CheckAs(r.cells[i], row->fields[i].type, "column '" + row->fields[i].name + "' of table '" + decl.name + "'");
    }
    if (key_index < 0) continue;
    const ast::Expr* cell = r.cells[key_index];
    auto key = LiteralKey(cell);
    if (!key) continue;
    auto [it, inserted] = keys.try_emplace(*key, cell->range);
    if (!inserted) {
      Report(diag::DiagId::kDuplicateKey, cell->range, {*key, decl.name})
          .notes.push_back({it->second, "the first row with this key is here"});
    }
  }
  const Type* row_type = types_.Struct(row);
  return key_type != nullptr ? types_.Map(key_type, row_type) : types_.List(row_type);
}

const Type* Checker::CheckParam(const ast::ParamDecl& decl) {
  const Type* type = Resolve(decl.type, decl.name);
  CheckAs(decl.default_value, type, "default of param '" + decl.name + "'");
  return type;
}

const FnSignature& Checker::Signature(const ast::FnDecl& fn) {
  auto it = program_.fns.find(&fn);
  if (it != program_.fns.end()) return it->second;
  FnSignature signature;
  auto symbol = program_.decl_symbols.find(&fn);
  Context context;
  context.pack = symbol != program_.decl_symbols.end() ? symbol->second->pack : ctx_.pack;
  {
    ContextSwap swap(*this, std::move(context));
    for (const ast::FnDecl::Param& param : fn.params) {
      signature.params.push_back(Resolve(param.type, fn.name + "." + param.name));
    }
    if (fn.result != nullptr) signature.result = Resolve(fn.result, fn.name);
  }
  if (symbol != program_.decl_symbols.end() && signature.result != nullptr) {
    Mutable(symbol->second).type = signature.result;
  }
  return program_.fns[&fn] = std::move(signature);
}

const Type* Checker::CheckFnBody(const ast::FnDecl& fn) {
  const FnSignature& signature = Signature(fn);
  State& state = states_[&fn];
  bool checked_before = state == State::kUnchecked && program_.exprs.count(fn.body) > 0;
  if (state == State::kDone || checked_before) return signature.result ? signature.result : types_.Error();
  if (state == State::kChecking) return types_.Error();  // recursion; ReportCycles explains it
  state = State::kChecking;
  const Symbol* symbol = program_.decl_symbols.at(&fn);
  Context context = DeclContext(symbol, "");
  for (size_t i = 0; i < fn.params.size(); ++i) {
    Local local;
    local.name = fn.params[i].name;
    local.type = signature.params[i];
    local.ref.kind = Reference::Kind::kFnParam;
    local.ref.fn = &fn;
    local.ref.index = static_cast<uint32_t>(i);
    context.locals.push_back(local);
  }
  const Type* result = nullptr;
  {
    ContextSwap swap(*this, std::move(context));
    result = fn.result != nullptr ? CheckAs(fn.body, signature.result, "result of function '" + fn.name + "'")
                                  : Check(fn.body);
    for (size_t i = 0; i < fn.params.size(); ++i) {
      if (!ctx_.locals[i].used) Report(diag::DiagId::kUnusedFnParam, fn.params[i].name_range, {fn.params[i].name, fn.name});
    }
  }
  FnSignature& stored = program_.fns[&fn];
  if (stored.result == nullptr) {
    stored.result = result;
    Mutable(symbol).type = result;
  }
  states_[&fn] = State::kDone;
  return stored.result;
}

void Checker::CheckManifest(const Pack& pack) {
  if (pack.manifest == nullptr) return;
  struct Key {
    const char* name;
    const Type* type;
  };
  const Key keys[] = {
      {"title", types_.String()},   {"description", types_.String()},          {"license", types_.String()},
      {"homepage", types_.String()}, {"authors", types_.List(types_.String())}, {"taxonomies", types_.List(types_.String())},
      {"schema", types_.String()},
  };
  std::vector<std::string> names;
  for (const Key& key : keys) names.push_back(key.name);
  std::map<std::string, SourceRange> seen;
  std::set<std::string> suggested;  // a misspelt `titel:` is one mistake, not also a missing title
  for (const ast::Entry& entry : pack.manifest->entries) {
    const Key* key = nullptr;
    for (const Key& k : keys) {
      if (entry.key == k.name) key = &k;
    }
    if (key == nullptr) {
      auto& d = Report(diag::DiagId::kUnknownManifestKey, entry.key_range, {entry.key});
      SuggestFrom(d, entry.key, names);
      if (auto match = diag::ClosestMatch(entry.key, names)) suggested.insert(*match);
      continue;
    }
    auto [it, inserted] = seen.try_emplace(entry.key, entry.key_range);
    if (!inserted) {
      Report(diag::DiagId::kDuplicateEntry, entry.key_range, {entry.key})
          .notes.push_back({it->second, "it is first given here"});
      continue;
    }
    ctx_.constant = "manifest entry '" + entry.key + "'";
    CheckAs(entry.value, key->type, "manifest entry '" + entry.key + "'");
    ctx_.constant.clear();
  }
  if (seen.count("title") == 0 && suggested.count("title") == 0) {
    Report(diag::DiagId::kMissingEntry, pack.manifest->name_range, {"pack '" + pack.name + "'", "title"});
  }
}

}  // namespace edict::sema
