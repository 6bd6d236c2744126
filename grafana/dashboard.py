#!/usr/bin/env python3
"""Generates grafana/dashboards/ananas/pipelines.json (dashboards as code).

Run `python3 grafana/dashboard.py` after editing and commit both files. Every
query uses the provisioned datasource uid `prometheus` and the metric names of
actors/metrics.cpp (the contract in DESIGN.md).
"""
import json
import pathlib

DATASOURCE = {"type": "prometheus", "uid": "prometheus"}
SEL = 'pipeline=~"$pipeline"'


def panel(pid, title, exprs, unit, x, y, w=12, h=8, legend="{{pipeline}}", description=""):
    targets = []
    for i, (expr, fmt) in enumerate(exprs):
        targets.append({"datasource": DATASOURCE, "expr": expr, "legendFormat": fmt or legend,
                        "refId": chr(ord("A") + i)})
    return {
        "id": pid,
        "type": "timeseries",
        "title": title,
        "description": description,
        "datasource": DATASOURCE,
        "gridPos": {"x": x, "y": y, "w": w, "h": h},
        "fieldConfig": {"defaults": {"unit": unit, "min": 0}, "overrides": []},
        "options": {"legend": {"displayMode": "list", "placement": "bottom"}, "tooltip": {"mode": "multi"}},
        "targets": targets,
    }


def dashboard():
    r = "$__rate_interval"
    panels = [
        panel(1, "Anomalies emitted per sink",
              [(f"sum by (pipeline, sink) (rate(ananas_anomalies_emitted_total{{{SEL}}}[{r}]))", "{{pipeline}} / {{sink}}")],
              "rps", 0, 0, description="Rows written by sinks (records per second)."),
        panel(2, "Throughput in / out",
              [(f"sum by (pipeline) (rate(ananas_records_in_total{{{SEL}}}[{r}]))", "{{pipeline}} in"),
               (f"sum by (pipeline) (rate(ananas_records_out_total{{{SEL}}}[{r}]))", "{{pipeline}} out")],
              "rps", 12, 0),
        panel(3, "Watermark lag",
              [(f"max by (pipeline, operator) (ananas_watermark_lag_seconds{{{SEL}}})", "{{pipeline}} / {{operator}}")],
              "s", 0, 8, description="Wall clock minus event-time watermark."),
        panel(4, "Late records dropped",
              [(f"sum by (pipeline, operator) (rate(ananas_late_records_dropped_total{{{SEL}}}[{r}]))",
                "{{pipeline}} / {{operator}}")],
              "rps", 12, 8),
        panel(5, "Actor restarts",
              [(f"sum by (pipeline, operator) (increase(ananas_actor_restarts_total{{{SEL}}}[{r}]))",
                "{{pipeline}} / {{operator}}")],
              "short", 0, 16),
        panel(6, "Kafka consumer lag",
              [(f"sum by (pipeline, topic) (ananas_kafka_consumer_lag{{{SEL}}})", "{{pipeline}} / {{topic}}")],
              "short", 12, 16),
        panel(7, "Bad records",
              [(f"sum by (pipeline, topic) (rate(ananas_bad_records_total{{{SEL}}}[{r}]))", "{{pipeline}} / {{topic}}"),
               (f"sum by (pipeline, operator) (rate(ananas_row_errors_total{{{SEL}}}[{r}]))",
                "{{pipeline}} / {{operator}}")],
              "rps", 0, 24, description="Malformed input records skipped (or sent to the dead-letter topic), "
              "and rows an operator could not process."),
        panel(8, "Batch latency p99",
              [(f"histogram_quantile(0.99, sum by (le, pipeline, operator) "
                f"(rate(ananas_batch_latency_seconds_bucket{{{SEL}}}[{r}])))", "{{pipeline}} / {{operator}}")],
              "s", 12, 24),
    ]
    return {
        "id": None,
        "uid": "ananas-pipelines",
        "title": "Ananas pipelines",
        "tags": ["ananas"],
        "timezone": "browser",
        "schemaVersion": 39,
        "version": 1,
        "refresh": "10s",
        "time": {"from": "now-1h", "to": "now"},
        "templating": {"list": [{
            "name": "pipeline",
            "label": "Pipeline",
            "type": "query",
            "datasource": DATASOURCE,
            "query": {"query": "label_values(ananas_records_in_total, pipeline)", "refId": "pipeline"},
            "definition": "label_values(ananas_records_in_total, pipeline)",
            "includeAll": True,
            "multi": True,
            "allValue": ".*",
            "current": {"selected": True, "text": "All", "value": "$__all"},
            "refresh": 2,
        }]},
        "panels": panels,
    }


if __name__ == "__main__":
    out = pathlib.Path(__file__).parent / "dashboards" / "ananas" / "pipelines.json"
    out.write_text(json.dumps(dashboard(), indent=2) + "\n")
    print(out)
