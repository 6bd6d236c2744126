#pragma once
// THE REGISTRY of operator kinds: every kind the pipeline model knows, one
// entry each. A kind is a folder here holding its model (`<kind>.hpp`, a
// struct with `static const OperatorKind& kind()`) and its definition
// (`<kind>_kind.cpp`: name, YAML load and emit, checks, binding to the
// runtime operator). Adding a kind is that folder, its include below and its
// entry in ANANAS_OPERATOR_KINDS; nothing else names the kinds.
//
// Why a list of model types and not a registry filled at start-up by each
// kind's file (as Tenzir's plugins register themselves): the model is plain
// data compared with ==, so it keeps one std::variant alternative per kind,
// and the variant needs the types at compile time; self-registering objects in
// a static library are also dropped by the linker when nothing references
// them. The list below therefore generates both the variant (OperatorBody) and
// the OperatorType enum (pipelines/model.hpp) in one order, so they cannot
// drift apart, and registry.cpp derives its table from the variant. Callers
// reach a kind's definition through kind_of(op) / find_operator_kind(name)
// (registry.hpp), never through a switch.
#include "pipelines/operator_kinds/calc/calc.hpp"
#include "pipelines/operator_kinds/deduplicate/deduplicate.hpp"
#include "pipelines/operator_kinds/expand/expand.hpp"
#include "pipelines/operator_kinds/group_aggregate/group_aggregate.hpp"
#include "pipelines/operator_kinds/join/join.hpp"
#include "pipelines/operator_kinds/match_recognize/match_recognize.hpp"
#include "pipelines/operator_kinds/over_aggregate/over_aggregate.hpp"
#include "pipelines/operator_kinds/replicate/replicate.hpp"
#include "pipelines/operator_kinds/top_n/top_n.hpp"
#include "pipelines/operator_kinds/union_all/union_all.hpp"
#include "pipelines/operator_kinds/unnest/unnest.hpp"
#include "pipelines/operator_kinds/upsert_materialize/upsert_materialize.hpp"
#include "pipelines/operator_kinds/window/window.hpp"
#include "pipelines/operator_kinds/window_aggregate/window_aggregate.hpp"

// KIND(Model): the order is the order errors and the docs list the kinds in.
#define ANANAS_OPERATOR_KINDS(KIND) \
  KIND(Unnest)                      \
  KIND(Calc)                        \
  KIND(GroupAggregate)              \
  KIND(WindowAggregate)             \
  KIND(Window)                      \
  KIND(UpsertMaterialize)           \
  KIND(MatchRecognize)              \
  KIND(OverAggregate)               \
  KIND(Deduplicate)                 \
  KIND(TopN)                        \
  KIND(Expand)                      \
  KIND(UnionAll)                    \
  KIND(Join)                        \
  KIND(Replicate)
