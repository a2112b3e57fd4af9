package io.telemetrysuite.generator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.telemetrysuite.json.EventJson;
import io.telemetrysuite.model.InferenceSample;
import io.telemetrysuite.model.SystemSample;
import io.telemetrysuite.model.WorkloadRecord;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The wire form of the suite's own records on {@code telemetry_records}: one JSON object per message,
 * {@code "signal"} first (so a reader can dispatch before it parses the rest), then the model class's
 * public fields exactly as {@link EventJson} writes them.
 */
public final class RecordJson {
    public static final String WORKLOAD = "workload";
    public static final String SYSTEM = "system";
    public static final String INFERENCE = "inference";

    private static final ObjectWriter WORKLOAD_WRITER = EventJson.writerFor(WorkloadRecord.class);
    private static final ObjectWriter SYSTEM_WRITER = EventJson.writerFor(SystemSample.class);
    private static final ObjectWriter INFERENCE_WRITER = EventJson.writerFor(InferenceSample.class);

    private RecordJson() {}

    public static byte[] encode(WorkloadRecord r) {
        return withSignal(WORKLOAD, WORKLOAD_WRITER, r);
    }

    public static byte[] encode(SystemSample s) {
        return withSignal(SYSTEM, SYSTEM_WRITER, s);
    }

    public static byte[] encode(InferenceSample s) {
        return withSignal(INFERENCE, INFERENCE_WRITER, s);
    }

    /** Splices the discriminator into the object's bytes instead of building a tree: this runs once per request. */
    private static byte[] withSignal(String signal, ObjectWriter writer, Object record) {
        byte[] body;
        try {
            body = writer.writeValueAsBytes(record);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        byte[] prefix = ("{\"signal\":\"" + signal + "\",").getBytes(StandardCharsets.UTF_8);
        // The model classes always have fields, so body is "{...}" with at least one member after '{'.
        byte[] out = new byte[prefix.length + body.length - 1];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(body, 1, out, prefix.length, body.length - 1);
        return out;
    }
}
