package io.telemetrysuite.cep.compile;

import static org.assertj.core.api.Assertions.assertThat;

import io.telemetrysuite.cep.rule.Rule;
import io.telemetrysuite.cep.rule.Signal;
import io.telemetrysuite.model.SystemSample;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** The compact {@link RuleEvent}: its own serializer (never the POJO one), and labels read back from its key. */
class RuleEventTest {
    @Test
    void serializesWithItsOwnSerializerAndRoundTrips() throws Exception {
        TypeSerializer<RuleEvent> serializer = TypeInformation.of(RuleEvent.class).createSerializer(new SerializerConfigImpl());
        assertThat(serializer).isSameAs(RuleEventTypeInfo.Serializer.INSTANCE);

        RuleEvent e = new RuleEvent();
        e.key = "\u001fhost-1\u001f";
        e.timestamp = 1_700_000_000_123L;
        e.flags = 5;
        e.value = 0.93;
        e.signal = Signal.SYSTEM;
        e.extra = new String[] {"payment", null};
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(e, out);
        RuleEvent back = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));

        assertThat(back).usingRecursiveComparison().isEqualTo(e);
        assertThat(back.extra).containsExactly("payment", null);
    }

    @Test
    void labelsComeBackFromTheKeyAndAMissingValueIsNoLabel() {
        Rule rule = new Rule();
        rule.by = List.of("host", "service.name", "tenant");
        SystemSample s = new SystemSample();
        s.host = "host-1";
        String key = RuleSelector.key(rule.by, Signal.SYSTEM, s);

        assertThat(Alerts.labels(rule, key)).containsExactly(Map.entry("host", "host-1"));
        assertThat(Alerts.labels(rule, "\u001fa\u001f\u001fc")).containsExactly(Map.entry("host", "a"), Map.entry("tenant", "c"));
        rule.by = List.of("host");
        assertThat(Alerts.labels(rule, RuleSelector.key(rule.by, Signal.SYSTEM, s))).containsExactly(Map.entry("host", "host-1"));
    }
}
