#!/usr/bin/env python3
"""Generates the Grafana dashboards in grafana/dashboards/ananas/ (dashboards as code).

  anomalies.json  what the rules find: anomaly rate per pipeline and sink, over
                  time and against the input rate; late and bad records
  worker.json     how the worker runs them: throughput per operator, watermark
                  and consumer lag, checkpoints, restarts, batch latency, state

Run `python3 grafana/dashboard.py` after editing and commit the JSON too (a
test fails when they differ). The
datasource is a dashboard variable (any Prometheus of the Grafana, the
provisioned one by default); the metric names are those of actors/metrics.cpp.
Tests: tests/actors/grafana_test.cpp (metric names, PromQL syntax),
tests/e2e/prometheus_scrape_test.cpp (every query returns data from a real
Prometheus scraping a worker), tests/deploy/grafana_schema_test.sh (Grafana's
published schema).
"""
import json
import pathlib
import sys

DATASOURCE = {"type": "prometheus", "uid": "${datasource}"}
SEL = 'worker=~"$worker",pipeline=~"$pipeline"'
RATE = "$__rate_interval"


def panel(title, exprs, unit, description="", kind="timeseries", legend="{{pipeline}}"):
    """exprs: [(promql, legend or None)]. Positions are set by layout()."""
    return {
        "type": kind,
        "title": title,
        "description": description,
        "datasource": DATASOURCE,
        "fieldConfig": {"defaults": {"unit": unit, "min": 0}, "overrides": []},
        "options": {"legend": {"displayMode": "list", "placement": "bottom", "showLegend": True},
                    "tooltip": {"mode": "multi", "sort": "desc"}},
        "targets": [{"datasource": DATASOURCE, "expr": expr, "legendFormat": fmt or legend, "refId": chr(ord("A") + i)}
                    for i, (expr, fmt) in enumerate(exprs)],
    }


