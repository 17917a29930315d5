// Declared types: record kinds, structs and aliases, and the type expressions written in
// declarations (`list<dt>`, `enum("a", "b")`, `{ cls: string? }`).
#include "compiler/sema/checker.h"

namespace edict::sema {
namespace {

bool IsValidMapKey(const Type* key) {
  switch (key->kind) {
    case TypeKind::kInt: case TypeKind::kUint: case TypeKind::kBool: case TypeKind::kString:
    case TypeKind::kEnum: case TypeKind::kDyn: case TypeKind::kError:
      return true;
    default:
      return false;
  }
}

}  // namespace

void Checker::ResolveTypeDecls() {
  for (const auto& pack : program_.packs) {
    ctx_.pack = pack.get();
    for (const auto& [name, symbol] : program_.scopes[pack.get()]) {
      if (symbol->pack == pack.get() &&
          (symbol->kind == SymbolKind::kRecord || symbol->kind == SymbolKind::kStruct ||
           symbol->kind == SymbolKind::kTypeAlias)) {
        TypeOfTypeDecl(symbol);
      }
    }
  }
  ctx_.pack = nullptr;
}

const Type* Checker::TypeOfTypeDecl(const Symbol* symbol) {
  State& state = states_[symbol->decl];
  if (state == State::kDone) return symbol->type;
  // A struct's type exists while its fields resolve, so a field may refer back to it
  // (`parent: node?`); only an alias or a base can form a real cycle.
  if (state == State::kChecking && symbol->type != nullptr) return symbol->type;
  if (state == State::kChecking) {
    Report(diag::DiagId::kRecursiveType, symbol->range, {symbol->name});
    return types_.Error();
  }
  state = State::kChecking;
  Context context;
  context.pack = symbol->pack;
  ContextSwap swap(*this, std::move(context));
  if (symbol->kind == SymbolKind::kTypeAlias) {
    const auto* alias = static_cast<const ast::TypeAliasDecl*>(symbol->decl);
    Mutable(symbol).type = Resolve(alias->type, symbol->name);
  } else {
    StructType* structure = types_.NewStruct(symbol->name, symbol->kind == SymbolKind::kRecord, symbol->decl);
    structs_[symbol->decl] = structure;
    Mutable(symbol).type = types_.Struct(structure);
    FillStruct(symbol, structure);
  }
  states_[symbol->decl] = State::kDone;
  return symbol->type;
}

void Checker::FillStruct(const Symbol* symbol, StructType* structure) {
  const auto* decl = static_cast<const ast::RecordDecl*>(symbol->decl);
  if (!decl->base.empty()) {
    const Symbol* base = Lookup(decl->base);
    if (base == nullptr || (base->kind != SymbolKind::kRecord && base->kind != SymbolKind::kStruct)) {
      auto& d = Report(diag::DiagId::kUnknownType, decl->base_range, {decl->base});
      SuggestFrom(d, decl->base, VisibleNames([](const Symbol& s) {
                    return s.kind == SymbolKind::kRecord || s.kind == SymbolKind::kStruct;
                  }));
    } else if (states_[base->decl] == State::kChecking) {
      Report(diag::DiagId::kRecursiveType, decl->base_range, {symbol->name});
    } else {
      const Type* base_type = TypeOfTypeDecl(base);
      if (base_type->kind == TypeKind::kStruct) structure->fields = base_type->structure->fields;
    }
  }
  AddFields(structure, decl->fields);
}

void Checker::AddFields(StructType* structure, const std::vector<ast::FieldDecl*>& fields) {
  for (const ast::FieldDecl* field : fields) {
    if (field == nullptr) continue;
    if (const Field* existing = structure->Find(field->name)) {
      auto& d = Report(diag::DiagId::kDuplicateField, field->name_range, {field->name, structure->name});
      if (existing->decl) d.notes.push_back({existing->decl->name_range, "the first declaration is here"});
      continue;
    }
    Field f;
    f.name = field->name;
    f.type = Resolve(field->type, structure->name + "." + field->name);
    f.optional = field->type != nullptr && field->type->optional;
    f.decl = field;
    structure->fields.push_back(f);
    if (field->default_value != nullptr) field_defaults_.push_back({field, f.type, ctx_.pack});
  }
}

StructType* Checker::InlineStruct(const std::vector<ast::FieldDecl*>& fields, const std::string& name) {
  StructType* structure = types_.NewStruct(name, false, nullptr);
  AddFields(structure, fields);
  return structure;
}

const Type* Checker::Resolve(const ast::TypeExpr* type, const std::string& owner) {
  if (type == nullptr) return types_.Error();
  switch (type->kind) {
    case ast::TypeKind::kEnum:
      return types_.Enum(types_.NewEnum(type->values));
    case ast::TypeKind::kStruct:
      return types_.Struct(InlineStruct(type->fields, owner));
    case ast::TypeKind::kGeneric: {
      size_t wanted = type->name == "list" ? 1 : type->name == "map" ? 2 : 0;
      if (wanted == 0) {
        if (types_.Builtin(type->name) != nullptr || Lookup(type->name) != nullptr) {
          Report(diag::DiagId::kTypeArgumentCount, type->range, {type->name, "0", std::to_string(type->args.size())});
        } else {
          auto& d = Report(diag::DiagId::kUnknownType, type->range, {type->name});
          SuggestFrom(d, type->name, {"list", "map"});
        }
        return types_.Error();
      }
      if (type->args.size() != wanted) {
        Report(diag::DiagId::kTypeArgumentCount, type->range,
               {type->name, std::to_string(wanted), std::to_string(type->args.size())});
        return types_.Error();
      }
      std::vector<const Type*> args;
      for (const ast::TypeExpr* arg : type->args) args.push_back(Resolve(arg, owner));
      if (wanted == 1) return types_.List(args[0]);
      if (!IsValidMapKey(args[0])) {
        Report(diag::DiagId::kBadMapKey, type->args[0]->range, {ToString(args[0])});
        return types_.Error();
      }
      return types_.Map(args[0], args[1]);
    }
    case ast::TypeKind::kNamed:
      break;
  }
  if (const Type* builtin = types_.Builtin(type->name)) return builtin;
  if (type->name == "list" || type->name == "map") {
    Report(diag::DiagId::kTypeArgumentCount, type->range, {type->name, type->name == "list" ? "1" : "2", "0"});
    return types_.Error();
  }
  const Symbol* symbol = Lookup(type->name);
  if (symbol != nullptr && (symbol->kind == SymbolKind::kRecord || symbol->kind == SymbolKind::kStruct ||
                            symbol->kind == SymbolKind::kTypeAlias)) {
    return TypeOfTypeDecl(symbol);
  }
  auto& d = Report(diag::DiagId::kUnknownType, type->range, {type->name});
  if (symbol != nullptr) {
    d.help = "'" + type->name + "' is a " + (symbol->decl ? DeclKindName(symbol->decl->kind) : "header field") +
             ", not a type";
    return types_.Error();
  }
  std::vector<std::string> candidates = TypeContext::BuiltinNames();
  for (const std::string& name : VisibleNames([](const Symbol& s) {
         return s.kind == SymbolKind::kRecord || s.kind == SymbolKind::kStruct || s.kind == SymbolKind::kTypeAlias;
       })) {
    candidates.push_back(name);
  }
  SuggestFrom(d, type->name, candidates);
  return types_.Error();
}

}  // namespace edict::sema
