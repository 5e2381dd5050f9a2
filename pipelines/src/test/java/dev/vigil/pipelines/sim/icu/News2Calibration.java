package dev.vigil.pipelines.sim.icu;

import dev.vigil.operators.icu.News2;
import dev.vigil.operators.icu.News2Inputs;
import dev.vigil.operators.icu.VitalSign;
import dev.vigil.schema.icu.PatientContext;
import dev.vigil.schema.icu.VitalObservation;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * NEWS2 evaluated on a simulated cohort the way published validations do it: at hourly patient time points, from the
 * most recent valid value of each parameter (by event time), labelled "adverse outcome within the next 24 h";
 * patient time is censored at the adverse outcome. Values outside {@link VitalSign}'s possible range are dropped, as
 * the validator would; accepted unit variants are converted.
 *
 * <p>Alerts are counted two ways: as transitions into NEWS2 &ge; 5 between consecutive hourly points of a patient (the
 * first point counts when it is already &ge; 5), and as patient-hours spent at NEWS2 &ge; 5.
 */
final class News2Calibration {
    private static final long HOUR = 3_600_000L;
    private static final Duration HORIZON = Duration.ofHours(24);
    private static final VitalSign[] SIGNS = VitalSign.values();

    /** The figures of one simulated cohort. */
    record Result(
            double auroc,
            long patientHours,
            long positiveHours,
            double alertTransitionsPer100PatientDays,
            double alertHoursPer100PatientDays,
            double sensitivityAt5,
            double specificityAt5,
            double deterioratorsAlertedBeforeOutcome,
            long events,
            double eventsPerPatientDay) {

        double patientDays() {
            return patientHours / 24.0;
        }

        @Override
        public String toString() {
            return String.format(
                    "NEWS2 AUROC(24h)=%.3f; patient-days=%.1f (hourly points %d, positive %d); "
                            + "NEWS2>=5: %.1f alert transitions and %.1f alert patient-hours per 100 patient-days, "
                            + "sensitivity %.2f, specificity %.2f (per patient-hour), "
                            + "%.0f%% of deteriorating patients alerted before the outcome; "
                            + "events=%d (%.0f per observed patient-day)",
                    auroc,
                    patientDays(),
                    patientHours,
                    positiveHours,
                    alertTransitionsPer100PatientDays,
                    alertHoursPer100PatientDays,
                    sensitivityAt5,
                    specificityAt5,
                    100 * deterioratorsAlertedBeforeOutcome,
                    events,
                    eventsPerPatientDay);
        }
    }

    /** One patient's valid observations, in canonical units. */
    private static final class Chart {
        long[] t = new long[256];
        byte[] sign = new byte[256];
        double[] value = new double[256];
        int n;
        long scale2Since = Long.MAX_VALUE;

        void add(long time, VitalSign vital, double v) {
            if (n == t.length) {
                t = Arrays.copyOf(t, 2 * n);
                sign = Arrays.copyOf(sign, 2 * n);
                value = Arrays.copyOf(value, 2 * n);
            }
            t[n] = time;
            sign[n] = (byte) vital.ordinal();
            value[n] = v;
            n++;
        }

