package io.telemetrysuite.traces.assembly;

import io.telemetrysuite.model.CriticalPathSection;
import io.telemetrysuite.model.Span;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A trace's critical path with the semantics of Jaeger UI's (TracePage/CriticalPath): the spans whose
 * own work the end of the trace waited on.
 *
 * <ol>
 *   <li>Children are clipped to their parent's (already clipped) range; a child wholly outside it is
 *       dropped with its whole subtree, as Jaeger does.
 *   <li>From the top span, walking backwards from its end: take the last-finishing child; the parent's
 *       time after that child's end is the parent's own section. Descend into the child and repeat.
 *   <li>A span without a (further) child finishing before the current point owns the time back to its
 *       start; then the walk returns to its parent at the span's start, where only children finishing
 *       strictly before that start may be taken next.
 * </ol>
 *
 * <p>Ties between children finishing at the same instant go to the one received first, so the result
 * is deterministic for a given span order. Zero-length sections are left out, as Jaeger does.
 *
 * <p>The path starts from the root span (no parent); with several parentless spans, from the one that
 * finishes last. When the root is missing it starts from the top-level span (one whose parent is not
 * in the trace) that finishes last: the fragment of the trace that ended it. Other top-level subtrees
 * are not on the path. Sections are returned in time order, earliest first (Jaeger lists them from
 * the end backwards).
 */
public final class CriticalPath {
    private CriticalPath() {}

    public static List<CriticalPathSection> of(List<Span> spans) {
        if (spans.isEmpty()) return List.of();
        Map<String, Integer> index = new HashMap<>(spans.size() * 2);
        for (int i = 0; i < spans.size(); i++) index.putIfAbsent(spans.get(i).spanId, i);

        int top = -1;
        boolean topIsRoot = false;
        for (int i = 0; i < spans.size(); i++) {
            Span s = spans.get(i);
            boolean root = s.isRoot();
            boolean topLevel = root || !index.containsKey(s.parentSpanId);
            if (!topLevel) continue;
            // A real root beats any orphan subtree; among equals, the last to finish, then the first received.
            if (top < 0 || (root && !topIsRoot) || (root == topIsRoot && s.endTimeUnixNano > spans.get(top).endTimeUnixNano)) {
                top = i;
                topIsRoot = root;
            }
        }
        if (top < 0) return List.of(); // a parent cycle without any top: nothing sensible to walk

        int n = spans.size();
        List<List<Integer>> children = new ArrayList<>(n);
        for (int i = 0; i < n; i++) children.add(new ArrayList<>(2));
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) {
            Span s = spans.get(i);
            Integer p = s.isRoot() ? null : index.get(s.parentSpanId);
            parent[i] = p == null || p == i ? -1 : p;
            if (parent[i] >= 0 && i != top) children.get(parent[i]).add(i);
        }
        parent[top] = -1;

        // Clip top-down from the top span (breadth first), so each child is clipped to its clipped parent.
        long[] start = new long[n];
        long[] end = new long[n];
        boolean[] kept = new boolean[n];
        start[top] = spans.get(top).startTimeUnixNano;
        end[top] = Math.max(start[top], spans.get(top).endTimeUnixNano);
        kept[top] = true;
        List<Integer> queue = new ArrayList<>();
        queue.add(top);
        for (int q = 0; q < queue.size(); q++) {
            int p = queue.get(q);
            List<Integer> keptChildren = new ArrayList<>(children.get(p).size());
            for (int c : children.get(p)) {
                if (kept[c]) continue; // a parent cycle
                Span s = spans.get(c);
                long cs = s.startTimeUnixNano;
                long ce = Math.max(cs, s.endTimeUnixNano);
                if (ce <= start[p] || cs >= end[p]) continue; // wholly outside: dropped with its subtree
                start[c] = Math.max(cs, start[p]);
                end[c] = Math.min(ce, end[p]);
                kept[c] = true;
                keptChildren.add(c);
                queue.add(c);
            }
            children.set(p, keptChildren);
        }

        List<CriticalPathSection> path = new ArrayList<>();
        int current = top;
        long until = end[top];
        boolean returning = false;
        while (true) {
            int lfc = -1;
            for (int c : children.get(current)) {
                if (returning ? end[c] >= until : end[c] > until) continue;
                if (lfc < 0 || end[c] > end[lfc]) lfc = c;
            }
            Span s = spans.get(current);
            if (lfc >= 0) {
                add(path, s, end[lfc], until);
                current = lfc;
                until = end[lfc];
                returning = false;
            } else {
                add(path, s, start[current], until);
                if (parent[current] < 0) break;
                until = start[current];
                current = parent[current];
                returning = true;
            }
        }
        Collections.reverse(path);
        return path;
    }

    private static void add(List<CriticalPathSection> path, Span span, long from, long to) {
        if (to > from) path.add(new CriticalPathSection(span.spanId, span.serviceName, span.name, to - from));
    }
}
