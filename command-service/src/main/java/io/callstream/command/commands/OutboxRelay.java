package io.callstream.command.commands;

import io.callstream.command.replay.ReplayProperties;
import io.callstream.events.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Sends the rows of {@code command_results_outbox} to {@code calls.command-results} (keyed by
 * commandId, in outbox order) and deletes them once Kafka has acknowledged them, in batches of
 * up to 500 rows. It runs on its own thread, woken after each commit that added rows and every
 * 200 ms otherwise; while Kafka is unreachable the rows wait and are sent when it is back.
 * Several instances share the outbox: {@code for update skip locked} gives each row to one of
 * them at a time. A crash between Kafka's acknowledgement and the delete sends a row again, so
 * results are at-least-once; consumers tell repeats apart by commandId and status.
 */
@Component
class OutboxRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    private static final int BATCH = 500;
    private static final Duration IDLE = Duration.ofMillis(200);

    private record Pending(long id, String commandId, byte[] payload) {
    }

    private final JdbcTemplate jdbc;
    private final KafkaTemplate<String, byte[]> kafka;
    private final TransactionTemplate tx;
    private final Semaphore work = new Semaphore(0);
    private volatile Thread thread;
    private volatile boolean running;

    private final boolean replaying;

    OutboxRelay(JdbcTemplate jdbc, KafkaTemplate<String, byte[]> kafka, TransactionTemplate tx, ReplayProperties replay) {
        this.replaying = replay.replaying();
        this.jdbc = jdbc;
        this.kafka = kafka;
        this.tx = tx;
    }

    /** Asks the relay to look at the outbox now. */
    void wake() {
        work.release();
    }

    @Override
    public void start() {
        running = true;
        thread = Thread.ofPlatform().name("outbox-relay").daemon().start(this::loop);
    }

    @Override
    public void stop() {
        running = false;
        Thread t = thread;
        if (t != null) {
            work.release();
            try {
                t.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A replay publishes nothing. */
    @Override
    public boolean isAutoStartup() {
        return !replaying;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void loop() {
        Duration backoff = IDLE;
        while (running) {
            try {
                work.tryAcquire(backoff.toMillis(), TimeUnit.MILLISECONDS);
                work.drainPermits();
                while (running && relayBatch() == BATCH) {
                    // A full batch: there may be more.
                }
                backoff = IDLE;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(5)) > 0 ? Duration.ofSeconds(5) : backoff.multipliedBy(2);
                log.warn("command results not relayed yet, trying again in {}: {}", backoff, e.toString());
            }
        }
    }

    /** Sends one batch and deletes it, in one transaction; returns how many rows it sent. */
    private int relayBatch() {
        Integer sent = tx.execute(status -> {
            List<Pending> batch = jdbc.query("""
                            select id, command_id, payload from command_results_outbox order by id limit ? for update skip locked""",
                    (rs, n) -> new Pending(rs.getLong(1), rs.getString(2), rs.getBytes(3)), BATCH);
            if (batch.isEmpty()) {
                return 0;
            }
            List<CompletableFuture<SendResult<String, byte[]>>> sends = batch.stream()
                    .map(p -> kafka.send(Topics.COMMAND_RESULTS, p.commandId(), p.payload())).toList();
            try {
                CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("Kafka did not acknowledge " + batch.size() + " command results", e);
            }
            Long[] ids = batch.stream().map(Pending::id).toArray(Long[]::new);
            jdbc.update("delete from command_results_outbox where id = any(?)",
                    ps -> ps.setArray(1, ps.getConnection().createArrayOf("bigint", ids)));
            return batch.size();
        });
        return sent == null ? 0 : sent;
    }
}
