#include "actors/drivers/connector_source_driver.hpp"
#include "core/log.hpp"

#include <algorithm>

#include <chrono>
#include <iostream>
#include <stdexcept>

#include "actors/drivers/raw_batch_records.hpp"
#include "actors/drivers/source_position.hpp"
#include "connectors/connector_registry.hpp"

namespace ananas::rt::drivers {

namespace {

int64_t wall_clock_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string where(const connectors::RawRecord& r) {
  return std::string(r.topic) + "/" + std::to_string(r.partition) + "@" + std::to_string(r.offset);
}

}  // namespace

ConnectorSourceDriver::ConnectorSourceDriver(SourceDriverSpec spec, std::shared_ptr<const pipeline::BuiltSource> built)
    : spec_(std::move(spec)), built_(std::move(built)) {}

void ConnectorSourceDriver::set_instance(int index, int count, std::shared_ptr<SourceShared>& shared) {
  instance_ = index;
  instances_ = count;
  if (!shared) shared = std::make_shared<SharedSourceWatermarks>(count, built_->idle_timeout_ms);
  watermarks_ = std::dynamic_pointer_cast<SharedSourceWatermarks>(shared);
  if (!watermarks_) throw std::logic_error("source instances of one node with different drivers");
}

ConnectorSourceDriver::~ConnectorSourceDriver() {
  if (connector_) connector_->close();
}

void ConnectorSourceDriver::open(const std::optional<std::string>& position) {
  if (spec_.make_decoder) decoder_ = spec_.make_decoder();
  else decoder_ = built_->make_decoder();
  std::optional<connectors::PartitionOffsets> resume;
  PartitionMarks marks;
  if (position && !position->empty()) {
    SourcePosition decoded = decode_source_position(*position);
    resume = std::move(decoded.offsets);
    marks = std::move(decoded.marks);
  }
  connectors::ConnectorContext context;
  context.instance = instance_;
  context.instances = instances_;
  context.owned = owned_;
  context.on_partition_start = on_partition_start_;
  context.max_batch_bytes = spec_.max_batch_bytes;
  context.pipeline = spec_.pipeline;
  context.table = built_->spec->name;
  context.note = [pipeline = spec_.pipeline](const std::string& note) { log::info(pipeline, note); };
  // The connector itself starts at the position (a resumable one continues
  // there; the others record it), so a restart never starts over.
  connector_ = connectors::default_registry().open_source(spec_.connector, spec_.options, context, resume);
  // The position holds every instance's partitions; this one reports its own.
  if (resume)
    for (const auto& [p, offset] : *resume)
      if (connectors::owns_partition(context, p)) next_offsets_[p] = offset;
  // The decoder's marks of this instance's partitions (the position holds every instance's).
  for (const auto& [p, text] : marks)
    if (connectors::owns_partition(context, p)) {
      try {
        decoder_->restore_marks(p.partition, text);
      } catch (const CorruptState& e) {
        throw std::invalid_argument("table '" + built_->spec->name + "': checkpoint position of " + p.topic + "/" +
                                    std::to_string(p.partition) + ": " + e.what());
      }
    }
  if (!watermarks_) watermarks_ = std::make_shared<SharedSourceWatermarks>(1, built_->idle_timeout_ms);
  watermarks_->declare(connector_->partitions(), wall_clock_ms());
  if (spec_.on_error == pipeline::OnError::DeadLetter && !dead_letters_) {
    if (!spec_.dead_letter_topic) throw std::invalid_argument("on_error: dead-letter without a dead_letter_topic");
    dead_letters_ = spec_.dead_letters ? spec_.dead_letters
                                       : std::make_shared<PipelineDeadLetters>(spec_.pipeline, *spec_.dead_letter_topic);
    // This table's records, and the rows decoded from them, go to its brokers.
    dead_letters_->route(built_->spec->name, spec_.options);
  }
}

void ConnectorSourceDriver::reject(const connectors::RawRecord& record, const std::string& message) {
  log::warn(spec_.pipeline,
            log::cat("bad record ", where(record), " in table '", built_->spec->name, "': ", message,
                     spec_.on_error == pipeline::OnError::DeadLetter ? " (sent to dead-letter topic '" + *spec_.dead_letter_topic + "')"
                     : spec_.on_error == pipeline::OnError::Fail     ? std::string(" (on_error: fail)")
                                                                     : std::string(" (skipped)")));
  switch (spec_.on_error) {
    case pipeline::OnError::Skip: return;
    case pipeline::OnError::DeadLetter: dead_letters_->send(built_->spec->name, record, message); return;
    case pipeline::OnError::Fail:
      throw std::runtime_error("bad record " + where(record) + " in table '" + built_->spec->name + "': " + message);
  }
}

SourcePoll ConnectorSourceDriver::poll(std::chrono::milliseconds timeout) {
  if (!connector_) throw std::logic_error("source driver polled before open()");
  SourcePoll out;
  connectors::RawBatch polled = connector_->poll(spec_.max_batch_rows, timeout);
  for (const std::string& e : polled.errors)
    log::warn(spec_.pipeline, log::cat("table '", built_->spec->name, "': ", e));
  auto batch = std::make_shared<Batch>(built_->schema.size(), polled.size());
  const int64_t now = wall_clock_ms();
  batch->set_processing_time_ms(now);
  // Offsets and watermark candidates are kept per partition of the batch
  // (a batch spans few) and handed on once at its end: a map lookup and a
  // PartitionId per record showed in the worker's profile.
  struct PartitionProgress {
    std::string_view topic;
    int32_t partition;
    int64_t next_offset;
    std::optional<int64_t> candidate;  // the highest watermark candidate
  };
  std::vector<PartitionProgress> progress;
  auto progress_of = [&](const connectors::RawRecord& r) -> PartitionProgress& {
    for (PartitionProgress& p : progress)
      if (p.partition == r.partition && p.topic == r.topic) return p;
    return progress.emplace_back(PartitionProgress{r.topic, r.partition, 0, std::nullopt});
  };
  // Dead-lettering and a keyed exchange downstream keep the raw records as the
  // batch's origin (the rows point at their record's index); otherwise they
  // are released after decoding.
  std::shared_ptr<const RawBatchRecords> origin;
  if ((spec_.on_error == pipeline::OnError::DeadLetter || keep_origin_) && !polled.empty()) {
    origin = std::make_shared<const RawBatchRecords>(built_->spec->name, std::move(polled));
    batch->set_origin(origin);
  }
  const connectors::RawBatch& raw = origin ? origin->raw() : polled;
  for (size_t i = 0; i < raw.records.size(); ++i) {
    const connectors::RawRecord& r = raw.records[i];
    PartitionProgress& partition = progress_of(r);
    // The offset moves past bad records too: they are handled (skipped,
    // dead-lettered) and must not be read again after a restart.
    partition.next_offset = r.offset + 1;
    pipeline::RecordView view{r.topic, r.partition, r.offset, r.timestamp_ms, r.key, r.value};
    pipeline::DecodedRecord d;
    const size_t rows_before = batch->num_rows();
    try {
      d = decoder_->decode(view, *batch, now);
      for (size_t row = rows_before; row < batch->num_rows(); ++row) batch->trace_row(static_cast<uint32_t>(i));
    } catch (const std::exception& e) {  // defensive: a decoder bug must not lose the record silently
      while (batch->num_rows() > rows_before) batch->pop_row();  // nor leave half a row
      d.status = JsonDecodeStatus::Error;
      d.error = e.what();
    }
    if (d.status == JsonDecodeStatus::Error) {
      ++out.bad_records;
      reject(r, d.error);
      continue;
    }
    if (d.duplicate) ++out.duplicate_records;
    else if (d.status == JsonDecodeStatus::NoRow && !d.control) ++out.no_value_records;
    if (d.status == JsonDecodeStatus::Skipped) ++out.ignored_parse_errors;
    if ((d.status == JsonDecodeStatus::Row || d.control) && d.watermark_candidate)
      partition.candidate = std::max(partition.candidate.value_or(*d.watermark_candidate), *d.watermark_candidate);
  }
  std::vector<std::pair<connectors::PartitionId, int64_t>> candidates;
  for (const PartitionProgress& p : progress) {
    connectors::PartitionId id{std::string(p.topic), p.partition};
    next_offsets_[id] = p.next_offset;
    if (p.candidate) candidates.emplace_back(std::move(id), *p.candidate);
  }
  const int64_t watermark = watermarks_->advance(candidates, now);
  if (raw.end_of_input) {
    out.end_of_input = true;
  }
  if (!batch->empty()) out.batch = std::move(batch);
  out.watermark = watermark;
  out.lag = current_lag();
  return out;
}

std::vector<PartitionLag> ConnectorSourceDriver::current_lag() const {
  std::vector<PartitionLag> out;
  for (const auto& [p, lag] : connector_->lag())
    if (lag >= 0) out.push_back(PartitionLag{p.topic, p.partition, lag});
  return out;
}

std::vector<HeldPartition> ConnectorSourceDriver::watermark_held_by() const {
  // Ten seconds: longer than a busy partition's gaps, short enough that a
  // user watching an empty window output learns why within a minute.
  constexpr int64_t kQuietMs = 10'000;
  if (!watermarks_) return {};
  return watermarks_->holding_back(wall_clock_ms(), kQuietMs);
}

std::string ConnectorSourceDriver::position() const {
  PartitionMarks marks;
  if (decoder_)
    for (auto& [partition, text] : decoder_->marks()) {
      if (built_->topics.size() != 1)
        throw std::logic_error("table '" + built_->spec->name + "': a decoder with marks reads one topic");
      marks[connectors::PartitionId{built_->topics.front(), partition}] = std::move(text);
    }
  return encode_position(next_offsets_, marks);
}

void ConnectorSourceDriver::commit(const std::string& position, bool final) {
  if (!connector_) return;
  // Records sent to the dead-letter topic count as processed once the offsets
  // are committed, so they must be durable first.
  if (dead_letters_) dead_letters_->flush(std::chrono::seconds(30));
  if (final) connector_->commit_drained(decode_position(position));
  else connector_->commit(decode_position(position));
}

}  // namespace ananas::rt::drivers
