package io.telemetrysuite.prometheus;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.xerial.snappy.Snappy;

/**
 * Encodes samples as a Prometheus remote-write 1.0 request body: a {@code prometheus.WriteRequest}
 * protobuf, snappy block-compressed.
 *
 * <p>Hand-encoded with {@link CodedOutputStream} instead of generated classes: the request needs four
 * tiny messages of the spec ({@code prompb/remote.proto}, {@code prompb/types.proto}), so a checked-in
 * schema and a protoc run at build time would cost more than they save:
 *
 * <pre>
 * message WriteRequest { repeated TimeSeries timeseries = 1; }
 * message TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; }
 * message Label        { string name = 1; string value = 2; }
 * message Sample       { double value = 1; int64 timestamp = 2; }  // timestamp: epoch ms
 * </pre>
 */
public final class RemoteWriteEncoder {
    private RemoteWriteEncoder() {}

    /**
     * The uncompressed {@code WriteRequest}: one {@code TimeSeries} per distinct label set, in order of
     * first appearance, its labels sorted by name (the spec requires it; Prometheus 2.42 does not sort
     * them itself) and its samples sorted by timestamp (Prometheus appends them in the order given and
     * would take a later-earlier pair as out of order).
     */
    public static byte[] encode(List<PrometheusSample> samples) {
        Map<SortedMap<String, String>, List<PrometheusSample>> series = new LinkedHashMap<>();
        for (PrometheusSample s : samples) series.computeIfAbsent(s.seriesLabels(), k -> new ArrayList<>()).add(s);

        List<byte[]> encoded = new ArrayList<>(series.size());
        int total = 0;
        for (Map.Entry<SortedMap<String, String>, List<PrometheusSample>> e : series.entrySet()) {
            List<PrometheusSample> points = e.getValue();
            points.sort(Comparator.comparingLong(PrometheusSample::timestampMillis));
            byte[] ts = timeSeries(e.getKey(), points);
            encoded.add(ts);
            total += CodedOutputStream.computeByteArraySize(1, ts);
        }
        byte[] out = new byte[total];
        CodedOutputStream stream = CodedOutputStream.newInstance(out);
        try {
            for (byte[] ts : encoded) stream.writeByteArray(1, ts);
            stream.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot encode a remote-write request", e);
        }
        return out;
    }

    /** {@link #encode} and snappy block compression: the body of a remote-write POST. */
    public static byte[] encodeCompressed(List<PrometheusSample> samples) {
        try {
            return Snappy.compress(encode(samples));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot snappy-compress a remote-write request", e);
        }
    }

    private static byte[] timeSeries(SortedMap<String, String> labels, List<PrometheusSample> points) {
        int size = 0;
        List<int[]> labelSizes = new ArrayList<>(labels.size());
        for (Map.Entry<String, String> l : labels.entrySet()) {
            int labelSize = CodedOutputStream.computeStringSize(1, l.getKey()) + CodedOutputStream.computeStringSize(2, l.getValue());
            labelSizes.add(new int[] {labelSize});
            size += CodedOutputStream.computeTagSize(1) + CodedOutputStream.computeUInt32SizeNoTag(labelSize) + labelSize;
        }
        int[] sampleSizes = new int[points.size()];
        for (int i = 0; i < points.size(); i++) {
            PrometheusSample p = points.get(i);
            sampleSizes[i] = CodedOutputStream.computeDoubleSize(1, p.value()) + CodedOutputStream.computeInt64Size(2, p.timestampMillis());
            size += CodedOutputStream.computeTagSize(2) + CodedOutputStream.computeUInt32SizeNoTag(sampleSizes[i]) + sampleSizes[i];
        }
        byte[] out = new byte[size];
        CodedOutputStream stream = CodedOutputStream.newInstance(out);
        try {
            int i = 0;
            for (Map.Entry<String, String> l : labels.entrySet()) {
                stream.writeTag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                stream.writeUInt32NoTag(labelSizes.get(i++)[0]);
                stream.writeString(1, l.getKey());
                stream.writeString(2, l.getValue());
            }
            for (int j = 0; j < points.size(); j++) {
                stream.writeTag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                stream.writeUInt32NoTag(sampleSizes[j]);
                stream.writeDouble(1, points.get(j).value());
                stream.writeInt64(2, points.get(j).timestampMillis());
            }
            stream.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot encode a remote-write time series", e);
        }
        return out;
    }
}
