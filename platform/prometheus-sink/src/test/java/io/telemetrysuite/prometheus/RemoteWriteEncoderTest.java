package io.telemetrysuite.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

/** The hand-written protobuf, read back with protobuf's generic parser (no schema needed). */
class RemoteWriteEncoderTest {

    @Test
    void groupsSeriesSortsLabelsAndTimestamps() throws Exception {
        byte[] body = RemoteWriteEncoder.encodeCompressed(List.of(
                PrometheusSample.of("up", Map.of("job", "a", "Zone", "z"), 1.5, 2000),
                PrometheusSample.of("other", 7, 5),
                PrometheusSample.of("up", Map.of("Zone", "z", "job", "a"), -2.0, 1000)));
        UnknownFieldSet request = UnknownFieldSet.parseFrom(Snappy.uncompress(body));

        List<ByteString> series = request.getField(1).getLengthDelimitedList();
        assertThat(series).hasSize(2);
        UnknownFieldSet up = UnknownFieldSet.parseFrom(series.get(0));
        // Sorted by name as Java compares strings: upper case before "__name__" before lower case.
        assertThat(up.getField(1).getLengthDelimitedList()).extracting(RemoteWriteEncoderTest::label)
                .containsExactly("Zone=z", "__name__=up", "job=a");
        List<ByteString> samples = up.getField(2).getLengthDelimitedList();
        assertThat(samples).hasSize(2);
        UnknownFieldSet first = UnknownFieldSet.parseFrom(samples.get(0));
        assertThat(Double.longBitsToDouble(first.getField(1).getFixed64List().get(0))).isEqualTo(-2.0);
        assertThat(first.getField(2).getVarintList()).containsExactly(1000L);
    }

    @Test
    void badNamesFailWhereTheSampleIsMade() {
        assertThatThrownBy(() -> PrometheusSample.of("http.requests", 1, 1)).hasMessageContaining("Not a Prometheus metric name");
        assertThatThrownBy(() -> PrometheusSample.of("x", Map.of("service.name", "a"), 1, 1)).hasMessageContaining("Not a Prometheus label name");
        assertThat(PrometheusSample.of("x", Map.of("empty", ""), 1, 1).labels()).isEmpty();
    }

    @Test
    void stateSerializerRoundTrips() throws Exception {
        var serializer = new PrometheusSink.PrometheusSampleSerializer();
        PrometheusSample sample = PrometheusSample.of("requests_total", Map.of("service", "checkout", "pod", "ü-1"), 12.25, 1_700_000_000_123L);
        assertThat(serializer.deserialize(serializer.getVersion(), serializer.serialize(sample))).isEqualTo(sample);
    }

    private static String label(ByteString bytes) {
        try {
            UnknownFieldSet label = UnknownFieldSet.parseFrom(bytes);
            return label.getField(1).getLengthDelimitedList().get(0).toStringUtf8() + "="
                    + label.getField(2).getLengthDelimitedList().get(0).toStringUtf8();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
