package dev.brigade.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimeoutQueueTest {

    private final TimeoutQueue queue = new TimeoutQueue("test", Duration.ofNanos(100));
    private final List<String> fired = new ArrayList<>();

    private TimeoutQueue.Entry entry(String name) {
        return new TimeoutQueue.Entry(now -> fired.add(name));
    }

    @Test
    void entriesExpireInInsertionOrderOnlyOnceTheirDeadlinePassed() {
        queue.add(entry("a"), 0);
        queue.add(entry("b"), 10);
        queue.add(entry("c"), 20);
        queue.expire(99);
        assertThat(fired).isEmpty();
        queue.expire(110);
        assertThat(fired).containsExactly("a", "b");
        assertThat(queue.size()).isEqualTo(1);
        assertThat(queue.nextDeadlineNanos()).isEqualTo(120);
    }

    @Test
    void aCancelledEntryNeverFires() {
        TimeoutQueue.Entry a = entry("a");
        queue.add(a, 0);
        queue.add(entry("b"), 0);
        a.cancel();
        queue.expire(1000);
        assertThat(fired).containsExactly("b");
        assertThat(a.queued()).isFalse();
    }

    @Test
    void reAddingMovesAnEntryToTheTailWithAFreshDeadline() {
        TimeoutQueue.Entry a = entry("a");
        queue.add(a, 0);
        queue.add(entry("b"), 5);
        queue.add(a, 50);
        queue.expire(105);
        assertThat(fired).containsExactly("b");
        queue.expire(150);
        assertThat(fired).containsExactly("b", "a");
    }

    @Test
    void anEntryMovesBetweenQueuesWithoutStayingInTheOld() {
        TimeoutQueue other = new TimeoutQueue("other", Duration.ofNanos(1000));
        TimeoutQueue.Entry a = entry("a");
        queue.add(a, 0);
        other.add(a, 0);
        assertThat(queue.size()).isZero();
        assertThat(other.size()).isEqualTo(1);
        queue.expire(500);
        assertThat(fired).isEmpty();
    }

    @Test
    void anEmptyQueueHasNoDeadline() {
        assertThat(queue.nextDeadlineNanos()).isEqualTo(Long.MAX_VALUE);
    }
}
