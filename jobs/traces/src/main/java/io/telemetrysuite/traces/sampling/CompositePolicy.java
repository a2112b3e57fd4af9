package io.telemetrysuite.traces.sampling;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code composite}: sub-policies with a spans-per-second budget each. The sub-policies are asked in
 * the order of {@code composite_sub_policy}; the first that votes a sample (inverted or not) decides:
 * the trace is kept if its spans still fit that sub-policy's budget for the current second (and the
 * sub-policy's own count stays within {@code max_total_spans_per_second}), otherwise it is not kept
 * and no later sub-policy is asked. Budgets restart at each new second of event time.
 *
 * <p>A sub-policy's budget is its {@code rate_allocation} percent of {@code
 * max_total_spans_per_second}; a listed sub-policy with percent 0 gets an equal share (the total
 * divided by the number of sub-policies); a sub-policy not listed in {@code rate_allocation} gets 0
 * and so never keeps a trace. The Collector reads but does not use {@code policy_order}; neither do we.
 * The checks are per sub-policy, as in the Collector: the total across sub-policies is not capped.
 */
public final class CompositePolicy implements TracePolicy {
    private static final long serialVersionUID = 1L;

    /** One sub-policy with its budget and this second's count. */
    public static final class Sub implements Serializable {
        private static final long serialVersionUID = 1L;
        final String name;
        final TracePolicy policy;
        final long allocatedSpansPerSecond;
        long sampledThisSecond;

        public Sub(String name, TracePolicy policy, long allocatedSpansPerSecond) {
            this.name = name;
            this.policy = policy;
            this.allocatedSpansPerSecond = allocatedSpansPerSecond;
        }

        public long allocatedSpansPerSecond() {
            return allocatedSpansPerSecond;
        }
    }

    private final long maxTotalSpansPerSecond;
    private final List<Sub> subs;
    private long currentSecond;
    private transient String lastSampledBy;

    public CompositePolicy(long maxTotalSpansPerSecond, List<Sub> subs) {
        this.maxTotalSpansPerSecond = maxTotalSpansPerSecond;
        this.subs = List.copyOf(subs);
    }

    /** The budgets as the Collector's {@code getRateAllocationMap} computes them, per sub-policy in order. */
    public static List<Long> allocations(long maxTotal, List<String> subNames, List<String> allocatedNames,
            List<Long> percents) {
        double defaultSps = (double) maxTotal / subNames.size();
        java.util.Map<String, Double> byName = new java.util.HashMap<>();
        for (int i = 0; i < allocatedNames.size(); i++) {
            long percent = percents.get(i);
            byName.put(allocatedNames.get(i), percent > 0 ? (percent / 100.0) * maxTotal : defaultSps);
        }
        List<Long> out = new ArrayList<>();
        for (String name : subNames) out.add((long) (double) byName.getOrDefault(name, 0.0));
        return out;
    }

    @Override
    public PolicyDecision evaluate(TraceData trace) {
        long second = Math.floorDiv(trace.nowMillis(), 1000L);
        if (second != currentSecond) {
            currentSecond = second;
            for (Sub s : subs) s.sampledThisSecond = 0;
        }
        lastSampledBy = null;
        for (Sub sub : subs) {
            PolicyDecision d = sub.policy.evaluate(trace);
            if (d == PolicyDecision.SAMPLED || d == PolicyDecision.INVERT_SAMPLED) {
                long ifSampled = sub.sampledThisSecond + trace.spanCount();
                if (ifSampled <= sub.allocatedSpansPerSecond && ifSampled <= maxTotalSpansPerSecond) {
                    sub.sampledThisSecond = ifSampled;
                    lastSampledBy = sub.name;
                    return PolicyDecision.SAMPLED;
                }
                // Over budget: not kept, and the count is left alone so a smaller trace may still fit.
                return PolicyDecision.NOT_SAMPLED;
            }
        }
        return PolicyDecision.NOT_SAMPLED;
    }

    /** The sub-policy that kept the trace last evaluated, or null; the Collector's {@code tailsampling.composite_policy}. */
    public String lastSampledBy() {
        return lastSampledBy;
    }

    @Override
    public TracePolicy fresh() {
        List<Sub> copies = new ArrayList<>();
        for (Sub s : subs) copies.add(new Sub(s.name, s.policy.fresh(), s.allocatedSpansPerSecond));
        return new CompositePolicy(maxTotalSpansPerSecond, copies);
    }
}
