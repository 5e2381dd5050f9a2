package dev.vigil.pipelines.icu;

import dev.vigil.models.metrics.BinaryClassificationMetrics;
import dev.vigil.operators.kafka.AvroCodec;
import dev.vigil.operators.kafka.KafkaOptions;
import dev.vigil.pipelines.kafka.EmbeddedKafka;
import dev.vigil.pipelines.kafka.VigilTopics;
import dev.vigil.pipelines.report.DriftMark;
import dev.vigil.pipelines.report.FairnessWindow;
import dev.vigil.pipelines.report.ModelVersionPoint;
import dev.vigil.pipelines.report.PatientTimeline;
import dev.vigil.pipelines.report.Pseudonyms;
import dev.vigil.pipelines.report.RunReport;
import dev.vigil.pipelines.report.ThroughputRecorder;
import dev.vigil.pipelines.runtime.CommittedTail;
import dev.vigil.pipelines.sim.BadRecord;
import dev.vigil.pipelines.sim.icu.BadRecords;
import dev.vigil.pipelines.sim.icu.IcuScenario;
import dev.vigil.pipelines.sim.icu.IcuSimulationConfig;
import dev.vigil.pipelines.sim.icu.IcuSimulator;
import dev.vigil.pipelines.sim.icu.PatientTruth;
import dev.vigil.schema.common.DeadLetter;
import dev.vigil.operators.icu.IcuFeatures;
import dev.vigil.operators.icu.ScoredSnapshot;
import dev.vigil.operators.inference.OnnxScorer;
import dev.vigil.operators.inference.ScoreBatch;
import dev.vigil.schema.common.ModelUpdate;
import dev.vigil.schema.common.Prediction;
import dev.vigil.operators.label.LabelOptions;
import dev.vigil.operators.label.LabelRelease;
import dev.vigil.operators.learn.LearnerOptions;
import dev.vigil.operators.monitor.MonitorOptions;
import java.nio.file.Files;
import dev.vigil.schema.icu.DeteriorationAlert;
import dev.vigil.schema.monitor.DriftEvent;
import dev.vigil.schema.monitor.FairnessGap;
import dev.vigil.schema.monitor.FairnessWindowReport;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.HdrHistogram.Histogram;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.Producer;

/**
 * The end-to-end demo: an in-process Kafka broker, the ICU job on a Flink MiniCluster, a simulated cohort streamed
 * through it, and a summary of what came out (counts, alert burden, discrimination of the model and of NEWS2 on the
 * simulated outcomes, latency).
 */
public final class IcuDemo {

    /** Demo settings. */
    public record Config(
            long seed,
            int patients,
            Duration duration,
            int parallelism,
            Duration checkpointInterval,
            double eventsPerSecond,
            int badPerDefect,
            Duration horizon,
            Duration timeout,
            boolean learning,
            IcuScenario scenario) {

        public Config {
            java.util.Objects.requireNonNull(scenario, "scenario");
        }
    }

    /** What the demo measured. */
    public record Report(
            IcuTrafficGenerator.Stats sent,
            long predictions,
            long scored,
            long alerts,
            Map<String, Long> deadLettersByReason,
            double patientDays,
            double alertsPer100PatientDays,
            double news2Ge5Per100PatientDays,
            Map<String, Long> alertsByLevel,
            int deterioratingPatients,
            int deterioratingAlerted,
            double medianLeadHours,
            double alertPpv24h,
            long evaluatedSnapshots,
            long positiveSnapshots,
            double modelAuroc,
            double modelPrAuc,
            double news2Auroc,
            double news2PrAuc,
            Histogram processingLatencyMs,
            Histogram visibleLatencyMs,
            double throughputPerSecond,
            boolean complete,
            String modelVersions,
            List<ModelUpdate> published,
            String activeVersion,
            String learnedVersusBootstrap,
            List<DriftEvent> driftEvents,
            List<FairnessWindowReport> fairnessReports,
            RunReport visual,
            Duration wallTime) {

        public long deadLetters() {
            return deadLettersByReason.values().stream().mapToLong(Long::longValue).sum();
        }

        /** This report with its visual (HTML) form attached. */
        Report withVisual(RunReport v) {
            return new Report(sent, predictions, scored, alerts, deadLettersByReason, patientDays,
                    alertsPer100PatientDays, news2Ge5Per100PatientDays, alertsByLevel, deterioratingPatients,
                    deterioratingAlerted, medianLeadHours, alertPpv24h, evaluatedSnapshots, positiveSnapshots,
                    modelAuroc, modelPrAuc, news2Auroc, news2PrAuc, processingLatencyMs, visibleLatencyMs,
                    throughputPerSecond, complete, modelVersions, published, activeVersion, learnedVersusBootstrap,
                    driftEvents, fairnessReports, v, wallTime);
        }
    }

