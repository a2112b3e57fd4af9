package io.telemetrysuite.generator;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * OTLP/JSON as the Collector's file exporter writes it: one export request per line, lowerCamelCase
 * field names, enums as integers, 64-bit integers as decimal strings, and trace and span ids as
 * lowercase hex. Protobuf's JsonFormat gets everything right except the ids (it writes bytes as
 * base64), which are rewritten afterwards.
 */
public final class OtlpJson {
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace().printingEnumsAsInts();
    /**
     * Only field names match: attribute keys print as {@code "key":"traceId"}, and quotes inside
     * string values are escaped, so neither can look like {@code "traceId":"}.
     */
    private static final Pattern ID = Pattern.compile("\"(traceId|spanId|parentSpanId)\":\"([A-Za-z0-9+/=]*)\"");
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private OtlpJson() {}

    public static String toLine(MessageOrBuilder message) {
        String json;
        try {
            json = PRINTER.print(message);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("not printable as JSON: " + message.getDescriptorForType().getFullName(), e);
        }
        Matcher m = ID.matcher(json);
        StringBuilder sb = new StringBuilder(json.length());
        while (m.find()) {
            m.appendReplacement(sb, "\"" + m.group(1) + "\":\"" + hex(Base64.getDecoder().decode(m.group(2))) + "\"");
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static String hex(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = HEX[(bytes[i] >>> 4) & 0xf];
            out[2 * i + 1] = HEX[bytes[i] & 0xf];
        }
        return new String(out);
    }
}
