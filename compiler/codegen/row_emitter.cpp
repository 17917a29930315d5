// A rule's row after its first scan's filters, step for step as the driver runs it: an element
// scan's level evaluates its range once (a copy, as LevelElements holds one, unless the value stays
// put: ExprEmitter::StaysPut), takes one budget step per element (Descend), folds the element's
// residual conjuncts into a copy of the level's pending value (false skips the element), and goes
// on to the next level; a range that cannot be bound goes to the sink with its error, as does an
// absent list column. An indexed record scan's level is started by the driver, which hands out its
// rows slice by slice (interp::BeginNativeLevel); per row as LevelIndexed and Descend go.
#include "compiler/codegen/row_emitter.h"

#include "compiler/codegen/conjunct_emitter.h"

namespace edict::codegen {

namespace {

// interp::LevelVisit, field by field (runtime/jit/abi.cpp checks the offsets).
constexpr unsigned kVisitRows = 0;
constexpr unsigned kVisitFirst = 8;
constexpr unsigned kVisitLast = 16;
constexpr unsigned kVisitErred = 24;
constexpr unsigned kVisitTable = 32;
constexpr unsigned kVisitComparisons = 40;
constexpr unsigned kVisitWords = 12;  // 96 bytes, at least its size
// interp::LevelStart.
constexpr uint32_t kLevelStop = 0;
constexpr uint32_t kLevelRows = 2;

class RowEmitter {
 public:
  RowEmitter(ExprEmitter& emitter, const plan::Code& code, const plan::Query& query, const RowContext& row)
      : e_(emitter), b_(emitter.builder()), code_(code), query_(query), row_(row) {}

  // Machine::Residual with no bounds valid (`bounds_valid` false): a conjunct a bound stands for
  // is decided only when every bound it gave was valid, so only one no bound names is skipped;
  // with every bound valid, each one a bound stands for is.
  void Residual(const plan::Scan& scan, llvm::Value* pending, llvm::BasicBlock* rejected, bool& stepped,
                bool bounds_valid = false) {
    for (size_t i = 0; i < scan.residual.size(); ++i) {
      if (bounds_valid ? scan.residual_bound[i] != plan::kNone : Skipped(scan, i)) continue;
      plan::ExprId id = scan.residual[i];
      BeginRoot(id);
      EmitConjunct(e_, id, row_.frame, row_.machine, row_.steps, row_.budget, stepped, pending, rejected);
      EndRoot(id, stepped);
    }
  }

  // Level k with `pending` (read only: a level copies it per element before folding into it).
  void Level(size_t k, llvm::Value* pending, bool stepped) {
    if (k == query_.scans.size() ||
        (query_.scans[k].source == plan::Scan::Source::kRecords && !RecordsLoopedNatively(query_.scans[k]))) {
      Driver(static_cast<uint32_t>(k), pending);
      return;
    }
    const plan::Scan& scan = query_.scans[k];
    llvm::BasicBlock* done = e_.NewBlock("level.done");
    if (scan.source == plan::Scan::Source::kRecords) {
      IndexedRecords(k, scan, pending, done);
    } else if (scan.source == plan::Scan::Source::kColumn) {
      ColumnElements(k, scan, pending, done);
    } else {
      ListElements(k, scan, pending, stepped, done);
    }
    b_.SetInsertPoint(done);
  }

 private:
  static bool Skipped(const plan::Scan& scan, size_t i) {
    if (scan.residual_bound[i] == plan::kNone) return false;
    for (const plan::Bound& bound : scan.bounds) {
      if (bound.conjunct == i) return false;
    }
    return true;
  }

  // A root as Machine::Eval evaluates it: in the rule's frame, the budget error once it ran out.
  llvm::Value* Root(plan::ExprId id, bool& stepped) {
    BeginRoot(id);
    llvm::Value* value = EmitRoot(e_, id, row_.frame, row_.machine, row_.steps, row_.budget, stepped);
    EndRoot(id, stepped);
    return value;
  }
  void BeginRoot(plan::ExprId id) {
    if (MayStep(code_, id, true)) e_.Call(Helper::k_set_frame, {row_.machine, row_.rule_frame});
  }
  void EndRoot(plan::ExprId id, bool& stepped) { stepped = stepped || MayStep(code_, id, false); }

