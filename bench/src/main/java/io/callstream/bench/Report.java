package io.callstream.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The lines of {@code make bench}'s table, and its notes, printed as Markdown. */
final class Report {

    private record Line(String measure, String value, String target, Boolean pass) {
    }

    private final List<Line> lines = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    /**
     * @param target what issue 6 asks, or empty for a reference line
     * @param pass whether the target is met; null for none
     */
    synchronized void line(String measure, String value, String target, Boolean pass) {
        lines.add(new Line(measure, value, target, pass));
        System.out.printf("  %-58s %-34s %s%n", measure, value, pass == null ? "" : pass ? "pass" : "FAIL (target " + target + ")");
    }

    void wrk(String measure, Wrk.Result r) {
        line(measure, "%,.0f req/s; p50 %s, p99 %s, p99.9 %s; %d errors".formatted(r.requestsPerSecond(), ms(r.p50()), ms(r.p99()),
                ms(r.p999()), r.errors()), "", null);
    }

    synchronized void note(String note) {
        notes.add(note);
    }

    static String ms(Duration d) {
        return "%.1f ms".formatted(d.toNanos() / 1e6);
    }

    synchronized String markdown() {
        StringBuilder out = new StringBuilder("| measure | value | target | result |\n|---|---|---|---|\n");
        for (Line l : lines) {
            out.append("| %s | %s | %s | %s |%n".formatted(l.measure(), l.value(), l.target(),
                    l.pass() == null ? "" : l.pass() ? "pass" : "**fail**"));
        }
        if (!notes.isEmpty()) {
            out.append('\n');
            notes.forEach(n -> out.append("- ").append(n).append('\n'));
        }
        return out.toString();
    }
}