def layout(panels, width=12, height=8):
    """Two panels a row, ids in order."""
    for i, p in enumerate(panels):
        p["id"] = i + 1
        p["gridPos"] = {"x": (i % 2) * width, "y": (i // 2) * height, "w": width, "h": height}
    return panels


def variables():
    label_query = lambda q: {"query": q, "refId": "PrometheusVariableQueryEditor-VariableQuery", "qryType": 1}
    common = {"type": "query", "datasource": DATASOURCE, "includeAll": True, "multi": True, "allValue": ".*",
              "current": {"selected": True, "text": ["All"], "value": ["$__all"]}, "refresh": 2, "sort": 1,
              "hide": 0, "regex": "", "options": [], "skipUrlSync": False}
    return {"list": [
        {"name": "datasource", "label": "Data source", "type": "datasource", "query": "prometheus",
         "current": {"selected": False, "text": "Prometheus", "value": "prometheus"}, "hide": 0,
         "includeAll": False, "multi": False, "options": [], "refresh": 1, "regex": "", "skipUrlSync": False},
        {**common, "name": "worker", "label": "Worker",
         "query": label_query("label_values(ananas_records_in_total, worker)")},
        {**common, "name": "pipeline", "label": "Pipeline",
         "query": label_query('label_values(ananas_records_in_total{worker=~"$worker"}, pipeline)')},
    ]}


def dashboard(uid, title, description, panels):
    return {
        "id": None,
        "uid": uid,
        "title": title,
        "description": description,
        "tags": ["ananas"],
        "timezone": "browser",
        "editable": False,
        "graphTooltip": 1,
        "schemaVersion": 39,
        "version": 1,
        "refresh": "10s",
        "time": {"from": "now-1h", "to": "now"},
        "templating": variables(),
        "annotations": {"list": []},
        "links": [{"title": "Ananas", "type": "dashboards", "tags": ["ananas"], "asDropdown": False,
                   "icon": "external link", "includeVars": True, "keepTime": True, "targetBlank": False,
                   "tooltip": "", "url": ""}],
        "panels": layout(panels),
    }


def anomalies():
    anomalies_rate = f"sum by (pipeline) (rate(ananas_anomalies_emitted_total{{{SEL}}}[{RATE}]))"
    input_rate = f"sum by (pipeline) (rate(ananas_source_records_total{{{SEL}}}[{RATE}]))"
    return dashboard("ananas-anomalies", "Ananas anomalies", "What the anomaly rules find, per pipeline and sink.", [
        panel("Anomalies per second, per sink",
              [(f"sum by (pipeline, sink) (rate(ananas_anomalies_emitted_total{{{SEL}}}[{RATE}]))",
                "{{pipeline}} / {{sink}}")],
              "rps", "Rows the sinks wrote: the anomalies found."),
        panel("Anomalies and input records per second",
              [(anomalies_rate, "{{pipeline}} anomalies"), (input_rate, "{{pipeline}} input")],
              "rps", "Anomalies against the records the pipeline's sources read from Kafka."),
        panel("Anomalies per 1000 input records",
              [(f"1000 * {anomalies_rate} / {input_rate}", None)],
              "short", "A rule whose ratio jumps found something, or its input changed."),
        panel("Anomalies in the time range",
              [(f"sum by (pipeline, sink) (increase(ananas_anomalies_emitted_total{{{SEL}}}[$__range]))",
                "{{pipeline}} / {{sink}}")],
              "short", kind="bargauge"),
        panel("Late records dropped",
              [(f"sum by (pipeline, operator) (rate(ananas_late_records_dropped_total{{{SEL}}}[{RATE}]))",
                "{{pipeline}} / {{operator}}")],
              "rps", "Records behind the watermark that windows and patterns dropped (Flink's semantics)."),
        panel("Bad input records and rows in error",
              [(f"sum by (pipeline, topic) (rate(ananas_bad_records_total{{{SEL}}}[{RATE}]))",
                "{{pipeline}} / {{topic}} malformed"),
               (f"sum by (pipeline, operator) (rate(ananas_row_errors_total{{{SEL}}}[{RATE}]))",
                "{{pipeline}} / {{operator}} row errors")],
              "rps", "Malformed input records skipped (or dead-lettered), and rows an operator could not process."),
    ])


def worker():
    latency = lambda q: (f"histogram_quantile({q}, sum by (le, pipeline, operator) "
                         f"(rate(ananas_batch_latency_seconds_bucket{{{SEL}}}[{RATE}])))")
    return dashboard("ananas-worker", "Ananas worker", "How the worker runs the pipelines.", [
        panel("Records in per second, per operator",
              [(f"sum by (pipeline, operator) (rate(ananas_records_in_total{{{SEL}}}[{RATE}]))",
                "{{pipeline}} / {{operator}}")], "rps"),
        panel("Records out per second, per operator",
              [(f"sum by (pipeline, operator) (rate(ananas_records_out_total{{{SEL}}}[{RATE}]))",
                "{{pipeline}} / {{operator}}")], "rps"),
        panel("Watermark lag",
              [(f"max by (pipeline, operator) (ananas_watermark_lag_seconds{{{SEL}}})", "{{pipeline}} / {{operator}}")],
              "s", "Wall clock minus the event-time watermark; one that keeps growing stands still."),
        panel("Kafka consumer lag",
              [(f"sum by (pipeline, topic) (ananas_kafka_consumer_lag{{{SEL}}})", "{{pipeline}} / {{topic}}")],
              "short", "Records between the sources' positions and the end of their partitions."),
        panel("Checkpoints per minute",
              [(f"sum by (pipeline, result) (rate(ananas_checkpoints_total{{{SEL}}}[{RATE}])) * 60",
                "{{pipeline}} {{result}}")], "short"),
        panel("Checkpoint duration and state size",
              [(f"max by (pipeline) (ananas_checkpoint_duration_seconds{{{SEL}}})", "{{pipeline}} duration"),
               (f"max by (pipeline) (ananas_checkpoint_state_bytes{{{SEL}}}) / 1e6", "{{pipeline}} state (MB)")],
              "short"),
        panel("Restarts",
              [(f"sum by (pipeline, operator) (increase(ananas_actor_restarts_total{{{SEL}}}[{RATE}]))",
                "{{pipeline}} / {{operator}}")],
              "short", "Pipeline restarts, by the actor whose failure caused them."),
        panel("Batch latency p50 / p99",
              [(latency("0.5"), "{{pipeline}} / {{operator}} p50"), (latency("0.99"), "{{pipeline}} / {{operator}} p99")],
              "s", "Time an operator spends on one input batch."),
        panel("Pipeline state",
              [(f"max by (pipeline, state) (ananas_pipeline_state{{{SEL}}}) == 1", "{{pipeline}} {{state}}")],
              "short", "RUNNING, PAUSED, RESTARTING, FAILED or UNASSIGNED (another worker of the group runs it).",
              kind="table"),
    ])


if __name__ == "__main__":
    # An argument: another folder (the test compares its output with the committed JSON).
    folder = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else pathlib.Path(__file__).parent / "dashboards" / "ananas"
    folder.mkdir(parents=True, exist_ok=True)
    for name, d in (("anomalies", anomalies()), ("worker", worker())):
        out = folder / f"{name}.json"
        out.write_text(json.dumps(d, indent=2) + "\n")
        print(out)
