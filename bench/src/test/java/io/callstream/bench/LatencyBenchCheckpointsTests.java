package io.callstream.bench;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@link LatencyBench#checkpoints(List, Instant, Instant)} reads from PostgreSQL 17's log lines. */
class LatencyBenchCheckpointsTests {

    private static final Instant LOAD_START = Instant.parse("2026-12-04T23:39:50Z");
    private static final Instant LOAD_END = Instant.parse("2026-12-04T23:40:00Z");

    private static final String STARTED_BEFORE = "2026-12-04 23:39:45.900 UTC [4711] LOG:  checkpoint starting: wal";
    private static final String COMPLETED_DURING = "2026-12-04 23:39:56.000 UTC [4711] LOG:  checkpoint complete: wrote 812 buffers "
            + "(5.0%); 0 WAL file(s) added, 0 removed, 3 recycled; write=9.812 s, sync=0.321 s, total=10.140 s; sync files=31, "
            + "longest=0.102 s, average=0.010 s; distance=1048576 kB, estimate=1048576 kB; lsn=0/8A000000, redo lsn=0/89000028";

    @Test
    void aCheckpointStartedBeforeTheLoadAndCompletedDuringItIsTimedFromTheLoadsStart() {
        String said = LatencyBench.checkpoints(List.of(
                "2026-12-04 23:39:40.000 UTC [4700] LOG:  database system is ready to accept connections",
                STARTED_BEFORE, COMPLETED_DURING), LOAD_START, LOAD_END);

        assertThat(said).isEqualTo("a checkpoint (wal) started at -4.1 s, completed at +6.0 s: wrote 812 buffers, "
                + "write=9.812 s, sync=0.321 s, longest=0.102 s");
    }

    @Test
    void aCheckpointThatHasNotCompletedByTheLoadsEndIsSaidToBeUnderWay() {
        assertThat(LatencyBench.checkpoints(List.of(STARTED_BEFORE), LOAD_START, LOAD_END))
                .isEqualTo("a checkpoint (wal) started at -4.1 s, still under way at the end");
        assertThat(LatencyBench.checkpoints(List.of("2026-12-04 23:39:52.500 UTC [4711] LOG:  checkpoint starting: time"),
                LOAD_START, LOAD_END)).isEqualTo("a checkpoint (time) started at +2.5 s, still under way at the end");
    }

    @Test
    void checkpointsThatEndedBeforeTheLoadOrStartedAfterItAreNotCounted() {
        String said = LatencyBench.checkpoints(List.of(
                "2026-12-04 23:30:00.000 UTC [4711] LOG:  checkpoint starting: time",
                "2026-12-04 23:34:30.000 UTC [4711] LOG:  checkpoint complete: wrote 3 buffers (0.0%); write=0.301 s, "
                        + "sync=0.001 s, total=0.310 s; sync files=2, longest=0.001 s, average=0.001 s",
                "2026-12-04 23:40:01.000 UTC [4711] LOG:  checkpoint starting: time"), LOAD_START, LOAD_END);

        assertThat(said).isEqualTo("no checkpoint");
    }
}
