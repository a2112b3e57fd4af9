/**
 * The trace job's service graph, with the OpenTelemetry Collector {@code servicegraph} connector's
 * semantics and metric names: {@link io.telemetrysuite.traces.graph.ServiceGraph} pairs the spans of
 * one assembled trace into requests, {@link io.telemetrysuite.traces.graph.ServiceGraphStage} sums them
 * per Prometheus series in event time, {@link io.telemetrysuite.traces.graph.ServiceGraphSeries} writes
 * them to Prometheus and {@link io.telemetrysuite.traces.graph.ServiceGraphJsonLines} makes the lines of
 * {@code service-graph.jsonl}.
 */
package io.telemetrysuite.traces.graph;
