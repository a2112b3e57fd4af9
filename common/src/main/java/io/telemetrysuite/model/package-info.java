/**
 * The one event model every job of the suite reads and writes.
 *
 * <p>Every type here is a Flink POJO (public fields, public no-argument constructor; maps, lists and
 * primitive arrays only of serializable element types), so Flink serializes it with its own POJO
 * serializer and never falls back to Kryo: the tests run with {@code pipeline.generic-types: false}.
 *
 * <p>Attribute values are kept as strings, the way OTLP's typed {@code AnyValue} renders them
 * (integers in decimal, doubles in Java notation, booleans as {@code true}/{@code false}, arrays and
 * maps as JSON). The types are checked once, at ingest, against the semantic-conventions registry;
 * downstream jobs parse numbers where a rule asks for them. Strings keep the hot path cheap and the
 * JSON outputs readable.
 */
package io.telemetrysuite.model;
