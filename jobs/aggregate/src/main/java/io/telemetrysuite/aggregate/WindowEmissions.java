package io.telemetrysuite.aggregate;

import java.io.IOException;
import org.apache.flink.api.common.state.KeyedStateStore;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * Remembers, per key and window, whether the window was already emitted, so a firing caused by a
 * late event is marked {@code update = true}. The watermark alone cannot tell: it is past the window's
 * end at the first firing as well.
 */
public final class WindowEmissions {
    private static final ValueStateDescriptor<Boolean> EMITTED = new ValueStateDescriptor<>("emitted", Types.BOOLEAN);

    private WindowEmissions() {}

    /** True when this window fired before; records that it has fired now. */
    public static boolean emittedBefore(KeyedStateStore windowState) throws IOException {
        ValueState<Boolean> emitted = windowState.getState(EMITTED);
        boolean before = emitted.value() != null;
        emitted.update(Boolean.TRUE);
        return before;
    }

    /** Called when the window is purged (its lateness is over), so the flag does not outlive it. */
    public static void clear(KeyedStateStore windowState) {
        windowState.getState(EMITTED).clear();
    }
}
