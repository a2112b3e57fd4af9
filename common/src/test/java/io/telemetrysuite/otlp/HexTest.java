package io.telemetrysuite.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

class HexTest {
    @Test
    void encodesLowercaseAndDecodesEitherCase() {
        byte[] bytes = {0x00, 0x0f, (byte) 0xab, (byte) 0xff};

        assertThat(Hex.encode(ByteString.copyFrom(bytes))).isEqualTo("000fabff");
        assertThat(Hex.decode("000fabff")).containsExactly(bytes);
        assertThat(Hex.decode("000FABFF")).containsExactly(bytes);
    }

    @Test
    void emptyBytesAreTheEmptyString() {
        assertThat(Hex.encode(ByteString.EMPTY)).isEmpty();
        assertThat(Hex.decode("")).isEmpty();
    }

    @Test
    void decodingNamesTheOffendingCharacterOrLength() {
        assertThatThrownBy(() -> Hex.decode("0g")).hasMessage("'g' at index 1 is not a hex digit");
        assertThatThrownBy(() -> Hex.decode("abc")).hasMessage("odd number of hex digits (3)");
        assertThatThrownBy(() -> Hex.decode("é0")).hasMessage("'é' at index 0 is not a hex digit");
    }

    @Test
    void validIdsHaveTheirLengthAndAreNotAllZero() {
        assertThat(Hex.isValidTraceId(ByteString.copyFrom(Hex.decode("4bf92f3577b34da6a3ce929d0e0e4736")))).isTrue();
        assertThat(Hex.isValidTraceId(ByteString.copyFrom(new byte[16]))).isFalse();
        assertThat(Hex.isValidTraceId(ByteString.copyFrom(Hex.decode("00f067aa0ba902b7")))).isFalse();
        assertThat(Hex.isValidSpanId(ByteString.copyFrom(Hex.decode("00f067aa0ba902b7")))).isTrue();
        assertThat(Hex.isValidSpanId(ByteString.copyFrom(new byte[8]))).isFalse();
        assertThat(Hex.isValidSpanId(ByteString.EMPTY)).isFalse();
    }
}