  // `pending` as the driver takes it: null when it holds nothing.
  llvm::Value* Carried(llvm::Value* pending) {
    llvm::Value* has = b_.CreateICmpNE(e_.KindOf(pending), llvm::ConstantInt::get(e_.context().i8(), 0));
    return b_.CreateSelect(has, pending, llvm::ConstantPointerNull::get(e_.context().ptr()));
  }

  // The driver's Level(k) (the sink when k is past the last scan); false ends the row.
  void Driver(uint32_t k, llvm::Value* pending) {
    llvm::LLVMContext& context = e_.context().context();
    llvm::PointerType* ptr = e_.context().ptr();
    auto* type = llvm::FunctionType::get(llvm::Type::getInt8Ty(context), {ptr, e_.context().i32(), e_.context().i32(), ptr},
                                         false);
    llvm::Value* more = b_.CreateCall(type, row_.resume, {row_.run, e_.I32(row_.rule), e_.I32(k), Carried(pending)});
    llvm::BasicBlock* on = e_.NewBlock("level.on");
    b_.CreateCondBr(b_.CreateICmpNE(more, llvm::ConstantInt::get(e_.context().i8(), 0)), on, row_.stop);
    b_.SetInsertPoint(on);
  }

  // LevelElements' way out for a range that cannot be bound: the sink, with its error.
  void Unbound(llvm::Value* pending, llvm::Value* error, llvm::BasicBlock* done) {
    llvm::Value* carried = e_.NewSlot();
    e_.Assign(carried, pending);
    e_.Call(Helper::k_binding_pending, {carried, error});
    Driver(static_cast<uint32_t>(query_.scans.size()), carried);
    b_.CreateBr(done);
  }

  // LevelIndexed: the driver starts the level (`level_begin`) and hands out the index's slices;
  // per row, in its order, one comparison, the cursor, then Descend with the row's error folded
  // in and the residual conjuncts no bound decides.
  void IndexedRecords(size_t k, const plan::Scan& scan, llvm::Value* pending, llvm::BasicBlock* done) {
    llvm::Type* i64 = e_.context().i64();
    llvm::PointerType* ptr = e_.context().ptr();
    llvm::Value* visit = e_.entry().CreateAlloca(llvm::ArrayType::get(i64, kVisitWords));
    llvm::AllocaInst* at = e_.entry().CreateAlloca(i64);
    llvm::Value* key = e_.NewSlot();
    auto field = [&](llvm::Type* type, unsigned offset) {
      return b_.CreateLoad(type, b_.CreateConstInBoundsGEP1_64(e_.context().i8(), visit, offset));
    };
    llvm::Value* begun = e_.Call(Helper::k_level_begin,
                                 {row_.run, e_.I32(row_.rule), e_.I32(static_cast<uint32_t>(k)), Carried(pending), visit, key});
    llvm::BasicBlock* rows_begun = e_.NewBlock("records.begun");
    llvm::BasicBlock* no_rows = e_.NewBlock("records.none");
    b_.CreateCondBr(b_.CreateICmpEQ(begun, e_.I32(kLevelRows)), rows_begun, no_rows);
    b_.SetInsertPoint(no_rows);
    b_.CreateCondBr(b_.CreateICmpEQ(begun, e_.I32(kLevelStop)), row_.stop, done);

    b_.SetInsertPoint(rows_begun);
    llvm::Value* table = field(ptr, kVisitTable);
    llvm::Value* comparisons = field(ptr, kVisitComparisons);
    llvm::BasicBlock* slice = e_.NewBlock("records.slice");
    llvm::BasicBlock* next_slice = e_.NewBlock("records.next_slice");
    llvm::BasicBlock* test = e_.NewBlock("records.test");
    llvm::BasicBlock* body = e_.NewBlock("records.row");
    llvm::BasicBlock* latch = e_.NewBlock("records.next");
    b_.CreateBr(slice);
    b_.SetInsertPoint(next_slice);
    llvm::Value* another = e_.Call(Helper::k_level_slice, {row_.machine, visit, key});
    b_.CreateCondBr(b_.CreateICmpEQ(another, e_.I32(0)), done, slice);
    b_.SetInsertPoint(slice);
    llvm::Value* rows = field(ptr, kVisitRows);
    llvm::Value* last = field(i64, kVisitLast);
    llvm::Value* erred = b_.CreateICmpNE(field(e_.context().i32(), kVisitErred), e_.I32(0));
    b_.CreateStore(field(i64, kVisitFirst), at);
    b_.CreateBr(test);
    b_.SetInsertPoint(test);
    llvm::Value* i = b_.CreateLoad(i64, at);
    b_.CreateCondBr(b_.CreateICmpULT(i, last), body, next_slice);

    b_.SetInsertPoint(body);
    e_.EnterLoop();
    llvm::Value* row = b_.CreateLoad(e_.context().i32(), b_.CreateInBoundsGEP(e_.context().i32(), rows, i));
    b_.CreateStore(b_.CreateAdd(b_.CreateLoad(i64, comparisons), e_.I64(1)), comparisons);
    e_.PointCursor(row_.frame, scan.reg, table, row);
    Step();
    llvm::Value* carried = e_.NewSlot();
    e_.Assign(carried, pending);
    llvm::BasicBlock* row_erred = e_.NewColdBlock("records.row_error");
    llvm::BasicBlock* residuals = e_.NewBlock("records.residuals");
    b_.CreateCondBr(erred, row_erred, residuals);
    b_.SetInsertPoint(row_erred);
    e_.Call(Helper::k_level_row_error, {visit, row, carried});
    b_.CreateBr(residuals);
    b_.SetInsertPoint(residuals);
    e_.SetKnownRow(row_.frame, scan.reg, row);
    bool stepped = false;
    // As a root's own function evaluates them: the pass loop's inline int compares and memo hits
    // would leave these conjuncts' strings to the overload table, and add IR for every such scan.
    // (The pass loop is emitted hot: pass_emitter.cpp.)
    e_.set_hot(false);
    Residual(scan, carried, latch, stepped, true);
    e_.set_hot(true);
    Level(k + 1, carried, stepped);
    b_.CreateBr(latch);
    e_.LeaveLoop();
    b_.SetInsertPoint(latch);
    b_.CreateStore(b_.CreateAdd(i, e_.I64(1)), at);
    b_.CreateBr(test);
  }

