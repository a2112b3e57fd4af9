package io.telemetrysuite.traces.assembly;

import static org.assertj.core.api.Assertions.assertThat;

import io.telemetrysuite.model.CriticalPathSection;
import io.telemetrysuite.model.Span;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CriticalPathTest {
    private static final long MS = 1_000_000L;

    @Test
    void walksBackFromTheLastFinishingChildAndTakesEarlierSiblingsOnTheWayBack() {
        // |--------------A 0..100---------------|
        //    |--B 10..40--|   |--C 50..90--|
        //                       |-D 60..70-|
        List<Span> spans = List.of(span("a", "", 0, 100), span("b", "a", 10, 40), span("c", "a", 50, 90), span("d", "c", 60, 70));
        assertThat(render(CriticalPath.of(spans))).containsExactly("a=10", "b=30", "a=10", "c=10", "d=10", "c=20", "a=10");
    }

    @Test
    void clipsChildrenToTheirParentAndDropsThoseWhollyOutside() {
        // B starts before A and ends inside it; C runs past A's end; E lies wholly after A, with its child F.
        List<Span> spans = List.of(span("a", "", 100, 200), span("b", "a", 50, 120), span("c", "a", 150, 260),
                span("e", "a", 210, 300), span("f", "e", 220, 230));
        assertThat(render(CriticalPath.of(spans))).containsExactly("b=20", "a=30", "c=50");
    }

    @Test
    void withoutARootStartsFromTheTopLevelSpanThatFinishesLast() {
        // Root "r" never arrived: "x" (ends 80) and "y" (ends 95) hang off it; the path is y's subtree only.
        List<Span> spans = List.of(span("x", "r", 0, 80), span("y", "r", 20, 95), span("z", "y", 30, 60));
        assertThat(render(CriticalPath.of(spans))).containsExactly("y=10", "z=30", "y=35");
    }

    @Test
    void matchesABruteForceWalkOn200RandomTraces() {
        Random random = new Random(42);
        for (int t = 0; t < 200; t++) {
            List<Span> spans = randomTrace(random, 1 + random.nextInt(40));
            List<CriticalPathSection> path = CriticalPath.of(spans);
            assertThat(render(path)).as("trace %d: %s", t, spans).containsExactlyElementsOf(render(bruteForce(spans)));
            // The sections tile the root's range: their self times add up to its duration.
            Span root = spans.get(0);
            assertThat(path.stream().mapToLong(s -> s.selfNanos).sum()).isEqualTo(root.endTimeUnixNano - root.startTimeUnixNano);
        }
    }

    /** A root over 0..1000 ms and children that overlap, start before, end after, or lie wholly outside their parent. */
    private static List<Span> randomTrace(Random random, int size) {
        List<Span> spans = new ArrayList<>();
        spans.add(span("s0", "", 0, 1000));
        for (int i = 1; i < size; i++) {
            Span parent = spans.get(random.nextInt(i));
            long ps = parent.startTimeUnixNano / MS;
            long pe = parent.endTimeUnixNano / MS;
            long width = Math.max(1, pe - ps);
            long start = ps - width / 4 + random.nextInt((int) (width + width / 2));
            long end = start + random.nextInt((int) Math.max(1, width)) + (random.nextInt(10) == 0 ? 0 : 1);
            spans.add(span("s" + i, parent.spanId, start, end));
        }
        List<Span> shuffled = new ArrayList<>(spans.subList(1, spans.size()));
        Collections.shuffle(shuffled, random);
        shuffled.add(0, spans.get(0));
        return shuffled;
    }

    /**
     * Jaeger's recursive definition written out naively, independent of the implementation: clipping
     * by recursing to the root for every span, children found by scanning every span, each step
     * recursive; sections collected from the end backwards.
     */
    private static List<CriticalPathSection> bruteForce(List<Span> spans) {
        List<CriticalPathSection> sections = new ArrayList<>();
        walk(spans, spans.get(0), null, sections);
        Collections.reverse(sections);
        return sections;
    }

    private static void walk(List<Span> spans, Span current, Long returningStart, List<CriticalPathSection> sections) {
        long[] range = clipped(spans, current);
        long until = returningStart != null ? returningStart : range[1];
        List<Span> children = new ArrayList<>();
        for (Span s : spans) {
            if (s.parentSpanId.equals(current.spanId) && clipped(spans, s) != null) children.add(s);
        }
        // Last finishing first; equal ends keep arrival order (stable sort).
        children.sort(Comparator.comparingLong((Span s) -> clipped(spans, s)[1]).reversed());
        Span lfc = null;
        for (Span c : children) {
            long end = clipped(spans, c)[1];
            if (returningStart == null ? end <= until : end < until) {
                lfc = c;
                break;
            }
        }
        if (lfc != null) {
            long from = clipped(spans, lfc)[1];
            if (until > from) sections.add(new CriticalPathSection(current.spanId, current.serviceName, current.name, until - from));
            walk(spans, lfc, null, sections);
        } else {
            if (until > range[0]) sections.add(new CriticalPathSection(current.spanId, current.serviceName, current.name, until - range[0]));
            if (!current.parentSpanId.isEmpty()) {
                Span parent = spans.stream().filter(s -> s.spanId.equals(current.parentSpanId)).findFirst().orElseThrow();
                walk(spans, parent, range[0], sections);
            }
        }
    }

    /** A span's range clipped to its ancestors' clipped ranges; null when it, or an ancestor, lies wholly outside its parent. */
    private static long[] clipped(List<Span> spans, Span span) {
        long start = span.startTimeUnixNano;
        long end = Math.max(start, span.endTimeUnixNano);
        if (span.parentSpanId.isEmpty()) return new long[] {start, end};
        Span parent = spans.stream().filter(s -> s.spanId.equals(span.parentSpanId)).findFirst().orElseThrow();
        long[] p = clipped(spans, parent);
        if (p == null || end <= p[0] || start >= p[1]) return null;
        return new long[] {Math.max(start, p[0]), Math.min(end, p[1])};
    }

    private static Span span(String id, String parent, long startMs, long endMs) {
        Span s = new Span();
        s.traceId = "t";
        s.spanId = id;
        s.parentSpanId = parent;
        s.name = "op-" + id;
        s.serviceName = "svc";
        s.startTimeUnixNano = startMs * MS;
        s.endTimeUnixNano = endMs * MS;
        return s;
    }

    private static List<String> render(List<CriticalPathSection> path) {
        return path.stream().map(s -> s.spanId + "=" + s.selfNanos / MS).toList();
    }
}
