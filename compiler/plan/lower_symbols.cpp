// Lowering declared names: consts, sets and tables become constants; parameters become the
// constants of the chosen profile and overrides; lets become session slots; header fields are
// column reads on the header row.
#include <algorithm>

#include "compiler/plan/lowerer.h"
#include "compiler/sema/check.h"

namespace edict::plan {

value::Value Lowerer::FoldExpr(const ast::Expr* expr) {
  Frame scratch;
  Frame* saved_frame = frame_;
  bool saved_group = in_group_;
  std::map<EnvKey, Lowered> saved_env;
  saved_env.swap(env_);
  frame_ = &scratch;
  in_group_ = false;
  CodeBuilder::Mark mark = builder_.mark();
  Lowered lowered = Lower(expr);
  ExprId node = Value(lowered);
  value::Value result = code_.node(node).op == Op::kConst ? code_.constants[code_.node(node).a]
                                                          : evaluator_.Evaluate(code_, node, scratch.size());
  builder_.Truncate(mark);
  env_.swap(saved_env);
  frame_ = saved_frame;
  in_group_ = saved_group;
  return result;
}

Lowered Lowerer::SymbolConstant(const sema::Symbol& symbol) {
  if (symbol.kind == sema::SymbolKind::kParam) {
    auto param = params_.find(&symbol);
    if (param == params_.end()) return Unsupported("parameter '" + symbol.name + "' here", symbol.range);
    NoteParam(param->second);
    ExprId node = builder_.Const(plan_->params[param->second].value);
    code_.constant_names[code_.node(node).a] = symbol.name;
    return ValueOf(node, {});
  }
  ExprId node = builder_.Const(ConstantValue(symbol));
  if (symbol.kind != sema::SymbolKind::kConst) code_.constant_names[code_.node(node).a] = symbol.name;
  return ValueOf(node, {});
}

value::Value Lowerer::ConstantValue(const sema::Symbol& symbol) {
  auto memo = constants_.find(&symbol);
  if (memo != constants_.end()) return memo->second;
  if (!in_progress_.insert(&symbol).second) {
    Unsupported("'" + symbol.name + "' defined by itself", symbol.range);
    return value::Value::Error(value::ErrorCode::kInvalidArgument, "'" + symbol.name + "' is defined by itself");
  }
  value::Value result;
  if (symbol.kind == sema::SymbolKind::kTable) {
    // A table is a map from its key column to rows, or a list of rows; a row is a map of its cells.
    const auto& table = static_cast<const ast::TableDecl&>(*symbol.decl);
    Frame scratch;
    Frame* saved_frame = frame_;
    frame_ = &scratch;
    CodeBuilder::Mark mark = builder_.mark();
    std::vector<ExprId> outer;
    for (const ast::TableDecl::Row& row : table.rows) {
      std::vector<ExprId> cells;
      ExprId key = kNone;
      for (size_t i = 0; i < row.cells.size() && i < table.columns.size(); ++i) {
        Deps ignored;
        ExprId cell = LowerValue(row.cells[i], ignored);
        if (table.columns[i]->name == table.key) key = cell;
        cells.push_back(builder_.Const(value::Value::String(table.columns[i]->name)));
        cells.push_back(cell);
      }
      if (!table.key.empty()) outer.push_back(key == kNone ? builder_.Const(value::Value::Null()) : key);
      outer.push_back(builder_.Emit(Op::kMap, cells));
    }
    ExprId whole = builder_.Emit(table.key.empty() ? Op::kList : Op::kMap, outer);
    result = evaluator_.Evaluate(code_, whole, scratch.size());
    builder_.Truncate(mark);
    frame_ = saved_frame;
  } else {
    result = FoldExpr(static_cast<const ast::ValueDecl&>(*symbol.decl).value);
  }
  in_progress_.erase(&symbol);
  constants_[&symbol] = result;
  return result;
}

Lowered Lowerer::LetValue(const sema::Symbol& symbol) {
  if (plan_ == nullptr) return Unsupported("'" + symbol.name + "' in a standalone expression", symbol.range);
  auto slot = let_slots_.find(&symbol);
  if (slot == let_slots_.end() && constants_.count(&symbol) == 0) {
    if (!in_progress_.insert(&symbol).second) return Unsupported("'" + symbol.name + "' defined by itself", symbol.range);
    Frame let_frame;
    Frame* saved_frame = frame_;
    RulePlan* saved_rule = rule_;
    bool saved_group = in_group_;
    std::set<uint32_t>* saved_params = params_used_;
    std::map<EnvKey, Lowered> saved_env;
    saved_env.swap(env_);
    frame_ = &let_frame;
    rule_ = nullptr;
    in_group_ = false;
    params_used_ = &let_params_[&symbol];
    ExprId node = Value(Lower(static_cast<const ast::ValueDecl&>(*symbol.decl).value));
    in_progress_.erase(&symbol);
    env_.swap(saved_env);
    frame_ = saved_frame;
    rule_ = saved_rule;
    in_group_ = saved_group;
    params_used_ = saved_params;
    const Node& lowered = code_.node(node);
    if (lowered.op == Op::kConst) {
      constants_[&symbol] = code_.constants[lowered.a];
    } else if (lowered.op == Op::kSlot) {
      // The let is a session value already (an aggregate): it names that slot.
      plan_->slots[lowered.a].name = symbol.name;
      slot = let_slots_.emplace(&symbol, lowered.a).first;
    } else {
      SessionSlot session_slot;
      session_slot.name = symbol.name;
      session_slot.expr = node;
      session_slot.frame_size = let_frame.size();
      session_slot.register_names = let_frame.names;
      plan_->slots.push_back(std::move(session_slot));
      slot = let_slots_.emplace(&symbol, static_cast<uint32_t>(plan_->slots.size() - 1)).first;
    }
  }
  for (uint32_t param : let_params_[&symbol]) NoteParam(param);
  if (slot == let_slots_.end()) return ValueOf(builder_.Const(constants_[&symbol]), {});
  Lowered result = ValueOf(builder_.Emit(Op::kSlot, {}, slot->second), {});
  result.deps.session = true;
  return result;
}

Lowered Lowerer::HeaderField(const sema::Symbol& symbol) {
  if (plan_ == nullptr || plan_->schema == nullptr) {
    return Unsupported("the header field '" + symbol.name + "' here", symbol.range);
  }
  Lowered header;
  header.kind = Lowered::Kind::kRecord;
  header.reg = kHeaderRegister;
  header.layout = plan_->schema->header_layout();
  header.type = plan_->schema->header_type();
  header.deps.session = true;
  return SelectField(header, symbol.name, false, symbol.range);
}

const ast::Expr* Lowerer::OverrideExpr(const ParamOverride& override, const sema::Symbol& param,
                                       diag::SourceManager& sources) {
  const ast::Expr* expr = override.expr;
  const sema::Type* type = expr != nullptr ? program_.TypeOf(expr) : nullptr;
  if (expr == nullptr) {
    diag::FileId file = sources.Add("--param " + override.name, override.text);
    arenas_.push_back(std::make_unique<ast::AstArena>());
    size_t errors = diags_.error_count();
    ast::Expr* parsed = syntax::ParseExpression(sources, file, *arenas_.back(), diags_);
    if (parsed == nullptr || diags_.error_count() > errors) {
      failed_ = true;
      return nullptr;
    }
    type = sema::CheckExpression(program_, parsed, {}, sources, diags_);
    if (diags_.error_count() > errors) {
      failed_ = true;
      return nullptr;
    }
    expr = parsed;
  }
  if (type == nullptr) {
    Report(diag::DiagId::kPlanUnsupported, expr->range, {"a parameter value the checker has not typed"});
    return nullptr;
  }
  if (!sema::IsAssignable(param.type, type)) {
    Report(diag::DiagId::kTypeMismatch, expr->range,
           {"value of parameter '" + param.name + "'", sema::ToString(param.type), sema::ToString(type)});
    return nullptr;
  }
  return expr;
}

bool Lowerer::LowerParams(const LowerOptions& options, diag::SourceManager& sources) {
  std::vector<const sema::ProfileInfo*> profiles;
  std::vector<std::string> profile_names = {"baseline"};
  for (const sema::ProfileInfo& profile : program_.profiles) {
    if (profile.decl->name == options.profile) profiles.push_back(&profile);
    if (std::find(profile_names.begin(), profile_names.end(), profile.decl->name) == profile_names.end()) {
      profile_names.push_back(profile.decl->name);
    }
  }
  if (profiles.empty() && options.profile != "baseline") {
    std::string list;
    for (const std::string& name : profile_names) list += (list.empty() ? "" : ", ") + name;
    auto& d = Report(diag::DiagId::kUnknownProfile, {}, {options.profile});
    auto match = diag::ClosestMatch(options.profile, profile_names);
    d.help = match ? "did you mean '" + *match + "'?" : "the packs declare: " + list;
    return false;
  }
  plan_->profile = options.profile;

  std::vector<const sema::Symbol*> params;
  for (const sema::Symbol& symbol : program_.symbols) {
    if (symbol.kind == sema::SymbolKind::kParam && symbol.decl != nullptr) params.push_back(&symbol);
  }
  std::map<const sema::Symbol*, const ast::Expr*> values;
  for (const sema::Symbol* param : params) {
    const ast::Expr* value = static_cast<const ast::ParamDecl&>(*param->decl).default_value;
    for (const sema::ProfileInfo* profile : profiles) {
      auto it = profile->values.find(param->name);
      if (it != profile->values.end()) value = it->second;
    }
    values[param] = value;
  }
  std::vector<std::string> names;
  for (const sema::Symbol* param : params) names.push_back(param->name);
  for (const ParamOverride& override : options.overrides) {
    auto it = std::find_if(params.begin(), params.end(), [&](const sema::Symbol* p) { return p->name == override.name; });
    if (it == params.end()) {
      auto& d = Report(diag::DiagId::kUnknownParam, {}, {override.name});
      if (auto match = diag::ClosestMatch(override.name, names)) d.help = "did you mean '" + *match + "'?";
      continue;
    }
    if (const ast::Expr* expr = OverrideExpr(override, **it, sources)) values[*it] = expr;
  }
  if (failed_) return false;
  for (const sema::Symbol* param : params) {
    Param out;
    out.name = param->name;
    out.pack = param->pack != nullptr ? param->pack->name : "";
    out.value = FoldExpr(values[param]);
    params_[param] = static_cast<uint32_t>(plan_->params.size());
    plan_->params.push_back(std::move(out));
  }
  return !failed_;
}

}  // namespace edict::plan