  // Descend's step: the row is over once the budget is exceeded.
  void Step() {
    llvm::Value* step = b_.CreateAdd(b_.CreateLoad(e_.context().i64(), row_.steps), e_.I64(1));
    b_.CreateStore(step, row_.steps);
    llvm::BasicBlock* within = e_.NewBlock("element.step");
    b_.CreateCondBr(b_.CreateICmpUGT(step, row_.budget), row_.stop, within);
    b_.SetInsertPoint(within);
  }

  // Descend at level k: one step, the residuals into a copy of `pending`, the next level; the
  // insertion point is then where the element is done.
  void Descend(size_t k, llvm::Value* pending, llvm::BasicBlock* next_element) {
    Step();
    const plan::Scan& scan = query_.scans[k];
    bool has_residual = false;
    for (size_t i = 0; i < scan.residual.size(); ++i) has_residual = has_residual || !Skipped(scan, i);
    llvm::Value* carried = pending;
    if (has_residual) {
      carried = e_.NewSlot();
      e_.Assign(carried, pending);
    }
    // The step just taken was within the budget: nothing has stepped since.
    bool stepped = false;
    Residual(scan, carried, next_element, stepped);
    Level(k + 1, carried, stepped);
  }

  void ColumnElements(size_t k, const plan::Scan& scan, llvm::Value* pending, llvm::BasicBlock* done) {
    const plan::ColumnAccess& access = code_.column_access[scan.column];
    llvm::AllocaInst* elements_at = e_.entry().CreateAlloca(e_.context().ptr());
    llvm::AllocaInst* bounds = e_.entry().CreateAlloca(llvm::ArrayType::get(e_.context().i32(), 2));
    llvm::Value* absent = e_.NewSlot();
    llvm::Value* ok = e_.Call(Helper::k_fold_column_begin, {row_.machine, e_.CellAt(row_.frame, access.reg),
                                                            e_.I32(scan.column), absent, elements_at, bounds});
    llvm::BasicBlock* missing = e_.NewBlock("column.absent");
    llvm::BasicBlock* run = e_.NewBlock("column.run");
    b_.CreateCondBr(b_.CreateICmpNE(ok, e_.I32(0)), run, missing);
    b_.SetInsertPoint(missing);
    Unbound(pending, absent, done);
    b_.SetInsertPoint(run);
    llvm::Value* elements = b_.CreateLoad(e_.context().ptr(), elements_at);
    llvm::Value* begin = b_.CreateLoad(e_.context().i32(), bounds);
    llvm::Value* end = b_.CreateLoad(e_.context().i32(), b_.CreateConstInBoundsGEP1_64(e_.context().i32(), bounds, 1));
    Loop(k, pending, begin, end, done,
         [&](llvm::Value* row) { e_.PointCursor(row_.frame, scan.reg, elements, row); });
  }

