package io.telemetrysuite.ingest.validate;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.List;

/**
 * A reusable key → value table over one item's OTLP attributes, so that each rule finds its attribute
 * in one probe instead of a scan of the list. Open addressing over arrays that are cleared slot by slot
 * and only grow: after warm-up, indexing an item allocates nothing. Later duplicates of a key win, as
 * they do when attributes are copied into a map. Not thread-safe; one per validator.
 */
final class AttributeIndex {
    private String[] keys = new String[64];
    private AnyValue[] values = new AnyValue[64];
    /** Slots in use, so clearing touches only those. */
    private int[] used = new int[32];
    private int size;

    void index(List<KeyValue> attributes) {
        clear();
        int n = attributes.size();
        if (n * 2 > keys.length) grow(n);
        for (int i = 0; i < n; i++) {
            KeyValue kv = attributes.get(i);
            put(kv.getKey(), kv.getValue());
        }
    }

    AnyValue get(String key) {
        int mask = keys.length - 1;
        for (int slot = key.hashCode() & mask; ; slot = (slot + 1) & mask) {
            String k = keys[slot];
            if (k == null) return null;
            if (k == key || k.equals(key)) return values[slot];
        }
    }

    private void put(String key, AnyValue value) {
        int mask = keys.length - 1;
        int slot = key.hashCode() & mask;
        while (keys[slot] != null && !keys[slot].equals(key)) slot = (slot + 1) & mask;
        if (keys[slot] == null) {
            keys[slot] = key;
            used[size++] = slot;
        }
        values[slot] = value;
    }

    private void clear() {
        for (int i = 0; i < size; i++) {
            keys[used[i]] = null;
            values[used[i]] = null;
        }
        size = 0;
    }

    /** Keeps the load factor at or under one half for {@code n} keys. */
    private void grow(int n) {
        int capacity = Integer.highestOneBit(n * 2 - 1) << 1;
        keys = new String[capacity];
        values = new AnyValue[capacity];
        used = new int[capacity];
    }
}
