package dev.vigil.pipelines.report;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

import dev.vigil.schema.monitor.DriftEvent;
import java.time.Instant;

/**
 * One drift (or warning) a detector signalled during the run.
 *
 * @param eventTime event time of the triggering observation
 * @param signal monitored signal, e.g. {@code error/icu-deterioration} or {@code feature/heart_rate}
 * @param detector detector name, e.g. {@code adwin}
 * @param kind {@code DRIFT} or {@code WARNING}
 * @param statistic the detector's test statistic at the detection; {@code NaN} when it has none
 */
public record DriftMark(Instant eventTime, String signal, String detector, String kind, double statistic) {

    /** A confirmed change. */
    public static final String DRIFT = "DRIFT";

    /** A change that may be coming. */
    public static final String WARNING = "WARNING";

    public DriftMark {
        checkNotNull(eventTime, "eventTime");
        checkArgument(signal != null && !signal.isBlank(), "signal must not be blank");
        checkArgument(detector != null && !detector.isBlank(), "detector must not be blank");
        checkArgument(DRIFT.equals(kind) || WARNING.equals(kind), "kind must be DRIFT or WARNING, got %s", kind);
        checkArgument(!Double.isInfinite(statistic), "statistic must be finite or NaN");
    }

    /** The mark of a drift monitor's event. */
    public static DriftMark of(DriftEvent event) {
        return new DriftMark(event.getEventTime(), event.getSignal(), event.getDetector(), event.getKind().name(),
                event.getStatistic() == null ? Double.NaN : event.getStatistic());
    }
}
