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

/** Flink type information for {@link GroupEvent}: a hand-written serializer, as {@link RuleEventTypeInfo}. */
public final class GroupEventTypeInfo extends SerializerTypeInfo<GroupEvent> {
    private static final long serialVersionUID = 1L;

    /** Found through the {@code @TypeInfo} annotation on {@link GroupEvent}. */
    public static final class Factory extends TypeInfoFactory<GroupEvent> {
        @Override
        public TypeInformation<GroupEvent> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
            return new GroupEventTypeInfo();
        }
    }

    public GroupEventTypeInfo() {
        super(GroupEvent.class, Serializer.INSTANCE);
    }

    /**
     * Layout: key, timestamp, rule count, then per rule its id and whether it selected the event, and if
     * so its flags, value, signal ordinal and extra values (as {@link RuleEventTypeInfo.Serializer}, without
     * the key and timestamp it shares). Any change must bump {@link Snapshot}'s version: pending events
     * sit in state.
     */
    public static final class Serializer extends TypeSerializerSingleton<GroupEvent> {
        private static final long serialVersionUID = 1L;
        public static final Serializer INSTANCE = new Serializer();
        private static final Signal[] SIGNALS = Signal.values();

        @Override
        public boolean isImmutableType() {
            return false;
        }

        @Override
        public GroupEvent createInstance() {
            return new GroupEvent();
        }

        @Override
        public GroupEvent copy(GroupEvent from) {
            GroupEvent to = new GroupEvent();
            to.key = from.key;
            to.timestamp = from.timestamp;
            to.ruleIds = from.ruleIds;
            to.events = new RuleEvent[from.events.length];
            for (int i = 0; i < to.events.length; i++) {
                if (from.events[i] != null) to.events[i] = RuleEventTypeInfo.Serializer.INSTANCE.copy(from.events[i]);
            }
            return to;
        }

        @Override
        public GroupEvent copy(GroupEvent from, GroupEvent reuse) {
            return copy(from);
        }

        @Override
        public int getLength() {
            return -1;
        }

        @Override
        public void serialize(GroupEvent record, DataOutputView out) throws IOException {
            StringValue.writeString(record.key, out);
            out.writeLong(record.timestamp);
            out.writeInt(record.events.length);
            for (int i = 0; i < record.events.length; i++) {
                StringValue.writeString(record.ruleIds[i], out);
                RuleEvent e = record.events[i];
                out.writeBoolean(e != null);
                if (e == null) continue;
                out.writeInt(e.flags);
                out.writeDouble(e.value);
                out.writeByte(e.signal.ordinal());
                if (e.extra == null) {
                    out.writeInt(-1);
                    continue;
                }
                out.writeInt(e.extra.length);
                for (String v : e.extra) {
                    out.writeBoolean(v != null);
                    if (v != null) StringValue.writeString(v, out);
                }
            }
        }

        @Override
        public GroupEvent deserialize(DataInputView in) throws IOException {
            GroupEvent record = new GroupEvent();
            record.key = StringValue.readString(in);
            record.timestamp = in.readLong();
            int n = in.readInt();
            record.ruleIds = new String[n];
            record.events = new RuleEvent[n];
            for (int i = 0; i < n; i++) {
                record.ruleIds[i] = StringValue.readString(in);
                if (!in.readBoolean()) continue;
                RuleEvent e = new RuleEvent();
                e.key = record.key;
                e.timestamp = record.timestamp;
                e.flags = in.readInt();
                e.value = in.readDouble();
                e.signal = SIGNALS[in.readByte()];
                int extra = in.readInt();
                if (extra >= 0) {
                    e.extra = new String[extra];
                    for (int j = 0; j < extra; j++) e.extra[j] = in.readBoolean() ? StringValue.readString(in) : null;
                }
                record.events[i] = e;
            }
            return record;
        }

        // Always a new instance: the operator keeps received events in state.
        @Override
        public GroupEvent deserialize(GroupEvent reuse, DataInputView in) throws IOException {
            return deserialize(in);
        }

        @Override
        public void copy(DataInputView source, DataOutputView target) throws IOException {
            serialize(deserialize(source), target);
        }

        @Override
        public TypeSerializerSnapshot<GroupEvent> snapshotConfiguration() {
            return new Snapshot();
        }

        /** No parameters: any snapshot of this version reads the format above. */
        public static final class Snapshot extends SimpleTypeSerializerSnapshot<GroupEvent> {
            public Snapshot() {
                super(() -> INSTANCE);
            }
        }
    }
}