  void ListElements(size_t k, const plan::Scan& scan, llvm::Value* pending, bool stepped, llvm::BasicBlock* done) {
    llvm::Value* range = Root(scan.list, stepped);
    if (!e_.StaysPut(scan.list, range)) {
      llvm::Value* copy = e_.NewSlot();
      e_.Assign(copy, range);
      range = copy;
    }
    llvm::Value* count = e_.Call(Helper::k_fold_count, {range});
    llvm::BasicBlock* unbound = e_.NewBlock("list.unbound");
    llvm::BasicBlock* run = e_.NewBlock("list.run");
    b_.CreateCondBr(b_.CreateICmpSLT(count, e_.I64(0)), unbound, run);
    b_.SetInsertPoint(unbound);
    Unbound(pending, range, done);
    b_.SetInsertPoint(run);
    // A list's elements are bound by a copy; a map's keys (elements null) by the helper.
    llvm::Value* elements = e_.Call(Helper::k_fold_elements, {range});
    llvm::Value* end = b_.CreateTrunc(count, e_.context().i32());
    Loop(k, pending, e_.I32(0), end, done, [&](llvm::Value* i) {
      llvm::BasicBlock* list = e_.NewBlock("list.element");
      llvm::BasicBlock* map = e_.NewBlock("list.key");
      llvm::BasicBlock* bound = e_.NewBlock("list.bound");
      llvm::Value* wide = b_.CreateZExt(i, e_.context().i64());
      b_.CreateCondBr(b_.CreateIsNotNull(elements), list, map);
      b_.SetInsertPoint(list);
      e_.Assign(e_.CellAt(row_.frame, scan.reg),
                b_.CreateInBoundsGEP(e_.context().i8(), elements, b_.CreateMul(wide, e_.I64(kValueSize))));
      b_.CreateBr(bound);
      b_.SetInsertPoint(map);
      e_.Call(Helper::k_fold_bind, {row_.frame, range, wide, e_.I32(scan.reg), e_.I32(plan::kNone)});
      b_.CreateBr(bound);
      b_.SetInsertPoint(bound);
    });
  }

  // for i in [begin, end): bind(i), Descend; then `done`.
  template <typename Bind>
  void Loop(size_t k, llvm::Value* pending, llvm::Value* begin, llvm::Value* end, llvm::BasicBlock* done, Bind&& bind) {
    llvm::AllocaInst* counter = e_.entry().CreateAlloca(e_.context().i32());
    b_.CreateStore(begin, counter);
    llvm::BasicBlock* test = e_.NewBlock("element.test");
    llvm::BasicBlock* body = e_.NewBlock("element.body");
    llvm::BasicBlock* latch = e_.NewBlock("element.next");
    b_.CreateBr(test);
    b_.SetInsertPoint(test);
    llvm::Value* i = b_.CreateLoad(e_.context().i32(), counter);
    b_.CreateCondBr(b_.CreateICmpULT(i, end), body, done);
    b_.SetInsertPoint(body);
    e_.EnterLoop();
    bind(i);
    Descend(k, pending, latch);
    b_.CreateBr(latch);
    e_.LeaveLoop();
    b_.SetInsertPoint(latch);
    b_.CreateStore(b_.CreateAdd(i, e_.I32(1)), counter);
    b_.CreateBr(test);
  }

  ExprEmitter& e_;
  llvm::IRBuilder<>& b_;
  const plan::Code& code_;
  const plan::Query& query_;
  const RowContext& row_;
};

}  // namespace

void EmitRowRest(ExprEmitter& emitter, const plan::Code& code, const plan::Query& query, const RowContext& row,
                 llvm::Value* pending, bool may_have_stepped) {
  RowEmitter rest(emitter, code, query, row);
  rest.Residual(query.scans[0], pending, row.stop, may_have_stepped);
  rest.Level(1, pending, may_have_stepped);
}

}  // namespace edict::codegen
