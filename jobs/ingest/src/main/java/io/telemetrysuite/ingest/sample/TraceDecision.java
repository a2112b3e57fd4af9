package io.telemetrysuite.ingest.sample;

/** What the sampler decided for one trace, kept in keyed state so later spans follow it. */
public class TraceDecision {
    public boolean kept;
    /** The probability the trace was decided with; its spans carry 1/probability as adjusted count. */
    public double probability;
    /** The service whose rate set the probability; the trace's later spans count toward its rate. */
    public String decidingService;

    public TraceDecision() {}

    public TraceDecision(boolean kept, double probability, String decidingService) {
        this.kept = kept;
        this.probability = probability;
        this.decidingService = decidingService;
    }
}
