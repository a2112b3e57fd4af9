package io.telemetrysuite.otlp;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.telemetrysuite.model.DeadLetterReason;
import io.telemetrysuite.model.RawRecord.Encoding;
import io.telemetrysuite.model.Span;
import io.telemetrysuite.testing.OtlpFixtures;
import java.util.Arrays;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class OtlpDecoderTest {
    private static final String SPAN_PATH = "resourceSpans[0].scopeSpans[0].spans[0]";

    static OtlpDecodeException rejected(ThrowingCallable call) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).isInstanceOf(OtlpDecodeException.class);
        return (OtlpDecodeException) thrown;
    }

    /** A trace request with one span whose fields are the given JSON members. */
    static byte[] traceJson(String spanMembers) {
        return ("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{" + spanMembers + "}]}]}]}").getBytes(UTF_8);
    }

    @Nested
    class Sniffing {
        @Test
        void aLeadingBraceMeansJsonEvenAfterWhitespaceOrAByteOrderMark() {
            assertThat(OtlpDecoder.sniffEncoding("{\"resourceSpans\":[]}".getBytes(UTF_8), Encoding.OTLP_PROTO_TRACES)).isEqualTo(Encoding.JSON);
            assertThat(OtlpDecoder.sniffEncoding(" \t\r\n{}".getBytes(UTF_8), Encoding.OTLP_PROTO_TRACES)).isEqualTo(Encoding.JSON);
            assertThat(OtlpDecoder.sniffEncoding("\uFEFF{}".getBytes(UTF_8), Encoding.OTLP_PROTO_LOGS)).isEqualTo(Encoding.JSON);
        }

        @Test
        void anythingElseIsProtobufOfTheSignalTheOriginNames() {
            byte[] proto = OtlpFixtures.traceRequestProto(OtlpFixtures.richSpans());

            assertThat(OtlpDecoder.sniffEncoding(proto, Encoding.OTLP_PROTO_TRACES)).isEqualTo(Encoding.OTLP_PROTO_TRACES);
            assertThat(OtlpDecoder.sniffEncoding("hello".getBytes(UTF_8), Encoding.OTLP_PROTO_METRICS)).isEqualTo(Encoding.OTLP_PROTO_METRICS);
        }

        @Test
        void blankPayloadsGoToJsonWhichReportsThemEmpty() {
            assertThat(OtlpDecoder.sniffEncoding(new byte[0], Encoding.OTLP_PROTO_TRACES)).isEqualTo(Encoding.JSON);
            assertThat(rejected(() -> OtlpDecoder.decodeJson(" \n".getBytes(UTF_8))).reason()).isEqualTo(DeadLetterReason.EMPTY_RECORD);
        }

        @Test
        void protobufWhoseFirstEntryIs123BytesLongIsNotMistakenForJsonAfterANewline() throws Exception {
            // Tag 0x0A (a JSON newline) and length 0x7B (a JSON '{'): looks like "\n{" to a naive sniffer.
            ResourceSpans entry = ResourceSpans.newBuilder().setSchemaUrl("x".repeat(121)).build();
            byte[] proto = ExportTraceServiceRequest.newBuilder().addResourceSpans(entry).addResourceSpans(entry).build().toByteArray();
            assertThat(Arrays.copyOf(proto, 2)).containsExactly('\n', '{');

            assertThat(OtlpDecoder.sniffEncoding(proto, Encoding.OTLP_PROTO_TRACES)).isEqualTo(Encoding.OTLP_PROTO_TRACES);
            assertThat(OtlpDecoder.decodeTraces(proto).getResourceSpansCount()).isEqualTo(2);
            assertThat(OtlpDecoder.sniffEncoding("\n{\"resourceSpans\":[]}".getBytes(UTF_8), Encoding.OTLP_PROTO_TRACES))
                    .isEqualTo(Encoding.JSON);
        }
    }

    @Nested
    class Protobuf {
        @Test
        void aTruncatedRequestIsUndecodableWithProtobufsOwnExplanation() {
            byte[] proto = OtlpFixtures.traceRequestProto(OtlpFixtures.richSpans());
            byte[] truncated = Arrays.copyOf(proto, proto.length / 2);

            OtlpDecodeException e = rejected(() -> OtlpDecoder.decodeProto(truncated, Encoding.OTLP_PROTO_TRACES));

            assertThat(e.reason()).isEqualTo(DeadLetterReason.UNDECODABLE_PROTOBUF);
            assertThat(e.signal()).isEqualTo("span");
            assertThat(e.getMessage())
                    .startsWith("truncated protobuf: While parsing a protocol message, the input ended unexpectedly")
                    .endsWith("(" + truncated.length + " bytes read as OTLP traces)");
        }

        @Test
        void corruptBytesAreUndecodable() {
            OtlpDecodeException e = rejected(() -> OtlpDecoder.decodeMetrics(new byte[] {0x00, 0x01}));

            assertThat(e.reason()).isEqualTo(DeadLetterReason.UNDECODABLE_PROTOBUF);
            assertThat(e.signal()).isEqualTo("metric");
            assertThat(e.getMessage()).startsWith("corrupt protobuf: Protocol message contained an invalid tag (zero).");
        }

        @Test
        void anEmptyPayloadIsAnEmptyRecord() {
            OtlpDecodeException e = rejected(() -> OtlpDecoder.decodeLogs(new byte[0]));

            assertThat(e.reason()).isEqualTo(DeadLetterReason.EMPTY_RECORD);
            assertThat(e.getMessage()).isEqualTo("empty payload (0 bytes)");
        }

        @Test
        void eachSignalDecodesToItsRequestType() throws Exception {
            assertThat(OtlpDecoder.decodeProto(OtlpFixtures.metricsRequestProto(OtlpFixtures.richMetrics()), Encoding.OTLP_PROTO_METRICS))
                    .isInstanceOf(ExportMetricsServiceRequest.class);
            assertThat(OtlpDecoder.decodeProto(OtlpFixtures.logsRequestProto(OtlpFixtures.richLogs()), Encoding.OTLP_PROTO_LOGS))
                    .isInstanceOf(ExportLogsServiceRequest.class);
            assertThatThrownBy(() -> OtlpDecoder.decodeProto(new byte[1], Encoding.JSON))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("not a protobuf encoding: json");
        }
    }

    @Nested
    class Json {
        @Test
        void handWrittenOtlpJsonWithEnumNamesNumbersUnknownFieldsAndProtoNamesDecodes() throws Exception {
            String json = "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"cart\"}}]},"
                    + "\"scopeSpans\":[{\"scope\":{\"name\":\"s\",\"version\":\"9\"},\"spans\":[{"
                    + "\"traceId\":\"5B8EFFF798038103D269B633813FC60C\",\"spanId\":\"eee19b7ec3c1b174\",\"parentSpanId\":\"\","
                    + "\"name\":\"op\",\"kind\":\"SPAN_KIND_CLIENT\",\"startTimeUnixNano\":1544712660000000000,"
                    + "\"endTimeUnixNano\":\"1544712661000000000\",\"status\":{\"code\":\"STATUS_CODE_ERROR\"},"
                    + "\"attributes\":[{\"key\":\"n\",\"value\":{\"intValue\":\"9007199254740993\"}}],"
                    + "\"futureField\":{\"x\":[1,2]},"
                    + "\"links\":[{\"trace_id\":\"0102030405060708090a0b0c0d0e0f10\",\"span_id\":\"0102030405060708\"}]},"
                    + "{\"traceId\":\"5b8efff798038103d269b633813fc60c\",\"spanId\":\"eee19b7ec3c1b175\",\"name\":\"child\",\"kind\":2}"
                    + "]}]}],\"somethingNew\":true}";

            ExportTraceServiceRequest request = (ExportTraceServiceRequest) OtlpDecoder.decodeJson(json.getBytes(UTF_8));
            var rs = request.getResourceSpans(0);
            Span first = OtlpMapper.toSpan(rs.getResource(), rs.getScopeSpans(0).getScope(), rs.getScopeSpans(0).getSpans(0));
            Span second = OtlpMapper.toSpan(rs.getResource(), rs.getScopeSpans(0).getScope(), rs.getScopeSpans(0).getSpans(1));

            assertThat(first.traceId).isEqualTo("5b8efff798038103d269b633813fc60c");
            assertThat(first.spanId).isEqualTo("eee19b7ec3c1b174");
            assertThat(first.isRoot()).isTrue();
            assertThat(first.kind).isEqualTo("CLIENT");
            assertThat(first.statusCode).isEqualTo("ERROR");
            assertThat(first.startTimeUnixNano).isEqualTo(1544712660000000000L);
            assertThat(first.endTimeUnixNano).isEqualTo(1544712661000000000L);
            assertThat(first.attributes).containsEntry("n", "9007199254740993");
            assertThat(first.serviceName).isEqualTo("cart");
            assertThat(first.links).singleElement().satisfies(link -> {
                assertThat(link.traceId).isEqualTo("0102030405060708090a0b0c0d0e0f10");
                assertThat(link.spanId).isEqualTo("0102030405060708");
            });
            assertThat(second.kind).isEqualTo("SERVER");
            assertThat(OtlpDecoder.signalOf(request)).isEqualTo("span");
        }

        @Test
        void textThatIsNotJsonIsInvalidJsonWithLineAndColumn() {
            OtlpDecodeException e = rejected(() -> OtlpDecoder.decodeJson("{\"resourceSpans\": [}".getBytes(UTF_8)));

            assertThat(e.reason()).isEqualTo(DeadLetterReason.INVALID_JSON);
            assertThat(e.signal()).isEqualTo("unknown");
            assertThat(e.getMessage()).startsWith("JSON at line 1 column 20: Unexpected close marker '}'");

            assertThat(rejected(() -> OtlpDecoder.decodeJson("hello".getBytes(UTF_8))).getMessage())
                    .startsWith("JSON at line 1 column 1: Unrecognized token 'hello'");
        }

        @Test
        void anythingAfterTheObjectIsInvalidJson() {
            OtlpDecodeException e = rejected(() -> OtlpDecoder.decodeJson("{\"resourceSpans\":[]} {}".getBytes(UTF_8)));

            assertThat(e.reason()).isEqualTo(DeadLetterReason.INVALID_JSON);
            assertThat(e.getMessage()).contains("Trailing token");
        }

        @Test
        void jsonThatIsNotAnOtlpRequestHasTheWrongShape() {
            assertThat(rejected(() -> OtlpDecoder.decodeJson("[1,2]".getBytes(UTF_8))))
                    .satisfies(e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.WRONG_SHAPE))
                    .hasMessage("expected a JSON object, got array: [1,2]");
            assertThat(rejected(() -> OtlpDecoder.decodeJson("{\"foo\":1,\"bar\":2}".getBytes(UTF_8))))
                    .satisfies(e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.WRONG_SHAPE))
                    .hasMessage("not an OTLP request: no top-level resourceSpans, resourceMetrics or resourceLogs (fields: [foo, bar])");
            assertThat(rejected(() -> OtlpDecoder.decodeJson("{\"resourceSpans\":[],\"resourceLogs\":[]}".getBytes(UTF_8))))
                    .satisfies(e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.WRONG_SHAPE))
                    .hasMessageStartingWith("OTLP request mixes signals: [resourceSpans, resourceLogs]");
        }

        @Test
        void aFieldOfTheWrongTypeHasTheWrongShape() {
            OtlpDecodeException notAnArray = rejected(() -> OtlpDecoder.decodeJson("{\"resourceSpans\":{\"a\":1}}".getBytes(UTF_8)));
            OtlpDecodeException notANumber = rejected(() -> OtlpDecoder.decodeJson(traceJson("\"startTimeUnixNano\":\"yesterday\"")));
            OtlpDecodeException numericId = rejected(() -> OtlpDecoder.decodeJson(traceJson("\"traceId\":12")));

            assertThat(notAnArray.reason()).isEqualTo(DeadLetterReason.WRONG_SHAPE);
            assertThat(notAnArray.getMessage()).startsWith("OTLP JSON traces with a field of the wrong type: ");
            assertThat(notANumber.reason()).isEqualTo(DeadLetterReason.WRONG_SHAPE);
            assertThat(notANumber.signal()).isEqualTo("span");
            assertThat(notANumber.getMessage()).contains("yesterday");
            assertThat(numericId.reason()).isEqualTo(DeadLetterReason.WRONG_SHAPE);
            assertThat(numericId.getMessage()).isEqualTo(SPAN_PATH + ".traceId must be a hex string, got number 12");
        }

        @Test
        void aTraceIdThatIsNotHexIsAnInvalidTraceIdNamingWhereAndWhy() {
            OtlpDecodeException e = rejected(() -> OtlpDecoder.decodeJson(traceJson("\"traceId\":\"5b8efff798038103d269b633813fc6zz\"")));

            assertThat(e.reason()).isEqualTo(DeadLetterReason.INVALID_TRACE_ID);
            assertThat(e.signal()).isEqualTo("span");
            assertThat(e.getMessage()).isEqualTo(SPAN_PATH
                    + ".traceId \"5b8efff798038103d269b633813fc6zz\" is not a hex id: 'z' at index 30 is not a hex digit");
        }

        @Test
        void aBase64IdIsRejectedNotSilentlyAccepted() {
            OtlpDecodeException e = rejected(() -> OtlpDecoder.decodeJson(traceJson("\"trace_id\":\"W47/95gDgQPSabYzgT/GBA==\"")));

            assertThat(e.reason()).isEqualTo(DeadLetterReason.INVALID_TRACE_ID);
            assertThat(e.getMessage()).startsWith(SPAN_PATH + ".trace_id \"W47/95gDgQPSabYzgT/GBA==\" is not a hex id");
        }

        @Test
        void spanAndParentAndLinkIdsThatAreNotHexAreInvalidSpanIds() {
            OtlpDecodeException odd = rejected(() -> OtlpDecoder.decodeJson(traceJson("\"spanId\":\"eee19b7ec3c1b17\"")));
            OtlpDecodeException parent = rejected(() -> OtlpDecoder.decodeJson(traceJson("\"parentSpanId\":\"not-hex!\"")));
            OtlpDecodeException link = rejected(() -> OtlpDecoder.decodeJson(traceJson(
                    "\"links\":[{\"traceId\":\"5b8efff798038103d269b633813fc60c\",\"spanId\":\"xyz\"}]")));

            assertThat(odd.reason()).isEqualTo(DeadLetterReason.INVALID_SPAN_ID);
            assertThat(odd.getMessage()).endsWith(".spanId \"eee19b7ec3c1b17\" is not a hex id: odd number of hex digits (15)");
            assertThat(parent.reason()).isEqualTo(DeadLetterReason.INVALID_SPAN_ID);
            assertThat(parent.getMessage()).startsWith(SPAN_PATH + ".parentSpanId");
            assertThat(link.reason()).isEqualTo(DeadLetterReason.INVALID_SPAN_ID);
            assertThat(link.getMessage()).startsWith(SPAN_PATH + ".links[0].spanId");
        }

        @Test
        void logAndExemplarIdsAreCheckedToo() {
            OtlpDecodeException log = rejected(() -> OtlpDecoder.decodeJson(("{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":"
                    + "[{},{\"spanId\":\"00f067aa0ba902bg\"}]}]}]}").getBytes(UTF_8)));
            OtlpDecodeException exemplar = rejected(() -> OtlpDecoder.decodeJson(("{\"resourceMetrics\":[{\"scopeMetrics\":[{\"metrics\":"
                    + "[{\"name\":\"m\",\"sum\":{\"dataPoints\":[{\"asInt\":\"1\",\"exemplars\":[{\"traceId\":\"q\"}]}]}}]}]}]}").getBytes(UTF_8)));

            assertThat(log.reason()).isEqualTo(DeadLetterReason.INVALID_SPAN_ID);
            assertThat(log.signal()).isEqualTo("log");
            assertThat(log.getMessage()).startsWith("resourceLogs[0].scopeLogs[0].logRecords[1].spanId");
            assertThat(exemplar.reason()).isEqualTo(DeadLetterReason.INVALID_TRACE_ID);
            assertThat(exemplar.signal()).isEqualTo("metric");
            assertThat(exemplar.getMessage())
                    .startsWith("resourceMetrics[0].scopeMetrics[0].metrics[0].sum.dataPoints[0].exemplars[0].traceId \"q\"");
        }

        @Test
        void exemplarHexIdsArriveAsTheirBytes() throws Exception {
            ExportMetricsServiceRequest request = (ExportMetricsServiceRequest) OtlpDecoder.decodeJson(("{\"resourceMetrics\":[{\"scopeMetrics\":"
                    + "[{\"metrics\":[{\"name\":\"m\",\"histogram\":{\"aggregationTemporality\":1,\"dataPoints\":[{\"count\":\"1\","
                    + "\"exemplars\":[{\"asDouble\":0.5,\"traceId\":\"5b8efff798038103d269b633813fc60c\",\"spanId\":\"eee19b7ec3c1b174\"}]}]}}]}]}]}")
                    .getBytes(UTF_8));

            var exemplar = request.getResourceMetrics(0).getScopeMetrics(0).getMetrics(0).getHistogram().getDataPoints(0).getExemplars(0);
            assertThat(Hex.encode(exemplar.getTraceId())).isEqualTo("5b8efff798038103d269b633813fc60c");
            assertThat(Hex.encode(exemplar.getSpanId())).isEqualTo("eee19b7ec3c1b174");
        }
    }
}