    private IcuDemo() {}

    public static Report run(Config config, PrintStream out) throws Exception {
        long wallStart = System.nanoTime();
        Instant startedAt = Instant.now();
        out.printf("Starting an in-process Kafka broker (KRaft) ...%n");
        try (EmbeddedKafka kafka = new EmbeddedKafka()) {
            kafka.createTopics(VigilTopics.ICU_TOPICS);
            out.printf("  broker at %s, ready in %d ms%n", kafka.bootstrapServers(), kafka.startupTime().toMillis());

            Configuration conf = jobConfiguration(kafka.bootstrapServers(), config);
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.createLocalEnvironment(config.parallelism(), conf);
            IcuJob.build(env, conf);
            JobClient job = env.executeAsync("vigil-icu-demo");
            out.printf("ICU job submitted to a Flink MiniCluster (parallelism %d, checkpoints every %s, "
                            + "exactly-once Kafka sinks)%n", config.parallelism(), config.checkpointInterval());

            IcuSimulator simulator = new IcuSimulator(IcuSimulationConfig.builder()
                    .seed(config.seed())
                    .patients(config.patients())
                    .duration(config.duration())
                    .scenario(config.scenario())
                    .build());
            List<BadRecord<BadRecords.Defect>> bad = BadRecords.generate(config.seed(), config.badPerDefect());
            Collected collected = new Collected();
            try (CommittedTail tail = new CommittedTail(kafka.bootstrapServers(),
                    List.of(VigilTopics.ICU_PREDICTIONS, VigilTopics.ICU_ALERTS, VigilTopics.DLQ,
                            VigilTopics.MODELS_CONTROL, VigilTopics.MONITOR_DRIFT, VigilTopics.MONITOR_FAIRNESS))) {
                out.printf("Streaming %d simulated patients over %d h (seed %d) plus %d bad records ...%n",
                        config.patients(), config.duration().toHours(), config.seed(), bad.size());
                IcuTrafficGenerator.Stats sent;
                try (Producer<byte[], byte[]> producer = IcuTrafficGenerator.producer(kafka.bootstrapServers())) {
                    sent = IcuTrafficGenerator.send(simulator, bad, producer, config.eventsPerSecond());
                }
                out.printf("  sent %,d vitals, %,d context, %,d outcome and %d bad records in %.1f s%n",
                        sent.vitals(), sent.contexts(), sent.outcomes(), sent.badTotal(), sent.nanos() / 1e9);

                long expected = sent.vitals() + sent.badTotal();
                long deadline = System.nanoTime() + config.timeout().toNanos();
                long lastProgress = System.nanoTime();
                long seen = 0;
                while (System.nanoTime() < deadline) {
                    collected.add(tail.drain());
                    long now = collected.accountedFor();
                    if (now >= expected) {
                        break;
                    }
                    if (now > seen) {
                        seen = now;
                        lastProgress = System.nanoTime();
                    } else if (System.nanoTime() - lastProgress > Duration.ofSeconds(30).toNanos()) {
                        break;
                    }
                    Thread.sleep(200);
                }
                Thread.sleep(config.checkpointInterval().toMillis() * 2);
                collected.add(tail.drain());
                org.apache.flink.api.common.JobStatus status = job.getJobStatus().get();
                if (status.isGloballyTerminalState()) {
                    throw new IllegalStateException("the ICU job ended early (" + status + "): see the log above");
                }
                job.cancel().get();
                collected.decodePending();
                Report r = report(config, simulator, sent, collected, expected,
                        Duration.ofNanos(System.nanoTime() - wallStart));
                return r.withVisual(visualReport(config, r, simulator, collected, startedAt));
            }
        }
    }

