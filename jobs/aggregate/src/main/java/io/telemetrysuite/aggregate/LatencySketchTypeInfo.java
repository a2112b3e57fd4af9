package io.telemetrysuite.aggregate;

import io.telemetrysuite.flink.SerializerTypeInfo;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink type information for {@link LatencySketch}: the sketch travels and sits in state as its own
 * compact serialization (length-prefixed), which is stable across DataSketches versions. Without
 * this, the window accumulator would need Kryo, which the jobs disable.
 */
public final class LatencySketchTypeInfo extends SerializerTypeInfo<LatencySketch> {
    private static final long serialVersionUID = 1L;

    /** Found through the {@code @TypeInfo} annotation on {@link LatencySketch}. */
    public static final class Factory extends TypeInfoFactory<LatencySketch> {
        @Override
        public TypeInformation<LatencySketch> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
            return new LatencySketchTypeInfo();
        }
    }

    public LatencySketchTypeInfo() {
        super(LatencySketch.class, Serializer.INSTANCE);
    }

    /** Length-prefixed sketch bytes; the sketch is mutable, so copies go through the bytes too. */
    public static final class Serializer extends TypeSerializerSingleton<LatencySketch> {
        private static final long serialVersionUID = 1L;
        public static final Serializer INSTANCE = new Serializer();

        @Override
        public boolean isImmutableType() {
            return false;
        }

        @Override
        public LatencySketch createInstance() {
            return LatencySketch.create(AggregateConfig.DEFAULT_KLL_K);
        }

        @Override
        public LatencySketch copy(LatencySketch from) {
            return from.copy();
        }

        @Override
        public LatencySketch copy(LatencySketch from, LatencySketch reuse) {
            return from.copy();
        }

        @Override
        public int getLength() {
            return -1;
        }

        @Override
        public void serialize(LatencySketch record, DataOutputView target) throws IOException {
            byte[] bytes = record.toBytes();
            target.writeInt(bytes.length);
            target.write(bytes);
        }

        @Override
        public LatencySketch deserialize(DataInputView source) throws IOException {
            byte[] bytes = new byte[source.readInt()];
            source.readFully(bytes);
            return LatencySketch.fromBytes(bytes);
        }

        @Override
        public LatencySketch deserialize(LatencySketch reuse, DataInputView source) throws IOException {
            return deserialize(source);
        }

        @Override
        public void copy(DataInputView source, DataOutputView target) throws IOException {
            int length = source.readInt();
            target.writeInt(length);
            target.write(source, length);
        }

        @Override
        public TypeSerializerSnapshot<LatencySketch> snapshotConfiguration() {
            return new Snapshot();
        }

        /** No configuration to snapshot: the format is the sketch's own. */
        public static final class Snapshot extends SimpleTypeSerializerSnapshot<LatencySketch> {
            public Snapshot() {
                super(() -> INSTANCE);
            }
        }
    }
}
