#include "connectors/kafka/drained_marks.hpp"

#include <cstdlib>
#include <cstring>
#include <memory>

namespace ananas::connectors::kafka {

namespace {

struct ListDeleter {
  void operator()(rd_kafka_topic_partition_list_t* l) const { rd_kafka_topic_partition_list_destroy(l); }
};
using List = std::unique_ptr<rd_kafka_topic_partition_list_t, ListDeleter>;

std::string name_of(const rd_kafka_topic_partition_t& tp) {
  return std::string(tp.topic) + "[" + std::to_string(tp.partition) + "]";
}

}  // namespace

std::map<PartitionId, CommittedMark> read_committed_marks(rd_kafka_t* rk, const std::vector<PartitionId>& partitions,
                                                          int timeout_ms, const std::string& group) {
  std::map<PartitionId, CommittedMark> out;
  if (partitions.empty()) return out;
  List list(rd_kafka_topic_partition_list_new(static_cast<int>(partitions.size())));
  for (const auto& p : partitions) rd_kafka_topic_partition_list_add(list.get(), p.topic.c_str(), p.partition);
  if (rd_kafka_resp_err_t err = rd_kafka_committed(rk, list.get(), timeout_ms); err != RD_KAFKA_RESP_ERR_NO_ERROR)
    throw ConnectorError("cannot read the committed offsets of group '" + group + "': " + rd_kafka_err2str(err));
  for (int i = 0; i < list->cnt; ++i) {
    const rd_kafka_topic_partition_t& tp = list->elems[i];
    if (tp.err != RD_KAFKA_RESP_ERR_NO_ERROR)
      throw ConnectorError("cannot read the committed offset of " + name_of(tp) + " in group '" + group +
                           "': " + rd_kafka_err2str(tp.err));
    CommittedMark mark;
    mark.offset = tp.offset >= 0 ? tp.offset : -1;
    mark.drained = mark.offset >= 0 && tp.metadata &&
                   std::string_view(static_cast<const char*>(tp.metadata), tp.metadata_size) == kDrainedMetadata;
    out[PartitionId{tp.topic, tp.partition}] = mark;
  }
  return out;
}

void commit_with_metadata(rd_kafka_t* rk, const PartitionOffsets& offsets, std::string_view metadata,
                          const std::string& group) {
  if (offsets.empty()) return;
  List list(rd_kafka_topic_partition_list_new(static_cast<int>(offsets.size())));
  for (const auto& [p, offset] : offsets) {
    rd_kafka_topic_partition_t* tp = rd_kafka_topic_partition_list_add(list.get(), p.topic.c_str(), p.partition);
    tp->offset = offset;
    // The list frees it (rd_free, which is free()).
    tp->metadata = std::malloc(metadata.size());
    if (!tp->metadata) throw std::bad_alloc();
    std::memcpy(tp->metadata, metadata.data(), metadata.size());
    tp->metadata_size = metadata.size();
  }
  if (rd_kafka_resp_err_t err = rd_kafka_commit(rk, list.get(), 0); err != RD_KAFKA_RESP_ERR_NO_ERROR)
    throw ConnectorError("cannot commit offsets to group '" + group + "': " + rd_kafka_err2str(err));
  for (int i = 0; i < list->cnt; ++i)
    if (list->elems[i].err != RD_KAFKA_RESP_ERR_NO_ERROR)
      throw ConnectorError("cannot commit offset of " + name_of(list->elems[i]) + " to group '" + group +
                           "': " + rd_kafka_err2str(list->elems[i].err));
}

}  // namespace ananas::connectors::kafka
