package dev.vigil.pipelines.icu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.operators.fairness.FairnessCriterion;
import dev.vigil.operators.fairness.FairnessReport;
import dev.vigil.operators.fairness.GroupFairness;
import dev.vigil.operators.fraud.StableHash;
import dev.vigil.operators.icu.IcuFeatures;
import dev.vigil.operators.inference.OnnxScorer;
import dev.vigil.operators.inference.ScoreBatch;
import dev.vigil.pipelines.sim.icu.IcuScenario;
import dev.vigil.pipelines.sim.icu.IcuSimulationConfig;
import dev.vigil.pipelines.sim.icu.IcuSimulator;
import dev.vigil.pipelines.sim.icu.PatientTruth;
import dev.vigil.pipelines.sim.icu.SimEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

/**
 * The fairness monitor's statistics at a scale the 48 h demo cannot reach: the simulated ward replayed through the
 * exact feature code and scored by the bundled model (no Flink: the same {@link GroupFairness} and {@link
 * FairnessReport} the monitor runs per window, here over the whole run), with each patient a cluster as the ICU job
 * configures it. With the injected occult-hypoxaemia bias (SpO2 over-read by 3 points for women, Sjoding et al. 2020)
 * the score understates women's risk and the calibration gap between the sexes is significant; on the clean ward,
 * the same seed and size, no criterion the ICU job alerts on is.
 */
class FairnessPowerITCase {

    private static final int PATIENTS = 1_500;
    private static final Duration HOURS = Duration.ofHours(72);
    private static final Duration HORIZON = Duration.ofHours(12);
    /** Alert enter threshold of the ICU job: the monitors' decision threshold. */
    private static final double THRESHOLD = 0.30;
    /** A tenth of the snapshots: a patient is one cluster either way, and scoring stays fast. */
    private static final double SAMPLE = 0.1;

    private static FairnessReport replay(IcuScenario scenario) throws Exception {
        IcuSimulator simulator = new IcuSimulator(IcuSimulationConfig.builder()
                .seed(11)
                .patients(PATIENTS)
                .duration(HOURS)
                .scenario(scenario)
                .build());
        Map<String, PatientTruth> truths = simulator.truths();
        GroupFairness fairness = GroupFairness.clustered(THRESHOLD);
        SplittableRandom sampler = new SplittableRandom(5);
        int batch = 512;
        float[][] rows = new float[batch][];
        String[] patients = new String[batch];
        long[] times = new long[batch];
        int[] n = {0};
        try (OnnxScorer scorer = OnnxScorer.load(
                IcuJob.modelRef(new Configuration()), new Configuration(), FairnessPowerITCase.class.getClassLoader())) {
            IcuReplay replay = new IcuReplay(Duration.ofMillis(IcuFeatures.LONG_WINDOW_MILLIS));
            IcuReplay.SnapshotSink sink = (patientId, asOf, features) -> {
                if (sampler.nextDouble() >= SAMPLE) {
                    return;
                }
                rows[n[0]] = features.clone();
                patients[n[0]] = patientId;
                times[n[0]] = asOf;
                if (++n[0] == batch) {
                    flush(scorer, rows, patients, times, n[0], truths, fairness);
                    n[0] = 0;
                }
            };
            for (SimEvent event : simulator) {
                replay.apply(event, sink);
            }
            flush(scorer, rows, patients, times, n[0], truths, fairness);
        }
        return FairnessReport.of(fairness);
    }

    private static void flush(OnnxScorer scorer, float[][] rows, String[] patients, long[] times, int n,
            Map<String, PatientTruth> truths, GroupFairness fairness) {
        if (n == 0) {
            return;
        }
        try {
            ScoreBatch scores = scorer.score(rows, n);
            for (int i = 0; i < n; i++) {
                PatientTruth truth = truths.get(patients[i]);
                int label = truth.adverseOutcomeWithin(Instant.ofEpochMilli(times[i]), HORIZON) ? 1 : 0;
                fairness.add(truth.sexAtBirth().name(), scores.probability(i), label, StableHash.of(patients[i]));
            }
        } catch (ai.onnxruntime.OrtException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String describe(FairnessReport r) {
        StringBuilder b = new StringBuilder();
        for (FairnessReport.GroupStats g : r.groups()) {
            b.append(String.format(java.util.Locale.ROOT, "%s n=%d pos=%d O/E=%.3f [%.3f, %.3f] TPR=%.3f [%.3f, %.3f]; ",
                    g.group(), g.counts().count(), g.counts().positives(), g.eventRate().estimate() / g.meanScore(),
                    g.eventRate().lower() / g.meanScore(), g.eventRate().upper() / g.meanScore(),
                    g.truePositiveRate().estimate(), g.truePositiveRate().lower(), g.truePositiveRate().upper()));
        }
        return b + " calibration gap " + r.calibrationGap() + ", equal opportunity " + r.equalOpportunity();
    }

    @Test
    void theCalibrationGapFindsTheInjectedBiasAndStaysQuietOnTheCleanWard() throws Exception {
        EnumSet<FairnessCriterion> icu = EnumSet.copyOf(IcuMonitoring.ALERT_ON);
        FairnessReport clean = replay(IcuScenario.CLEAN);
        System.out.println("clean: " + describe(clean));
        FairnessReport biased = replay(IcuScenario.parse("bias"));
        System.out.println("bias:  " + describe(biased));
        assertThat(clean.anySignificant(icu)).as(describe(clean)).isFalse();
        assertThat(biased.calibrationGap().significant()).as(describe(biased)).isTrue();
        assertThat(biased.calibrationGap().highGroup()).as("the understated group").isEqualTo("FEMALE");
    }
}
