package io.telemetrysuite.ingest.parse;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where each resource, scope and span of an encoded {@link ExportTraceServiceRequest} lies in its
 * bytes, found by walking the protobuf wire format (request field 1 → {@code ResourceSpans}
 * {1: resource, 2: scope_spans} → {@code ScopeSpans} {1: scope, 2: spans}) without decoding it.
 * Copying a span's range gives its encoding without re-encoding the decoded message with
 * {@code toByteArray()}, which was a per-span cost in the profile.
 *
 * <p>Used beside the decoded request, by index: {@link #of} returns {@code null} when the ranges do
 * not line up one to one with the decoded messages (a resource or scope given twice, which protobuf
 * merges; bytes that do not walk), and the caller re-encodes as before.
 */
final class TraceRequestRanges {
    /** Tags of length-delimited fields 1 and 2: (field number << 3) | wire type 2. */
    private static final int FIELD_1 = 1 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED;
    private static final int FIELD_2 = 2 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED;

    private final byte[] bytes;
    final List<Resource> resources;

    /** A {@code ResourceSpans}: its resource's range (length -1 when absent) and its scopes. */
    static final class Resource {
        int offset;
        int length = -1;
        final List<Scope> scopes = new ArrayList<>();
    }

    /** A {@code ScopeSpans}: its scope's range (length -1 when absent) and its spans' ranges. */
    static final class Scope {
        int offset;
        int length = -1;
        int spans;
        int[] spanOffsets = new int[16];
        int[] spanLengths = new int[16];

        void addSpan(int offset, int length) {
            if (spans == spanOffsets.length) {
                spanOffsets = Arrays.copyOf(spanOffsets, spans * 2);
                spanLengths = Arrays.copyOf(spanLengths, spans * 2);
            }
            spanOffsets[spans] = offset;
            spanLengths[spans] = length;
            spans++;
        }
    }

    private TraceRequestRanges(byte[] bytes, List<Resource> resources) {
        this.bytes = bytes;
        this.resources = resources;
    }

    /** The ranges in {@code bytes}, which {@code decoded} was parsed from; {@code null} if they do not match it. */
    static TraceRequestRanges of(byte[] bytes, ExportTraceServiceRequest decoded) {
        List<Resource> resources;
        try {
            resources = walkRequest(bytes);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        if (resources == null || resources.size() != decoded.getResourceSpansCount()) return null;
        for (int r = 0; r < resources.size(); r++) {
            Resource resource = resources.get(r);
            ResourceSpans resourceSpans = decoded.getResourceSpans(r);
            if (resource.scopes.size() != resourceSpans.getScopeSpansCount()) return null;
            for (int s = 0; s < resource.scopes.size(); s++) {
                if (resource.scopes.get(s).spans != resourceSpans.getScopeSpans(s).getSpansCount()) return null;
            }
        }
        return new TraceRequestRanges(bytes, resources);
    }

    byte[] resource(int r) {
        Resource resource = resources.get(r);
        return copy(resource.offset, resource.length);
    }

    byte[] scope(int r, int s) {
        Scope scope = resources.get(r).scopes.get(s);
        return copy(scope.offset, scope.length);
    }

    byte[] span(int r, int s, int i) {
        Scope scope = resources.get(r).scopes.get(s);
        return copy(scope.spanOffsets[i], scope.spanLengths[i]);
    }

    private byte[] copy(int offset, int length) {
        return length < 0 ? new byte[0] : Arrays.copyOfRange(bytes, offset, offset + length);
    }

    // ---- the walk: every level is a sequence of tags; the fields we want are length-delimited

    private static List<Resource> walkRequest(byte[] bytes) throws IOException {
        List<Resource> resources = new ArrayList<>();
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (tag == FIELD_1) {
                int length = in.readRawVarint32();
                int offset = in.getTotalBytesRead();
                Resource resource = walkResourceSpans(bytes, offset, length);
                if (resource == null) return null;
                resources.add(resource);
                in.skipRawBytes(length);
            } else if (!in.skipField(tag)) {
                break;
            }
        }
        return resources;
    }

    private static Resource walkResourceSpans(byte[] bytes, int base, int size) throws IOException {
        Resource resource = new Resource();
        CodedInputStream in = CodedInputStream.newInstance(bytes, base, size);
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (tag == FIELD_1) {
                if (resource.length >= 0) return null; // given twice: protobuf merges them
                resource.length = in.readRawVarint32();
                resource.offset = base + in.getTotalBytesRead();
                in.skipRawBytes(resource.length);
            } else if (tag == FIELD_2) {
                int length = in.readRawVarint32();
                Scope scope = walkScopeSpans(bytes, base + in.getTotalBytesRead(), length);
                if (scope == null) return null;
                resource.scopes.add(scope);
                in.skipRawBytes(length);
            } else if (!in.skipField(tag)) {
                break;
            }
        }
        return resource;
    }

    private static Scope walkScopeSpans(byte[] bytes, int base, int size) throws IOException {
        Scope scope = new Scope();
        CodedInputStream in = CodedInputStream.newInstance(bytes, base, size);
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (tag == FIELD_1) {
                if (scope.length >= 0) return null;
                scope.length = in.readRawVarint32();
                scope.offset = base + in.getTotalBytesRead();
                in.skipRawBytes(scope.length);
            } else if (tag == FIELD_2) {
                int length = in.readRawVarint32();
                scope.addSpan(base + in.getTotalBytesRead(), length);
                in.skipRawBytes(length);
            } else if (!in.skipField(tag)) {
                break;
            }
        }
        return scope;
    }
}