        /** Sorts the observations by event time: they arrive in delivery order. */
        void sort() {
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Long.compare(t[a], t[b]));
            long[] t2 = new long[n];
            byte[] s2 = new byte[n];
            double[] v2 = new double[n];
            for (int i = 0; i < n; i++) {
                t2[i] = t[order[i]];
                s2[i] = sign[order[i]];
                v2[i] = value[order[i]];
            }
            t = t2;
            sign = s2;
            value = v2;
        }
    }

    private News2Calibration() {}

    /** Scores by label, and NEWS2 &ge; 5 alerts (see the class Javadoc). */
    private static final class Tally implements HourlyVisitor {
        final long[] negatives = new long[21];
        final long[] positives = new long[21];
        long transitions;
        long alertHours;
        long observedHours;
        int deteriorators;
        int deterioratorsAlerted;
        private boolean previousAlert;
        private boolean alerted;

        @Override
        public void startPatient(PatientTruth truth) {
            previousAlert = false;
            alerted = false;
        }

        @Override
        public void point(PatientTruth truth, long timeMillis, int news2, double[] last, boolean scale2) {
            (positive(truth, timeMillis) ? positives : negatives)[news2]++;
            observedHours++;
            boolean alert = news2 >= 5;
            if (alert) {
                alertHours++;
                alerted = true;
                if (!previousAlert) {
                    transitions++;
                }
            }
            previousAlert = alert;
        }

        @Override
        public void endPatient(PatientTruth truth) {
            if (truth.deteriorates()) {
                deteriorators++;
                if (alerted) {
                    deterioratorsAlerted++;
                }
            }
        }
    }

    /** Receives the hourly time points of each patient with at least one event, in patient order. */
    interface HourlyVisitor {
        default void startPatient(PatientTruth truth) {}

        /**
         * One hourly time point: the NEWS2 total from the most recent valid values at {@code timeMillis}; {@code last}
         * holds those values by {@link VitalSign#ordinal()} ({@code NaN} when none yet) and must not be modified.
         */
        void point(PatientTruth truth, long timeMillis, int news2, double[] last, boolean scale2);

        default void endPatient(PatientTruth truth) {}
    }

    /**
     * Visits every hourly time point of every patient, in patient order and time order within a patient, and returns
     * the number of events the simulator produced.
     */
    static long forEachHourlyPoint(IcuSimulator simulator, HourlyVisitor visitor) {
        Map<String, Chart> charts = new HashMap<>();
        long events = 0;
        for (SimEvent event : simulator) {
            events++;
            Chart chart = charts.computeIfAbsent(event.key(), k -> new Chart());
            if (event.kind() == SimEvent.Kind.VITAL) {
                VitalObservation o = event.vital();
                VitalSign vital = VitalSign.fromLoinc(o.getLoincCode()).orElse(null);
                if (vital == null || !Double.isFinite(o.getValue())) {
                    continue;
                }
                double canonical = vital.toCanonical(o.getValue(), o.getUnit());
                if (Double.isFinite(canonical) && vital.isPossible(canonical)) {
                    chart.add(event.eventTimeMillis(), vital, canonical);
                }
            } else if (event.kind() == SimEvent.Kind.CONTEXT) {
                PatientContext c = event.context();
                if (c.getSpo2Scale2()) {
                    chart.scale2Since = Math.min(chart.scale2Since, event.eventTimeMillis());
                }
            }
        }

        for (PatientTruth truth : simulator.truths().values()) {
            Chart chart = charts.get(truth.patientId());
            if (chart == null) {
                continue;
            }
            chart.sort();
            visitor.startPatient(truth);
            long from = truth.observedFrom().toEpochMilli();
            long until = truth.adverse()
                    ? Math.min(truth.observedUntil().toEpochMilli(), truth.outcomeAt().toEpochMilli())
                    : truth.observedUntil().toEpochMilli();
            double[] last = new double[SIGNS.length];
            Arrays.fill(last, Double.NaN);
            int cursor = 0;
            for (long t = from + HOUR; t < until; t += HOUR) {
                while (cursor < chart.n && chart.t[cursor] <= t) {
                    last[chart.sign[cursor]] = chart.value[cursor];
                    cursor++;
                }
                double flow = last[VitalSign.OXYGEN_FLOW.ordinal()];
                double acvpu = last[VitalSign.CONSCIOUSNESS.ordinal()];
                int score =
                        News2.score(new News2Inputs(
                                        last[VitalSign.RESPIRATORY_RATE.ordinal()],
                                        last[VitalSign.SPO2.ordinal()],
                                        flow > 0,
                                        last[VitalSign.SYSTOLIC_BP.ordinal()],
                                        last[VitalSign.HEART_RATE.ordinal()],
                                        Double.isNaN(acvpu) ? -1 : (int) Math.round(acvpu),
                                        last[VitalSign.TEMPERATURE.ordinal()],
                                        t >= chart.scale2Since))
                                .total();
                visitor.point(truth, t, score, last, t >= chart.scale2Since);
            }
            visitor.endPatient(truth);
        }
        return events;
    }

    /** Whether hourly time point {@code timeMillis} of the patient is positive: an adverse outcome within 24 h. */
    static boolean positive(PatientTruth truth, long timeMillis) {
        return truth.adverseOutcomeWithin(Instant.ofEpochMilli(timeMillis), HORIZON);
    }

    static Result evaluate(IcuSimulator simulator) {
        Tally tally = new Tally();
        long events = forEachHourlyPoint(simulator, tally);
        long[] positives = tally.positives;
        long[] negatives = tally.negatives;
        long transitions = tally.transitions;
        long alertHours = tally.alertHours;
        long observedHours = tally.observedHours;
        int deteriorators = tally.deteriorators;
        int deterioratorsAlerted = tally.deterioratorsAlerted;

        long pos = Arrays.stream(positives).sum();
        long neg = Arrays.stream(negatives).sum();
        // Mann-Whitney AUROC over integer scores, ties counted one half.
        double concordant = 0;
        long negativesBelow = 0;
        for (int s = 0; s <= 20; s++) {
            concordant += positives[s] * (negativesBelow + 0.5 * negatives[s]);
            negativesBelow += negatives[s];
        }
        long truePositives = 0;
        long falsePositives = 0;
        for (int s = 5; s <= 20; s++) {
            truePositives += positives[s];
            falsePositives += negatives[s];
        }
        double patientDays = observedHours / 24.0;
        double stayDays = 0;
        for (PatientTruth truth : simulator.truths().values()) {
            stayDays += (truth.observedUntil().toEpochMilli() - truth.observedFrom().toEpochMilli()) / (24.0 * HOUR);
        }
        return new Result(
                concordant / ((double) pos * neg),
                observedHours,
                pos,
                100.0 * transitions / patientDays,
                100.0 * alertHours / patientDays,
                (double) truePositives / pos,
                1.0 - (double) falsePositives / neg,
                deteriorators == 0 ? 0 : (double) deterioratorsAlerted / deteriorators,
                events,
                events / stayDays);
    }
}