    /** The job configuration the demo runs with. */
    static Configuration jobConfiguration(String bootstrapServers, Config config) {
        Configuration conf = new Configuration();
        conf.set(KafkaOptions.BOOTSTRAP_SERVERS, bootstrapServers);
        conf.set(KafkaOptions.TRANSACTIONAL_ID_PREFIX, "vigil-demo-" + UUID.randomUUID().toString().substring(0, 8));
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, config.checkpointInterval());
        conf.set(StateBackendOptions.STATE_BACKEND, "hashmap");
        // Checkpoints go to files: the label join holds hours of pending predictions, more than the JobManager's
        // 5 MB in-memory checkpoint storage accepts.
        try {
            conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                    Files.createTempDirectory("vigil-checkpoints-").toUri().toString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(1));
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(IcuPipelineOptions.MONITORING_ENABLED, true);
        // The demo covers two days of event time: 12 h fairness windows every 3 h close several times within it.
        conf.set(MonitorOptions.FAIRNESS_WINDOW, Duration.ofHours(12));
        conf.set(MonitorOptions.FAIRNESS_SLIDE, Duration.ofHours(3));
        if (config.learning()) {
            conf.set(IcuPipelineOptions.LEARNING_ENABLED, true);
            // Label every 10th snapshot of a patient: scores arrive every few minutes, labels once per stay.
            conf.set(LabelOptions.SAMPLE_EVERY, 10);
            conf.set(LabelOptions.RELEASE, LabelRelease.AT_HORIZON);
            conf.set(LearnerOptions.PUBLISH_EVERY_UPDATES, 300L);
            // Manual observations are charted up to ~65 min late; a snapshot they trigger is that far behind the
            // watermark, so the label join must wait longer than that before declaring a prediction late.
            conf.set(LabelOptions.ALLOWED_LATENESS, Duration.ofHours(2));
            // Fine-tune the bootstrap gently: its standardization stays fixed, small averaged SGD steps.
            conf.set(LearnerOptions.STANDARDIZER_FREEZE_AFTER, 0L);
            conf.set(LearnerOptions.OPTIMIZER, "sgd");
            conf.set(LearnerOptions.LEARNING_RATE, 0.01);
            conf.set(LearnerOptions.MINIBATCH, 32);
            conf.set(LearnerOptions.PUBLISH_INTERVAL, Duration.ofSeconds(15));
            try {
                conf.set(LearnerOptions.REGISTRY_ROOT,
                        Files.createTempDirectory("vigil-registry-").toUri().toString());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return conf;
    }

    /** Records read back from the output topics. */
    /** Dead-letter stages a vital can end in (the learning loop adds others). */
    static final java.util.Set<String> VITAL_STAGES = java.util.Set.of("decode", "validate", "features");

    static final class Collected {
        final AvroCodec<Prediction> predictionCodec = AvroCodec.of(Prediction.class);
        final AvroCodec<DeteriorationAlert> alertCodec = AvroCodec.of(DeteriorationAlert.class);
        final AvroCodec<DeadLetter> dlqCodec = AvroCodec.of(DeadLetter.class);
        final List<Prediction> predictions = new ArrayList<>();
        final List<Long> visibleLatency = new ArrayList<>();
        final List<DeteriorationAlert> alerts = new ArrayList<>();
        final List<DeadLetter> deadLetters = new ArrayList<>();
        final AvroCodec<ModelUpdate> updateCodec = AvroCodec.of(ModelUpdate.class);
        final List<ModelUpdate> published = new ArrayList<>();
        final AvroCodec<DriftEvent> driftCodec = AvroCodec.of(DriftEvent.class);
        final AvroCodec<FairnessWindowReport> fairnessCodec = AvroCodec.of(FairnessWindowReport.class);
        final List<DriftEvent> driftEvents = new ArrayList<>();
        final List<FairnessWindowReport> fairnessReports = new ArrayList<>();
        /**
         * Records read but not decoded yet. Decoding (76 floats per prediction) waits until the job is cancelled, so
         * that the demo's own consumer does not take CPU from the job while its latency and throughput are measured.
         */
        private final List<CommittedTail.Received> pending = new ArrayList<>();
        private long pendingAccountedFor;

        void add(List<CommittedTail.Received> batch) {
            for (CommittedTail.Received r : batch) {
                pending.add(r);
                if (accountsForAnInput(r)) {
                    pendingAccountedFor++;
                }
            }
        }

        /**
         * Whether the record is the one outcome of a vital: its prediction or its dead letter. Dead letters are keyed
         * by stage, so the learning loop's (outcomes, labels) are told apart without decoding.
         */
        private static boolean accountsForAnInput(CommittedTail.Received r) {
            switch (r.record().topic()) {
                case VigilTopics.ICU_PREDICTIONS:
                    return true;
                case VigilTopics.DLQ:
                    String stage = r.record().key() == null
                            ? ""
                            : new String(r.record().key(), java.nio.charset.StandardCharsets.UTF_8);
                    return VITAL_STAGES.contains(stage);
                default:
                    return false;
            }
        }

        /** Predictions plus dead letters of vitals read so far, decoded or not. */
        long accountedFor() {
            return predictions.size() + vitalDeadLetters() + pendingAccountedFor;
        }

        long vitalDeadLetters() {
            long n = 0;
            for (DeadLetter d : deadLetters) {
                if (VITAL_STAGES.contains(d.getStage())) {
                    n++;
                }
            }
            return n;
        }

        /** Decodes everything {@link #add} has collected since the last call. */
        void decodePending() throws Exception {
            for (CommittedTail.Received r : pending) {
                byte[] value = r.record().value();
                switch (r.record().topic()) {
                    case VigilTopics.ICU_PREDICTIONS:
                        Prediction p = predictionCodec.decode(value);
                        predictions.add(p);
                        visibleLatency.add(r.receivedAtMillis() - p.getIngestTime().toEpochMilli());
                        break;
                    case VigilTopics.ICU_ALERTS:
                        alerts.add(alertCodec.decode(value));
                        break;
                    case VigilTopics.MODELS_CONTROL:
                        published.add(updateCodec.decode(value));
                        break;
                    case VigilTopics.MONITOR_DRIFT:
                        driftEvents.add(driftCodec.decode(value));
                        break;
                    case VigilTopics.MONITOR_FAIRNESS:
                        fairnessReports.add(fairnessCodec.decode(value));
                        break;
                    default:
                        deadLetters.add(dlqCodec.decode(value));
                }
            }
            pending.clear();
            pendingAccountedFor = 0;
        }
    }

    private static Report report(
            Config config, IcuSimulator simulator, IcuTrafficGenerator.Stats sent, Collected c, long expected,
            Duration wall) {
        Map<String, PatientTruth> truths = simulator.truths();
        Instant simStart = simulator.config().start();
        Instant simEnd = simulator.config().end();

        double patientDays = 0;
        for (PatientTruth t : truths.values()) {
            Instant from = t.observedFrom().isBefore(simStart) ? simStart : t.observedFrom();
            Instant until = t.observedUntil().isAfter(simEnd) ? simEnd : t.observedUntil();
            if (until.isAfter(from)) {
                patientDays += Duration.between(from, until).toMillis() / 86_400_000.0;
            }
        }

        // Discrimination per scored snapshot, on the label "adverse outcome within the horizon".
        List<Prediction> scored = new ArrayList<>();
        Histogram processing = new Histogram(3_600_000L, 3);
        Histogram visible = new Histogram(3_600_000L, 3);
        long firstIngest = Long.MAX_VALUE;
        long lastScored = Long.MIN_VALUE;
        Map<String, Long> versions = new TreeMap<>();
        for (int i = 0; i < c.predictions.size(); i++) {
            Prediction p = c.predictions.get(i);
            long ingest = p.getIngestTime().toEpochMilli();
            long at = p.getScoredAt().toEpochMilli();
            processing.recordValue(Math.max(0, Math.min(3_600_000L, at - ingest)));
            visible.recordValue(Math.max(0, Math.min(3_600_000L, c.visibleLatency.get(i))));
            firstIngest = Math.min(firstIngest, ingest);
            lastScored = Math.max(lastScored, at);
            versions.merge(p.getModelVersion(), 1L, Long::sum);
            if (p.getScore() != null) {
                scored.add(p);
            }
        }
        double[] risk = new double[scored.size()];
        double[] news2 = new double[scored.size()];
        int[] labels = new int[scored.size()];
        long positives = 0;
        for (int i = 0; i < scored.size(); i++) {
            Prediction p = scored.get(i);
            PatientTruth truth = truths.get(p.getEntityId());
            risk[i] = p.getScore();
            news2[i] = p.getBaselineScore() == null ? 0 : p.getBaselineScore();
            labels[i] = truth != null && truth.adverseOutcomeWithin(p.getEventTime(), config.horizon()) ? 1 : 0;
            positives += labels[i];
        }
        boolean bothClasses = positives > 0 && positives < scored.size();
        String learnedVersusBootstrap = learnedVersusBootstrap(scored, labels);
        String activeVersion = "none";
        long lastScoredAt = Long.MIN_VALUE;
        for (Prediction p : scored) {
            if (p.getScoredAt().toEpochMilli() >= lastScoredAt) {
                lastScoredAt = p.getScoredAt().toEpochMilli();
                activeVersion = p.getModelVersion();
            }
        }

        // NEWS2 >= 5 episodes (transitions into >= 5 per patient, in event-time order) for the alert-burden baseline.
        Map<String, List<Prediction>> byPatient = new HashMap<>();
        for (Prediction p : c.predictions) {
            byPatient.computeIfAbsent(p.getEntityId(), k -> new ArrayList<>()).add(p);
        }
        long news2Episodes = 0;
        for (List<Prediction> ps : byPatient.values()) {
            ps.sort((a, b) -> a.getEventTime().compareTo(b.getEventTime()));
            boolean in = false;
            for (Prediction p : ps) {
                boolean high = p.getBaselineScore() != null && p.getBaselineScore() >= 5;
                if (high && !in) {
                    news2Episodes++;
                }
                in = high;
            }
        }

        // Alert burden, sensitivity per deteriorating patient, lead time and PPV.
        Map<String, Long> byLevel = new TreeMap<>();
        Map<String, Instant> firstAlert = new HashMap<>();
        long truePositiveAlerts = 0;
        for (DeteriorationAlert a : c.alerts) {
            byLevel.merge(a.getLevel().name() + "/" + a.getTrigger().name(), 1L, Long::sum);
            PatientTruth t = truths.get(a.getPatientId());
            if (t != null && t.adverseOutcomeWithin(a.getEventTime(), Duration.ofHours(24))) {
                truePositiveAlerts++;
                firstAlert.merge(a.getPatientId(), a.getEventTime(), (x, y) -> x.isBefore(y) ? x : y);
            }
        }
        int deteriorating = 0;
        List<Double> leads = new ArrayList<>();
        for (PatientTruth t : truths.values()) {
            if (t.adverse() && t.outcomeAt() != null && !t.outcomeAt().isAfter(simEnd)) {
                deteriorating++;
                Instant first = firstAlert.get(t.patientId());
                if (first != null) {
                    leads.add(Duration.between(first, t.outcomeAt()).toMinutes() / 60.0);
                }
            }
        }
        leads.sort(Double::compare);

        Map<String, Long> dlq = new TreeMap<>();
        for (DeadLetter d : c.deadLetters) {
            dlq.merge(d.getStage() + "/" + d.getReason(), 1L, Long::sum);
        }
        double seconds = Math.max(1, lastScored - firstIngest) / 1000.0;
        return new Report(
                sent,
                c.predictions.size(),
                scored.size(),
                c.alerts.size(),
                dlq,
                patientDays,
                patientDays > 0 ? 100.0 * c.alerts.size() / patientDays : 0,
                patientDays > 0 ? 100.0 * news2Episodes / patientDays : 0,
                byLevel,
                deteriorating,
                leads.size(),
                leads.isEmpty() ? Double.NaN : leads.get(leads.size() / 2),
                c.alerts.isEmpty() ? Double.NaN : (double) truePositiveAlerts / c.alerts.size(),
                scored.size(),
                positives,
                bothClasses ? BinaryClassificationMetrics.auroc(risk, labels) : Double.NaN,
                bothClasses ? BinaryClassificationMetrics.averagePrecision(risk, labels) : Double.NaN,
                bothClasses ? BinaryClassificationMetrics.auroc(news2, labels) : Double.NaN,
                bothClasses ? BinaryClassificationMetrics.averagePrecision(news2, labels) : Double.NaN,
                processing,
                visible,
                c.predictions.size() / seconds,
                c.predictions.size() + c.vitalDeadLetters() >= expected,
                versions.toString(),
                c.published,
                activeVersion,
                learnedVersusBootstrap,
                List.copyOf(c.driftEvents),
                List.copyOf(c.fairnessReports),
                null,
                wall);
    }

    /**
     * The rows that learned versions scored, re-scored offline by the bootstrap model: both AUROCs on the same rows,
     * so the comparison says whether learning helped (versions scored different stretches of the stream, so their
     * live AUROCs alone are not comparable).
     */
    private static String learnedVersusBootstrap(List<Prediction> scored, int[] labels) {
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < scored.size(); i++) {
            String v = scored.get(i).getModelVersion();
            if (!v.equals("1") && !v.equals(ScoredSnapshot.NO_MODEL)) {
                rows.add(i);
            }
        }
        if (rows.isEmpty()) {
            return "";
        }
        double[] live = new double[rows.size()];
        double[] bootstrap = new double[rows.size()];
        int[] y = new int[rows.size()];
        try (OnnxScorer scorer = OnnxScorer.load(IcuJob.modelRef(new Configuration()), new Configuration(),
                IcuDemo.class.getClassLoader())) {
            int batch = 256;
            float[][] buffer = new float[batch][IcuFeatures.SIZE];
            for (int start = 0; start < rows.size(); start += batch) {
                int n = Math.min(batch, rows.size() - start);
                for (int j = 0; j < n; j++) {
                    List<Float> f = scored.get(rows.get(start + j)).getFeatures();
                    for (int k = 0; k < IcuFeatures.SIZE; k++) {
                        buffer[j][k] = f.get(k);
                    }
                }
                ScoreBatch scores = scorer.score(buffer, n);
                for (int j = 0; j < n; j++) {
                    int row = rows.get(start + j);
                    live[start + j] = scored.get(row).getScore();
                    bootstrap[start + j] = scores.probability(j);
                    y[start + j] = labels[row];
                }
            }
        } catch (Exception e) {
            return "(bootstrap re-scoring failed: " + e.getClass().getSimpleName() + ")";
        }
        return String.format("on the %,d snapshots learned versions scored: AUROC %.3f learned vs %.3f bootstrap v1",
                rows.size(), BinaryClassificationMetrics.auroc(live, y), BinaryClassificationMetrics.auroc(bootstrap, y));
    }

