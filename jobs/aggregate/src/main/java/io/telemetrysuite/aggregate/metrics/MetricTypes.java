package io.telemetrysuite.aggregate.metrics;

import io.telemetrysuite.model.MetricPoint;

/** The values of {@link io.telemetrysuite.model.Aggregate#metricType}, as switch-case constants. */
final class MetricTypes {
    static final String GAUGE = MetricPoint.Type.GAUGE;
    static final String SUM = MetricPoint.Type.SUM;
    static final String UPDOWN_SUM = MetricAccumulator.UPDOWN_SUM;
    static final String HISTOGRAM = MetricPoint.Type.HISTOGRAM;
    static final String EXPONENTIAL_HISTOGRAM = MetricPoint.Type.EXPONENTIAL_HISTOGRAM;

    private MetricTypes() {}
}
