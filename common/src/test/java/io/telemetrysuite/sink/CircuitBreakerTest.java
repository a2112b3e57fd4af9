package io.telemetrysuite.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.telemetrysuite.sink.CircuitBreaker.State;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The breaker's state machine on a clock the test moves by hand. */
class CircuitBreakerTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final CircuitBreaker breaker = new CircuitBreaker(3, Duration.ofMillis(100), Duration.ofMillis(350), now::get);

    @Test
    void opensAfterThresholdFailuresInARowAndNotBefore() {
        breaker.recordFailure();
        breaker.recordFailure();
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        assertThat(breaker.allowRequest()).isTrue();

        breaker.recordFailure();

        assertThat(breaker.state()).isEqualTo(State.OPEN);
        assertThat(breaker.allowRequest()).isFalse();
        assertThat(breaker.millisUntilAllowed()).isEqualTo(100);
        assertThat(breaker.openings()).isEqualTo(1);
        assertThat(breaker.failures()).isEqualTo(3);
    }

    @Test
    void aSuccessInBetweenResetsTheCount() {
        breaker.recordFailure();
        breaker.recordFailure();
        assertThat(breaker.recordSuccess()).as("closed all along: no recovery").isFalse();
        breaker.recordFailure();
        breaker.recordFailure();
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        assertThat(breaker.openings()).isZero();
    }

    @Test
    void halfOpenAfterTheBackoffThenFailedProbesDoubleItUpToTheCap() {
        openIt();
        now.addAndGet(99);
        assertThat(breaker.allowRequest()).isFalse();
        assertThat(breaker.millisUntilAllowed()).isEqualTo(1);
        now.addAndGet(1);
        assertThat(breaker.allowRequest()).isTrue();
        assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);

        breaker.recordFailure(); // the probe fails: open for 200 ms
        assertThat(breaker.state()).isEqualTo(State.OPEN);
        assertThat(breaker.millisUntilAllowed()).isEqualTo(200);
        now.addAndGet(200);
        assertThat(breaker.allowRequest()).isTrue();
        breaker.recordFailure(); // 400, capped at 350
        assertThat(breaker.millisUntilAllowed()).isEqualTo(350);
        now.addAndGet(350);
        assertThat(breaker.allowRequest()).isTrue();
        breaker.recordFailure(); // stays at the cap
        assertThat(breaker.millisUntilAllowed()).isEqualTo(350);
        assertThat(breaker.openings()).isEqualTo(4);
    }

    @Test
    void aSuccessfulProbeClosesAndResetsTheBackoff() {
        openIt();
        now.addAndGet(100);
        assertThat(breaker.allowRequest()).isTrue();
        breaker.recordFailure();
        now.addAndGet(200);
        assertThat(breaker.allowRequest()).isTrue();

        assertThat(breaker.recordSuccess()).as("ends an outage").isTrue();

        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        assertThat(breaker.failuresInARow()).isZero();
        assertThat(breaker.recoveries()).isEqualTo(1);
        // The next outage starts from the initial backoff again, after the threshold again.
        openIt();
        assertThat(breaker.millisUntilAllowed()).isEqualTo(100);
    }

    @Test
    void thresholdOneOpensOnTheFirstFailure() {
        CircuitBreaker eager = new CircuitBreaker(1, Duration.ofSeconds(1), Duration.ofSeconds(30), now::get);
        eager.recordFailure();
        assertThat(eager.state()).isEqualTo(State.OPEN);
        assertThat(eager.millisUntilAllowed()).isEqualTo(1000);
    }

    private void openIt() {
        for (int i = 0; i < 3; i++) breaker.recordFailure();
        assertThat(breaker.state()).isEqualTo(State.OPEN);
    }
}