    private static String metric(ModelUpdate u, String key) {
        for (Map.Entry<String, Double> e : u.getMetrics().entrySet()) {
            if (e.getKey().endsWith(key)) {
                double v = e.getValue();
                return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.format("%,d", (long) v)
                        : String.format("%.3f", v);
            }
        }
        return "n/a";
    }

    /** Prints the summary table. */
    public static void print(Report r, Config config, PrintStream out) {
        out.println();
        out.println("==================== Vigil ICU demo: summary ====================");
        out.printf("events in          %,d vitals + %,d context + %,d outcomes + %d bad records%n",
                r.sent().vitals(), r.sent().contexts(), r.sent().outcomes(), r.sent().badTotal());
        out.printf("predictions out    %,d (%,d scored by the model; versions %s)%n",
                r.predictions(), r.scored(), r.modelVersions());
        out.printf("dead letters       %,d  %s%n", r.deadLetters(), r.deadLettersByReason());
        out.printf("accounted for      %s (every vital is a prediction or a dead letter)%n",
                r.complete() ? "yes" : "NO - timed out");
        out.printf("alerts out         %,d  by level/trigger %s%n", r.alerts(), r.alertsByLevel());
        out.printf("alert burden       %.1f alerts per 100 patient-days (%.0f patient-days); "
                        + "NEWS2>=5 episodes: %.1f per 100 patient-days%n",
                r.alertsPer100PatientDays(), r.patientDays(), r.news2Ge5Per100PatientDays());
        out.printf("deteriorations     %d patients; %d alerted within 24 h before the outcome, median lead %.1f h; "
                        + "alert PPV (24 h) %.2f%n",
                r.deterioratingPatients(), r.deterioratingAlerted(), r.medianLeadHours(), r.alertPpv24h());
        out.printf("discrimination     %,d snapshots, %,d with an outcome within %d h%n",
                r.evaluatedSnapshots(), r.positiveSnapshots(), config.horizon().toHours());
        out.printf("  AUROC            model %.3f   NEWS2 %.3f%n", r.modelAuroc(), r.news2Auroc());
        out.printf("  PR-AUC           model %.3f   NEWS2 %.3f%n", r.modelPrAuc(), r.news2PrAuc());
        out.printf("latency (ms)       scored: p50 %d  p99 %d   visible to read_committed: p50 %d  p99 %d%n",
                r.processingLatencyMs().getValueAtPercentile(50), r.processingLatencyMs().getValueAtPercentile(99),
                r.visibleLatencyMs().getValueAtPercentile(50), r.visibleLatencyMs().getValueAtPercentile(99));
        out.printf("throughput         %,.0f predictions/s end to end%n", r.throughputPerSecond());
        if (config.learning()) {
            out.printf("learning loop      %d versions published%s%n", r.published().size(),
                    r.published().isEmpty() ? " (labels arrive 12 h of event time after a prediction)" : ":");
            out.printf("  active at the end: v%s; %s%n", r.activeVersion(), r.learnedVersusBootstrap());
            for (ModelUpdate u : r.published()) {
                out.printf("  v%-4s parent %-4s prequential (last 1,000 examples): AUROC %s, log loss %s%n",
                        u.getVersion(), u.getParentVersion() == null ? "-" : u.getParentVersion(),
                        metric(u, "prequential.window.auroc"), metric(u, "prequential.window.log_loss"));
            }
        }
        printMonitors(r, config, out);
        out.printf("wall time          %.1f s%n", r.wallTime().toMillis() / 1000.0);
        out.println("=================================================================");
    }

