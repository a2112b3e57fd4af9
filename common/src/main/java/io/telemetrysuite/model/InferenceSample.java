package io.telemetrysuite.model;

/**
 * One model-inference call. Field names follow the OpenTelemetry GenAI semantic conventions where
 * they exist; {@link #semconvName(String)} gives the convention's name for a field.
 */
public class InferenceSample {
    public long timestampMillis;
    public String host = "";
    public String tenant = "";
    public String requestId = "";
    /** {@code gen_ai.request.model}. */
    public String model = "";
    /** {@code gen_ai.provider.name}. */
    public String provider = "";
    /** {@code gen_ai.operation.name}, e.g. chat, text_completion, embeddings. */
    public String operation = "";
    /** {@code gen_ai.usage.input_tokens}. */
    public long inputTokens;
    /** {@code gen_ai.usage.output_tokens}. */
    public long outputTokens;
    /** Output tokens per second of generation (no GenAI convention; derived from gen_ai.server.time_per_output_token). */
    public double tokensPerSecond;
    /** {@code gen_ai.server.time_to_first_token}, here in milliseconds. */
    public double timeToFirstTokenMs;
    public double durationMs;
    /** Energy spent on the call (no GenAI convention yet). */
    public double energyJoules;
    public String errorType = "";

    public InferenceSample() {}

    public static String semconvName(String field) {
        switch (field) {
            case "model": return "gen_ai.request.model";
            case "provider": return "gen_ai.provider.name";
            case "operation": return "gen_ai.operation.name";
            case "inputTokens": return "gen_ai.usage.input_tokens";
            case "outputTokens": return "gen_ai.usage.output_tokens";
            case "timeToFirstTokenMs": return "gen_ai.server.time_to_first_token";
            case "errorType": return "error.type";
            default: return field;
        }
    }

    @Override
    public String toString() {
        return "InferenceSample{" + model + " in=" + inputTokens + " out=" + outputTokens + " @" + timestampMillis + "}";
    }
}
