package io.telemetrysuite.aggregate.metrics;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.sdk.common.Clock;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentSelector;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.View;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.telemetrysuite.testing.OtlpFixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One process instrumented with the real OpenTelemetry SDK, on a clock the test sets: each
 * {@link #collectAt} is one export, written as an OTLP protobuf file ingest reads ({@code metrics-*.pb}).
 * A new source with the same name and instance id is a restarted process: its cumulative series start over.
 */
public final class SdkMetricsSource implements AutoCloseable {
    public static final String EXPONENTIAL = "gen_ai.server.time_to_first_token";

    private final String name;
    private final MutableClock clock;
    private final Reader reader;
    private final SdkMeterProvider provider;
    public final Meter meter;

    public SdkMetricsSource(String name, String service, String instance, AggregationTemporality temporality, long startNanos, int exponentialMaxScale) {
        this.name = name;
        this.clock = new MutableClock(startNanos);
        this.reader = new Reader(temporality);
        Resource resource = OtlpFixtures.resource(service).merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.instance.id"), instance)));
        this.provider = SdkMeterProvider.builder()
                .setResource(resource)
                .setClock(clock)
                .registerMetricReader(reader)
                .registerView(InstrumentSelector.builder().setName(EXPONENTIAL).build(),
                        View.builder().setAggregation(Aggregation.base2ExponentialBucketHistogram(160, exponentialMaxScale)).build())
                .build();
        this.meter = provider.get("io.telemetrysuite.aggregate.test");
    }

    public void setTime(long nanos) {
        clock.nanos = nanos;
    }

    /** Collects at {@code nanos} and writes the export request into {@code dir}. */
    public List<MetricData> collectAt(long nanos, Path dir) {
        clock.nanos = nanos;
        List<MetricData> metrics = new ArrayList<>(reader.registration.collectAllMetrics());
        try {
            Files.write(dir.resolve("metrics-" + name + "-" + nanos + ".pb"), OtlpFixtures.metricsRequestProto(metrics));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return metrics;
    }

    @Override
    public void close() {
        provider.close();
    }

    private static final class Reader implements MetricReader {
        private final AggregationTemporality temporality;
        volatile CollectionRegistration registration = CollectionRegistration.noop();

        Reader(AggregationTemporality temporality) {
            this.temporality = temporality;
        }

        @Override
        public void register(CollectionRegistration registration) {
            this.registration = registration;
        }

        @Override
        public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
            return temporality;
        }

        @Override
        public CompletableResultCode forceFlush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }

    private static final class MutableClock implements Clock {
        volatile long nanos;

        MutableClock(long nanos) {
            this.nanos = nanos;
        }

        @Override
        public long now() {
            return nanos;
        }

        @Override
        public long nanoTime() {
            return nanos;
        }
    }
}