    /** Drift events and fairness gaps of the run (vigil.monitor.drift / vigil.monitor.fairness). */
    static void printMonitors(Report r, Config config, PrintStream out) {
        out.printf("scenario           %s%n", describe(config.scenario()));
        List<DriftEvent> drifts = new ArrayList<>();
        for (DriftEvent e : r.driftEvents()) {
            if (e.getKind() == dev.vigil.schema.monitor.DriftKind.DRIFT) {
                drifts.add(e);
            }
        }
        out.printf("drift events       %d%s%n", drifts.size(), drifts.isEmpty() ? " (no detector fired)" : ":");
        Map<String, List<DriftEvent>> bySignal = new TreeMap<>();
        for (DriftEvent e : drifts) {
            bySignal.computeIfAbsent(e.getSignal() + " (" + e.getDetector() + ")", k -> new ArrayList<>()).add(e);
        }
        bySignal.forEach((signal, events) -> out.printf("  %-40s %d, first at %s (observation %,d)%n",
                signal, events.size(), events.get(0).getEventTime(), events.get(0).getObservationIndex()));
        long alerting = r.fairnessReports().stream().filter(FairnessWindowReport::getAlert).count();
        out.printf("fairness           %d window reports, %d with an alert%s%n", r.fairnessReports().size(), alerting,
                r.fairnessReports().isEmpty() ? " (windows close as event time advances past them)" : "");
        Map<String, FairnessWindowReport> latest = new TreeMap<>();
        for (FairnessWindowReport f : r.fairnessReports()) {
            FairnessWindowReport seen = latest.get(f.getAttribute());
            if (seen == null || f.getWindowEnd().isAfter(seen.getWindowEnd())) {
                latest.put(f.getAttribute(), f);
            }
        }
        latest.forEach((attribute, f) -> out.printf(
                "  %-12s window to %s: calibration %s, equal opportunity %s, parity %s%s%n",
                attribute, f.getWindowEnd(), gap(f.getCalibrationGap()), gap(f.getEqualOpportunity()),
                gap(f.getDemographicParity()), f.getAlert() ? "  ALERT " + f.getReasons() : ""));
        latest.forEach((attribute, f) -> {
            StringBuilder line = new StringBuilder();
            for (var g : f.getGroups()) {
                if (g.getMeanScore() != null && g.getMeanScore() > 0 && g.getEventRate() != null) {
                    line.append(String.format(java.util.Locale.ROOT, " %s %.2f (%d)", g.getGroup(),
                            g.getEventRate().getEstimate() / g.getMeanScore(), g.getCount()));
                }
            }
            out.printf("  %-12s observed/expected events by group:%s%n", "", line);
        });
        for (FairnessWindowReport f : r.fairnessReports()) {
            if (f.getAlert() && latest.get(f.getAttribute()) != f) {
                out.printf("  %-12s ALERT in window to %s: calibration %s, equal opportunity %s %s%n",
                        f.getAttribute(), f.getWindowEnd(), gap(f.getCalibrationGap()),
                        gap(f.getEqualOpportunity()), f.getReasons());
            }
        }
    }

