package io.callstream.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** Percentiles of a list of durations (nearest rank). */
final class Percentiles {

    private final long[] sorted;

    Percentiles(List<Duration> values) {
        this.sorted = values.stream().mapToLong(Duration::toNanos).sorted().toArray();
    }

    /**
     * @param p the percentile, 0-100
     * @throws IllegalStateException when there are no values
     */
    Duration at(double p) {
        if (sorted.length == 0) {
            throw new IllegalStateException("no values");
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return Duration.ofNanos(sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))]);
    }

    int count() {
        return sorted.length;
    }

    @Override
    public String toString() {
        return Arrays.toString(sorted);
    }
}
