package io.telemetrysuite.json;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The JSON form of the event model: what `run` writes to {@code *.jsonl} and what the jobs exchange
 * over Kafka. Public fields are the contract; helper methods such as {@code isRoot()} are not fields
 * and are never written.
 */
public final class EventJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
            .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.PUBLIC_ONLY)
            .setSerializationInclusion(JsonInclude.Include.ALWAYS)
            // Readers ignore fields they do not know, so producers may add fields freely.
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private EventJson() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] toBytes(Object event) {
        try {
            return MAPPER.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String toLine(Object event) {
        try {
            return MAPPER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static <T> T fromBytes(byte[] json, Class<T> type) throws IOException {
        return MAPPER.readValue(json, type);
    }

    public static <T> T fromLine(String json, Class<T> type) throws IOException {
        return MAPPER.readValue(json, type);
    }

    public static ObjectWriter writerFor(Class<?> type) {
        return MAPPER.writerFor(type);
    }

    public static ObjectReader readerFor(Class<?> type) {
        return MAPPER.readerFor(type);
    }
}