    private static String gap(FairnessGap g) {
        if (g == null || g.getDifference() == null) {
            return "n/a";
        }
        return String.format(java.util.Locale.ROOT, "%.3f (%s vs %s%s)", g.getDifference(), g.getLowGroup(),
                g.getHighGroup(), g.getSignificant() ? ", significant" : "");
    }

    private static String describe(IcuScenario scenario) {
        return scenario.isClean() ? "clean (no injected bias or drift)" : scenario.toString();
    }

    /** Patients charted in the HTML report: deteriorating ones first (they have alerts and an outcome), then stable. */
    static final int REPORT_DETERIORATING = 4;
    static final int REPORT_STABLE = 2;

    /**
     * The run as a self-contained HTML report's data ({@link HtmlReportWriter}): throughput and latency per second,
     * a few patients' model score beside NEWS2 with their alerts and outcome (under pseudonyms, never their ids),
     * model versions, drift events and fairness windows.
     */
    static RunReport visualReport(Config config, Report r, IcuSimulator simulator, Collected c, Instant startedAt) {
        RunReport.Builder b = RunReport.builder()
                .title("Vigil ICU demo")
                .pipeline(IcuJob.PIPELINE)
                .seed(config.seed())
                .createdAt(startedAt)
                .wallTime(r.wallTime())
                .setting("patients", Integer.toString(config.patients()))
                .setting("simulated hours", Long.toString(config.duration().toHours()))
                .setting("scenario", describe(config.scenario()))
                .setting("parallelism", Integer.toString(config.parallelism()))
                .setting("checkpoint interval", config.checkpointInterval().toString())
                .setting("events/s sent", config.eventsPerSecond() > 0 ? String.valueOf(config.eventsPerSecond()) : "unpaced")
                .setting("learning", Boolean.toString(config.learning()))
                .keyFigure("AUROC model / NEWS2", String.format(java.util.Locale.ROOT, "%.3f / %.3f",
                        r.modelAuroc(), r.news2Auroc()))
                .keyFigure("PR-AUC model / NEWS2", String.format(java.util.Locale.ROOT, "%.3f / %.3f",
                        r.modelPrAuc(), r.news2PrAuc()))
                .keyFigure("alerts per 100 patient-days",
                        String.format(java.util.Locale.ROOT, "%.1f", r.alertsPer100PatientDays()))
                .keyFigure("median alert lead", String.format(java.util.Locale.ROOT, "%.1f h", r.medianLeadHours()))
                .keyFigure("predictions/s", String.format(java.util.Locale.ROOT, "%,.0f", r.throughputPerSecond()))
                .keyFigure("drift events", Long.toString(r.driftEvents().stream()
                        .filter(e -> e.getKind() == dev.vigil.schema.monitor.DriftKind.DRIFT).count()))
                .keyFigure("accounted for", r.complete() ? "every vital" : "NO (timed out)");
        ThroughputRecorder throughput = new ThroughputRecorder(Duration.ofSeconds(1), 600);
        for (int i = 0; i < c.predictions.size(); i++) {
            Prediction p = c.predictions.get(i);
            long visibleAt = p.getIngestTime().toEpochMilli() + c.visibleLatency.get(i);
            throughput.record(visibleAt, c.visibleLatency.get(i));
        }
        b.throughput(throughput.buckets());

        // A deterministic choice of patients: in id order, deteriorating ones with an outcome, then stable ones.
        Map<String, PatientTruth> truths = new TreeMap<>(simulator.truths());
        List<String> chosen = new ArrayList<>();
        int deteriorating = 0;
        int stable = 0;
        for (Map.Entry<String, PatientTruth> e : truths.entrySet()) {
            if (e.getValue().deteriorates() && deteriorating < REPORT_DETERIORATING) {
                chosen.add(e.getKey());
                deteriorating++;
            } else if (!e.getValue().deteriorates() && stable < REPORT_STABLE) {
                chosen.add(e.getKey());
                stable++;
            }
        }
        Map<String, PatientTimeline.Builder> timelines = new java.util.LinkedHashMap<>();
        Pseudonyms pseudonyms = new Pseudonyms();
        for (String id : chosen) {
            timelines.put(id, PatientTimeline.builder(pseudonyms.labelFor(id)));
        }
        for (Prediction p : c.predictions) {
            PatientTimeline.Builder t = timelines.get(p.getEntityId());
            if (t != null) {
                t.score(p.getEventTime(), p.getScore(), p.getBaselineScore());
            }
        }
        for (DeteriorationAlert a : c.alerts) {
            PatientTimeline.Builder t = timelines.get(a.getPatientId());
            if (t != null) {
                t.alert(a.getEventTime(), a.getLevel().name(), a.getTrigger().name(), a.getEscalation());
            }
        }
        for (String id : chosen) {
            PatientTruth truth = truths.get(id);
            if (truth.deteriorates() && truth.outcomeAt() != null) {
                timelines.get(id).outcome(truth.outcomeAt(), truth.deterioration().name());
            }
            b.patient(timelines.get(id).build());
        }
        for (ModelUpdate u : c.published) {
            b.modelVersion(ModelVersionPoint.of(u));
        }
        for (DriftEvent e : c.driftEvents) {
            b.driftEvent(DriftMark.of(e));
        }
        for (FairnessWindowReport f : c.fairnessReports) {
            b.fairnessWindow(FairnessWindow.of(f));
        }
        return b.build();
    }
}
