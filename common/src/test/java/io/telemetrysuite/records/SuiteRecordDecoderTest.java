package io.telemetrysuite.records;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.telemetrysuite.model.DeadLetterReason;
import io.telemetrysuite.model.SystemSample;
import io.telemetrysuite.model.WorkloadRecord;
import io.telemetrysuite.otlp.OtlpDecodeException;
import io.telemetrysuite.otlp.OtlpDecoder;
import io.telemetrysuite.testing.ModelFixtures;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class SuiteRecordDecoderTest {
    private static OtlpDecodeException rejected(ThrowingCallable call) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).isInstanceOf(OtlpDecodeException.class);
        return (OtlpDecodeException) thrown;
    }

    private static OtlpDecodeException rejected(String json) {
        return rejected(() -> SuiteRecordDecoder.decode(json.getBytes(UTF_8)));
    }

    @Test
    void everyRecordTypeRoundTripsThroughEncodeAndDecode() throws Exception {
        for (Object record : new Object[] {ModelFixtures.workload(), ModelFixtures.system(), ModelFixtures.inference()}) {
            String line = SuiteRecordDecoder.encode(record);

            assertThat(line).startsWith("{\"signal\":\"" + SuiteRecordDecoder.signalOf(record) + "\",").doesNotContain("\n");
            assertThat(SuiteRecordDecoder.decode(line.getBytes(UTF_8))).usingRecursiveComparison().isEqualTo(record);
        }
    }

    @Test
    void nonFiniteDoublesSurviveAsEventJsonQuotesThem() throws Exception {
        SystemSample sample = ModelFixtures.system();
        sample.cpuPercentPerCore = new double[] {Double.NaN};
        sample.diskReadBytesPerSec = Double.POSITIVE_INFINITY;
        sample.diskWriteBytesPerSec = Double.NEGATIVE_INFINITY;

        SystemSample decoded = (SystemSample) SuiteRecordDecoder.decode(SuiteRecordDecoder.encode(sample).getBytes(UTF_8));

        assertThat(decoded.cpuPercentPerCore[0]).isNaN();
        assertThat(decoded.diskReadBytesPerSec).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(decoded.diskWriteBytesPerSec).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void unknownFieldsAreIgnoredAndAbsentOnesKeepTheirDefaults() throws Exception {
        Object decoded = SuiteRecordDecoder.decode(
                "{\"signal\":\"workload\",\"timestampMillis\":5,\"route\":\"/x\",\"addedLater\":{\"a\":[1]},\"tenant\":null}".getBytes(UTF_8));

        WorkloadRecord expected = new WorkloadRecord();
        expected.timestampMillis = 5;
        expected.route = "/x";
        assertThat(decoded).isInstanceOf(WorkloadRecord.class).usingRecursiveComparison().isEqualTo(expected);
    }

    @Test
    void theCallerCanParseOnceAndTellSuiteRecordsFromOtlp() throws Exception {
        ObjectNode suite = OtlpDecoder.parseJsonObject(SuiteRecordDecoder.encode(ModelFixtures.system()).getBytes(UTF_8));
        ObjectNode otlp = OtlpDecoder.parseJsonObject("{\"resourceSpans\":[]}".getBytes(UTF_8));

        assertThat(SuiteRecordDecoder.isSuiteRecord(suite)).isTrue();
        assertThat(SuiteRecordDecoder.isSuiteRecord(otlp)).isFalse();
        assertThat(SuiteRecordDecoder.decode(suite)).isInstanceOf(SystemSample.class);
    }

    @Test
    void aMissingOrUnknownDiscriminatorIsTheWrongShape() {
        assertThat(rejected("{\"timestampMillis\":5}"))
                .satisfies(e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.WRONG_SHAPE))
                .hasMessage("missing field 'signal' (workload, system or inference)");
        assertThat(rejected("{\"signal\":\"gpu\",\"timestampMillis\":5}"))
                .satisfies(e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.WRONG_SHAPE))
                .hasMessage("unknown signal string \"gpu\" (expected workload, system or inference)");
        assertThat(rejected("{\"signal\":1,\"timestampMillis\":5}"))
                .satisfies(e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.WRONG_SHAPE))
                .hasMessage("field 'signal' must be a string (workload, system or inference), got number 1");
    }

    @Test
    void aFieldOfTheWrongTypeIsNamed() {
        assertThat(rejected("{\"signal\":\"workload\",\"timestampMillis\":5,\"statusCode\":\"500\"}"))
                .satisfies(e -> {
                    assertThat(e.reason()).isEqualTo(DeadLetterReason.WRONG_SHAPE);
                    assertThat(e.signal()).isEqualTo("workload");
                })
                .hasMessage("workload record: field 'statusCode' must be a 32-bit integer, got string \"500\"");
        assertThat(rejected("{\"signal\":\"workload\",\"timestampMillis\":5,\"contextSize\":1.5}"))
                .hasMessage("workload record: field 'contextSize' must be an integer, got number 1.5");
        assertThat(rejected("{\"signal\":\"workload\",\"timestampMillis\":5,\"statusCode\":4294967296}"))
                .hasMessage("workload record: field 'statusCode' must be a 32-bit integer, got number 4294967296");
        assertThat(rejected("{\"signal\":\"inference\",\"timestampMillis\":5,\"model\":7}"))
                .hasMessage("inference record: field 'model' must be a string, got number 7");
        assertThat(rejected("{\"signal\":\"inference\",\"timestampMillis\":5,\"durationMs\":\"slow\"}"))
                .hasMessage("inference record: field 'durationMs' must be a number, got string \"slow\"");
        assertThat(rejected("{\"signal\":\"system\",\"timestampMillis\":5,\"cpuPercentPerCore\":50}"))
                .hasMessage("system record: field 'cpuPercentPerCore' must be an array of numbers, got number 50");
        assertThat(rejected("{\"signal\":\"system\",\"timestampMillis\":5,\"cpuPercentPerCore\":[1,\"x\"]}"))
                .hasMessage("system record: field 'cpuPercentPerCore[1]' must be a number, got string \"x\"");
        assertThat(rejected("{\"signal\":\"system\",\"timestampMillis\":\"2026-01-01\"}"))
                .hasMessage("system record: field 'timestampMillis' must be an integer, got string \"2026-01-01\"");
    }

    @Test
    void aMissingOrZeroTimestampIsAMissingTimestamp() {
        assertThat(rejected("{\"signal\":\"system\",\"host\":\"h\"}"))
                .satisfies(e -> {
                    assertThat(e.reason()).isEqualTo(DeadLetterReason.MISSING_TIMESTAMP);
                    assertThat(e.signal()).isEqualTo("system");
                })
                .hasMessage("system record without timestampMillis");
        assertThat(rejected("{\"signal\":\"inference\",\"timestampMillis\":0}"))
                .satisfies(e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.MISSING_TIMESTAMP))
                .hasMessage("inference record without timestampMillis (it is 0)");
    }

    @Test
    void textThatIsNotJsonIsInvalidJson() {
        OtlpDecodeException e = rejected("signal=workload");

        assertThat(e.reason()).isEqualTo(DeadLetterReason.INVALID_JSON);
        assertThat(e.getMessage()).startsWith("JSON at line 1 column ");
        assertThat(rejected("").reason()).isEqualTo(DeadLetterReason.EMPTY_RECORD);
        assertThat(rejected("[]").reason()).isEqualTo(DeadLetterReason.WRONG_SHAPE);
    }

    @Test
    void onlySuiteRecordsEncode() {
        assertThatThrownBy(() -> SuiteRecordDecoder.encode("text"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("not a suite record: java.lang.String");
    }
}
