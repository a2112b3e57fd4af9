/**
 * The suite's own JSON records (workload, system and inference samples), decoded with the same
 * {@link io.telemetrysuite.otlp.OtlpDecodeException} reasons as OTLP input so ingest dead-letters
 * both alike.
 */
package io.telemetrysuite.records;
