// Record declarations → facts::Schema: each sema type becomes the loader's type, with `dt` fields
// as data-type ids and field defaults in the JSON form a producer would write.
#include "compiler/plan/schema_builder.h"

namespace edict::plan {
namespace {

// The schema's JSON Lines format, from the manifest entry `schema: "appfacts/1"` of the pack that
// declares the header; appfacts/1 when none says.
std::pair<std::string, int> SchemaFormat(const sema::Program& program) {
  for (const auto& pack : program.packs) {
    if (pack->manifest == nullptr) continue;
    for (const ast::Entry& entry : pack->manifest->entries) {
      const ast::Expr* value = entry.value;
      if (entry.key != "schema" || value == nullptr || value->kind != ast::ExprKind::kLiteral ||
          value->literal.kind != ast::LiteralKind::kString) {
        continue;
      }
      const std::string& text = value->literal.text;
      size_t slash = text.rfind('/');
      if (slash == std::string::npos || slash + 1 >= text.size()) continue;
      int major = 0;
      for (size_t i = slash + 1; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
        major = major * 10 + (text[i] - '0');
      }
      return {text.substr(0, slash), major};
    }
  }
  return {"appfacts", 1};
}

class Builder {
 public:
  Builder(facts::Schema& schema, diag::DiagnosticEngine& diags) : schema_(schema), diags_(diags) {}

  facts::TypeId StructBody(const sema::StructType& structure, const std::string& kind) {
    auto memo = structs_.find(&structure);
    if (memo != structs_.end()) return memo->second;
    std::vector<facts::FieldDecl> fields;
    for (const sema::Field& field : structure.fields) {
      facts::FieldDecl out;
      out.name = field.name;
      const ast::TypeExpr* written = field.decl != nullptr ? field.decl->type : nullptr;
      out.type = Convert(field.type, written, field, kind);
      bool has_default = field.decl != nullptr && field.decl->default_value != nullptr;
      out.optional = field.optional || has_default;
      if (has_default) out.default_value = Default(*field.decl, field.type);
      fields.push_back(std::move(out));
    }
    facts::TypeId id = schema_.Struct(std::move(fields));
    structs_[&structure] = id;
    return id;
  }

  bool ok() const { return ok_; }

 private:
  facts::TypeId Convert(const sema::Type* type, const ast::TypeExpr* written, const sema::Field& field,
                        const std::string& kind) {
    if (written != nullptr && written->kind == ast::TypeKind::kNamed && written->name == kDataTypeAlias) {
      return schema_.DataType();
    }
    switch (type->kind) {
      case sema::TypeKind::kString: return schema_.String();
      case sema::TypeKind::kEnum: return schema_.Enum(type->enumeration->values);
      // No uint: appfacts numbers are int or num (a JSON number above int64 has no column).
      case sema::TypeKind::kInt: return schema_.Int();
      case sema::TypeKind::kDouble: return schema_.Num();
      case sema::TypeKind::kBool: return schema_.Bool();
      case sema::TypeKind::kDuration: return schema_.Duration();
      case sema::TypeKind::kTimestamp: return schema_.Timestamp();
      case sema::TypeKind::kList: {
        const ast::TypeExpr* element =
            written != nullptr && written->kind == ast::TypeKind::kGeneric && written->args.size() == 1
                ? written->args[0]
                : nullptr;
        return schema_.List(Convert(type->element, element, field, kind));
      }
      case sema::TypeKind::kStruct: return StructBody(*type->structure, kind);
      default: break;
    }
    diag::SourceRange range = field.decl != nullptr ? field.decl->range : diag::SourceRange{};
    diags_.Report(diag::DiagId::kPlanFieldType, range, {field.name, kind, sema::ToString(type)});
    ok_ = false;
    return schema_.String();
  }

  facts::DefaultValue Default(const ast::FieldDecl& decl, const sema::Type* type) {
    const ast::Expr* value = decl.default_value;
    if (value->kind == ast::ExprKind::kLiteral) {
      const ast::Literal& literal = value->literal;
      switch (literal.kind) {
        case ast::LiteralKind::kInt: return literal.int_value;
        case ast::LiteralKind::kUint: return static_cast<int64_t>(literal.uint_value);
        case ast::LiteralKind::kDouble: return literal.double_value;
        case ast::LiteralKind::kBool: return literal.bool_value;
        case ast::LiteralKind::kString: return literal.text;
        case ast::LiteralKind::kDuration: return literal.int_value / 1'000'000;  // producers write ms
        default: break;
      }
    }
    diags_.Report(diag::DiagId::kPlanBadDefault, value->range, {decl.name});
    ok_ = false;
    return int64_t{0};
  }

  facts::Schema& schema_;
  diag::DiagnosticEngine& diags_;
  std::map<const sema::StructType*, facts::TypeId> structs_;
  bool ok_ = true;
};

}  // namespace

SchemaBinding BuildSchema(const sema::Program& program, std::vector<std::string> data_types,
                          diag::DiagnosticEngine& diags) {
  auto [format, major] = SchemaFormat(program);
  SchemaBinding binding;
  auto schema = std::make_unique<facts::Schema>(format, major);
  Builder builder(*schema, diags);
  diag::SourceRange first_record;
  std::map<std::string, diag::SourceRange> declared;  // "record kind 'x'" and "header" → where
  for (const sema::Symbol& symbol : program.symbols) {
    if (symbol.kind != sema::SymbolKind::kRecord || symbol.type == nullptr ||
        symbol.type->kind != sema::TypeKind::kStruct) {
      continue;
    }
    const sema::StructType* structure = symbol.type->structure;
    if (!first_record.valid()) first_record = symbol.range;
    declared.emplace(structure == program.header ? "header" : "record kind '" + symbol.name + "'", symbol.range);
    if (structure == program.header) {
      schema->SetHeader(builder.StructBody(*structure, symbol.name));
    } else if (binding.kinds.count(structure) == 0) {
      binding.kinds[structure] = schema->AddKind(symbol.name, builder.StructBody(*structure, symbol.name));
    }
  }
  schema->SetDataTypes(std::move(data_types));
  std::vector<std::string> problems = schema->Finalize();
  // Finalize's problems name the kind ("record kind 'x': ...") or the header; point there.
  for (const std::string& problem : problems) {
    diag::SourceRange at = first_record;
    for (const auto& [prefix, range] : declared) {
      if (problem.find(prefix) != std::string::npos) at = range;
    }
    diags.Report(diag::DiagId::kPlanBadSchema, at, {problem});
  }
  if (builder.ok() && problems.empty()) binding.schema = std::move(schema);
  return binding;
}

}  // namespace edict::plan
