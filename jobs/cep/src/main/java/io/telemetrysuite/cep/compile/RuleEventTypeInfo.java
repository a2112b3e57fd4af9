package io.telemetrysuite.cep.compile;

import io.telemetrysuite.cep.rule.Signal;
import io.telemetrysuite.flink.SerializerTypeInfo;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Flink type information for {@link RuleEvent}, the record every rule shuffles and keeps in state:
 * a fixed layout written field by field, where the {@code PojoSerializer} would go through
 * reflection and a per-field null mask for each of the many RuleEvents an input event becomes.
 */
public final class RuleEventTypeInfo extends SerializerTypeInfo<RuleEvent> {
    private static final long serialVersionUID = 1L;

    /** Found through the {@code @TypeInfo} annotation on {@link RuleEvent}. */
    public static final class Factory extends TypeInfoFactory<RuleEvent> {
        @Override
        public TypeInformation<RuleEvent> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
            return new RuleEventTypeInfo();
        }
    }

    public RuleEventTypeInfo() {
        super(RuleEvent.class, Serializer.INSTANCE);
    }

    /**
     * Layout: key, timestamp, flags, value, signal ordinal (byte), extra count (-1: none) and the extra
     * values (a null value as a 0 marker byte, else 1 and the string). Any change to it must bump
     * {@link Snapshot}'s version: RuleEvents sit in the rules' state, so savepoints hold this format.
     */
    public static final class Serializer extends TypeSerializerSingleton<RuleEvent> {
        private static final long serialVersionUID = 1L;
        public static final Serializer INSTANCE = new Serializer();
        private static final Signal[] SIGNALS = Signal.values();

        @Override
        public boolean isImmutableType() {
            return false;
        }

        @Override
        public RuleEvent createInstance() {
            return new RuleEvent();
        }

        @Override
        public RuleEvent copy(RuleEvent from) {
            RuleEvent to = new RuleEvent();
            to.key = from.key;
            to.timestamp = from.timestamp;
            to.flags = from.flags;
            to.value = from.value;
            to.signal = from.signal;
            to.extra = from.extra == null ? null : from.extra.clone();
            return to;
        }

        @Override
        public RuleEvent copy(RuleEvent from, RuleEvent reuse) {
            return copy(from);
        }

        @Override
        public int getLength() {
            return -1;
        }

        @Override
        public void serialize(RuleEvent record, DataOutputView out) throws IOException {
            StringValue.writeString(record.key, out);
            out.writeLong(record.timestamp);
            out.writeInt(record.flags);
            out.writeDouble(record.value);
            out.writeByte(record.signal.ordinal());
            String[] extra = record.extra;
            if (extra == null) {
                out.writeInt(-1);
                return;
            }
            out.writeInt(extra.length);
            for (String v : extra) {
                out.writeBoolean(v != null);
                if (v != null) StringValue.writeString(v, out);
            }
        }

        @Override
        public RuleEvent deserialize(DataInputView in) throws IOException {
            RuleEvent record = new RuleEvent();
            record.key = StringValue.readString(in);
            record.timestamp = in.readLong();
            record.flags = in.readInt();
            record.value = in.readDouble();
            record.signal = SIGNALS[in.readByte()];
            int extra = in.readInt();
            if (extra >= 0) {
                record.extra = new String[extra];
                for (int i = 0; i < extra; i++) record.extra[i] = in.readBoolean() ? StringValue.readString(in) : null;
            }
            return record;
        }

        // Always a new instance: rule operators keep received events in state.
        @Override
        public RuleEvent deserialize(RuleEvent reuse, DataInputView in) throws IOException {
            return deserialize(in);
        }

        @Override
        public void copy(DataInputView source, DataOutputView target) throws IOException {
            serialize(deserialize(source), target);
        }

        @Override
        public TypeSerializerSnapshot<RuleEvent> snapshotConfiguration() {
            return new Snapshot();
        }

        /** No parameters: any snapshot of this version reads the format above. */
        public static final class Snapshot extends SimpleTypeSerializerSnapshot<RuleEvent> {
            public Snapshot() {
                super(() -> INSTANCE);
            }
        }
    }
}
