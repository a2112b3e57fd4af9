/**
 * OTLP input: {@link io.telemetrysuite.otlp.OtlpDecoder} turns protobuf or OTLP JSON bytes into
 * export requests, {@link io.telemetrysuite.otlp.OtlpMapper} turns their items into the event model.
 * Every failure is an {@link io.telemetrysuite.otlp.OtlpDecodeException} carrying a
 * {@link io.telemetrysuite.model.DeadLetterReason} code.
 */
package io.telemetrysuite.otlp;
