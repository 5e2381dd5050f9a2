package dev.vigil.pipelines.sim.icu;

import static org.apache.flink.util.Preconditions.checkNotNull;

import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A seeded, fast-forwarded simulator of ward and ICU patients: vital-sign observations (one LOINC-coded record per
 * measurement), admission context and clinical outcomes, with the ground truth of every patient.
 *
 * <p>Each patient has baselines that depend on age, sex, comorbidity and ward, smooth autocorrelated variation
 * (Ornstein-Uhlenbeck) and a circadian rhythm. Heart rate and SpO2 come from the bedside monitor every few minutes;
 * respiratory rate, blood pressure and oxygen flow from observation rounds; temperature and consciousness (ACVPU) from
 * nursing assessments every few hours, more often when the patient is sicker. Readings go missing, patients go off
 * the monitor, probes and movement produce artifacts, units vary, manual rounds are charted late and monitor readings
 * arrive out of order. The circadian rhythm follows UTC clock time. A configurable minority deteriorates over 4 to 24
 * hours (sepsis, respiratory failure, hemorrhage, cardiac) to an adverse outcome; other patients look abnormal without
 * deteriorating (see {@link Confounder}), which is what makes NEWS2 imperfect. The physiology is calibrated so that
 * NEWS2 on simulated patients performs as published for real hospitals (AUROC for an adverse outcome within 24 h around
 * 0.80-0.88, tens of NEWS2 &ge; 5 alerts per 100 patient-days; see {@code IcuSimulatorCalibrationTest}). An {@link
 * IcuScenario} in the config injects a known bias (SpO2 that reads high for a group, a group's outcomes recorded late
 * or never) or drift (a monitor fleet's calibration offset, a new deterioration signature) from a change time; without
 * one the stream is exactly the calibrated world.
 *
 * <p>Events are produced in delivery order by merging lazily generated per-patient streams, so memory stays small
 * whatever the duration. Every call to {@link #iterator()} replays the same stream.
 *
 * <pre>{@code
 * IcuSimulator simulator = new IcuSimulator(IcuSimulationConfig.builder().seed(7).patients(500).build());
 * for (SimEvent event : simulator) {
 *     producer.send(event.kind().topic(), event.key(), event.record());
 * }
 * PatientTruth truth = simulator.truth("P000001");
 * }</pre>
 */
public final class IcuSimulator implements Iterable<SimEvent> {
    private final IcuSimulationConfig config;
    private final List<PatientPlan> plans;
    private final Map<String, PatientTruth> truths;

    public IcuSimulator(IcuSimulationConfig config) {
        this.config = checkNotNull(config, "config");
        this.plans = CohortPlanner.plan(config);
        Map<String, PatientTruth> byId = new LinkedHashMap<>();
        for (PatientPlan plan : plans) {
            byId.put(plan.truth.patientId(), plan.truth);
        }
        this.truths = Collections.unmodifiableMap(byId);
    }

    public IcuSimulationConfig config() {
        return config;
    }

    /** Ground truth of every patient, by patient id, in patient order. */
    public Map<String, PatientTruth> truths() {
        return truths;
    }

    /** Ground truth of one patient; fails for an unknown id. */
    public PatientTruth truth(String patientId) {
        PatientTruth truth = truths.get(patientId);
        if (truth == null) {
            throw new IllegalArgumentException("unknown patient " + patientId);
        }
        return truth;
    }

    /** The whole event stream in delivery order; each call starts again from the beginning. */
    @Override
    public Iterator<SimEvent> iterator() {
        return new MergingIterator();
    }

    /** The event stream as a sequential {@link Stream}. */
    public Stream<SimEvent> stream() {
        return StreamSupport.stream(
                Spliterators.spliteratorUnknownSize(
                        iterator(), Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.IMMUTABLE),
                false);
    }

    /** K-way merge of the patients' delivery-ordered streams; ties go to the earlier event, then the lower patient. */
    private final class MergingIterator implements Iterator<SimEvent> {
        private final PriorityQueue<PatientEventSource> heads =
                new PriorityQueue<>(
                        Math.max(1, plans.size()),
                        Comparator.comparing(PatientEventSource::peek, PatientEventSource.DELIVERY_ORDER)
                                .thenComparingInt(source -> source.plan().index));

        MergingIterator() {
            for (PatientPlan plan : plans) {
                PatientEventSource source = new PatientEventSource(plan, config);
                if (source.peek() != null) {
                    heads.add(source);
                }
            }
        }

        @Override
        public boolean hasNext() {
            return !heads.isEmpty();
        }

        @Override
        public SimEvent next() {
            PatientEventSource source = heads.poll();
            if (source == null) {
                throw new NoSuchElementException();
            }
            SimEvent event = source.poll();
            if (source.peek() != null) {
                heads.add(source);
            }
            return event;
        }
    }
}
