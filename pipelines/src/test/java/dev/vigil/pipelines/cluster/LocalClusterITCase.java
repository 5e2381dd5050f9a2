package dev.vigil.pipelines.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.operators.kafka.AvroCodec;
import dev.vigil.operators.kafka.AvroDecodeException;
import dev.vigil.pipelines.icu.IcuReplay;
import dev.vigil.pipelines.icu.IcuTrafficGenerator;
import dev.vigil.pipelines.kafka.VigilTopics;
import dev.vigil.pipelines.runtime.CommittedTail;
import dev.vigil.pipelines.sim.BadRecord;
import dev.vigil.pipelines.sim.icu.BadRecords;
import dev.vigil.pipelines.sim.icu.IcuSimulationConfig;
import dev.vigil.pipelines.sim.icu.IcuSimulator;
import dev.vigil.pipelines.sim.icu.SimEvent;
import dev.vigil.schema.common.DeadLetter;
import dev.vigil.schema.common.Prediction;
import dev.vigil.schema.icu.DeteriorationAlert;
import dev.vigil.schema.icu.VitalObservation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The ICU job on a real multi-process Flink cluster: {@code scripts/kafka-local.sh} starts a broker process and
 * {@code scripts/flink-local.sh} a JobManager and two TaskManagers (one slot each, RocksDB, checkpoints every 2 s);
 * the shaded job jar is submitted with Flink's command-line client ({@code run icu}, unbounded, as in production).
 * A seeded simulated cohort is produced, paced, while the job runs; halfway through, once a checkpoint completed,
 * one TaskManager process is killed with {@code SIGKILL} and a replacement started, as a process supervisor would,
 * before the second half is sent. The job must restore from its latest checkpoint, and its {@code read_committed}
 * outputs must account for every vital exactly once: one prediction per valid observation (keyed by patient and event
 * time, with multiplicity, as the offline {@link IcuReplay} computes them), one dead letter per bad record, no
 * duplicate alert.
 *
 * <p>Takes a few minutes on two cores and starts processes on fixed local ports, so it only runs when asked, with
 * {@code pipelines/scripts/cluster-check.sh} or:
 *
 * <pre>{@code
 * mvn -pl pipelines -am verify -Dvigil.it.local-cluster=true -Dit.test=LocalClusterITCase \
 *     -Dfailsafe.failIfNoSpecifiedTests=false -Dtest=skip -Dsurefire.failIfNoSpecifiedTests=false
 * }</pre>
 *
 * <p>Everything lives in {@code target/local-cluster-it/} (process logs in {@code flink/log/} and {@code kafka/}, the
 * run's summary in {@code summary.txt}); both scripts' {@code stop} run after the test, also when it fails.
 */
@EnabledIfSystemProperty(named = "vigil.it.local-cluster", matches = "true")
class LocalClusterITCase {

    private static final long SEED = 11;
    private static final int PATIENTS = 40;
    private static final Duration SIMULATED = Duration.ofHours(12);
    private static final int BAD_PER_DEFECT = 2;
    /** Records per second the cohort is produced at (~18 s of input), so the job works on a flowing stream. */
    private static final double RATE = 1_000;

    // Ports of their own, so that a developer's cluster on the scripts' defaults does not collide with the test's.
    private static final int KAFKA_PORT = 19192;
    private static final int KAFKA_CONTROLLER_PORT = 19193;
    private static final int REST_PORT = 18091;
    private static final int RPC_PORT = 16133;
    private static final String BOOTSTRAP = "127.0.0.1:" + KAFKA_PORT;

    private static final Path MODULE = Paths.get("").toAbsolutePath();
    private static final Path SCRIPTS = MODULE.resolve("scripts");
    private static final Path RUN = MODULE.resolve("target/local-cluster-it");
    private static final Path FLINK_RUN = RUN.resolve("flink");
    private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(4);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static final Timeline TIMELINE = new Timeline();
    private static Thread stopOnExit;

    @BeforeAll
    static void startCluster() throws IOException {
        jobJar(); // fail fast, before starting anything, without the job jar
        // A fresh broker and cluster, but keep the resolved class path of the cluster (a Maven run) for the next one.
        Path classpath = FLINK_RUN.resolve("lib.classpath");
        String resolved = Files.exists(classpath) ? Files.readString(classpath) : null;
        deleteRecursively(RUN);
        Files.createDirectories(FLINK_RUN);
        if (resolved != null) {
            Files.writeString(classpath, resolved);
        }
        // Runs if the JVM is stopped before @AfterAll (a timeout, Ctrl-C): never leave processes behind.
        stopOnExit = new Thread(LocalClusterITCase::stopQuietly, "local-cluster-it-stop");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        script("kafka-local.sh", "start");
        TIMELINE.mark("Kafka broker process ready");
        script("flink-local.sh", "start", "--taskmanagers", "2", "-D", "execution.checkpointing.interval=2s");
        TIMELINE.mark("JobManager + 2 TaskManagers ready");
    }

    @AfterAll
    static void stopCluster() throws IOException {
        stopQuietly();
        if (stopOnExit != null) {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        }
        String summary = TIMELINE.summary();
        System.out.println(summary);
        Files.createDirectories(RUN);
        Files.writeString(RUN.resolve("summary.txt"), summary + System.lineSeparator());
    }

    @Test
    void icuJobSurvivesKillOfATaskManagerWithExactlyOnceOutputs() throws Exception {
        createTopics(VigilTopics.ICU_TOPICS);
        Expected expected = Expected.replay();
        TIMELINE.note("input: %,d vitals (%,d valid), %d bad records, paced at %.0f/s",
                expected.vitals, expected.predictions.values().stream().mapToInt(Integer::intValue).sum(),
                expected.bad.size(), RATE);

        String job = script("flink-local.sh", "submit", jobJar().toString(), "run", "icu",
                        "-Dvigil.kafka.bootstrap-servers=" + BOOTSTRAP)
                .lines()
                .reduce((first, last) -> last)
                .orElseThrow()
                .trim();
        assertThat(job).as("job id").matches("[0-9a-f]{32}");
        TIMELINE.mark("job " + job + " submitted");
        await("job running on both TaskManagers", Duration.ofMinutes(2), () -> allTasksRunning(job));
        assertThat(rest("/overview").path("slots-available").asInt()).as("both slots busy").isZero();
        TIMELINE.mark("all tasks running");

        Outputs out = new Outputs();
        ExecutorService producerThread = Executors.newSingleThreadExecutor();
        CountDownLatch halfSent = new CountDownLatch(1);
        CountDownLatch failed = new CountDownLatch(1);
        try (CommittedTail predictions = new CommittedTail(BOOTSTRAP, List.of(VigilTopics.ICU_PREDICTIONS));
                CommittedTail deadLetters = new CommittedTail(BOOTSTRAP, List.of(VigilTopics.DLQ));
                CommittedTail alerts = new CommittedTail(BOOTSTRAP, List.of(VigilTopics.ICU_ALERTS));
                Producer<byte[], byte[]> producer = IcuTrafficGenerator.producer(BOOTSTRAP)) {
            // The first half of the cohort goes out before the failure, the second half after it, whatever the
            // machine's speed: the TaskManager dies mid-stream, with the records of the last checkpoint interval
            // processed but not committed, and more input still to come.
            long half = expected.vitals / 2;
            Producer<byte[], byte[]> halves = pausingAt(producer, half, halfSent, failed);
            Future<IcuTrafficGenerator.Stats> sending = producerThread.submit(
                    () -> IcuTrafficGenerator.send(simulator(), expected.bad, halves, RATE));

            await("half of the input sent, a checkpoint completed, predictions committed", Duration.ofMinutes(3),
                    () -> {
                        assertThat(sending.isDone() && halfSent.getCount() > 0)
                                .as("producer stopped before half of the input").isFalse();
                        out.add(predictions, deadLetters, alerts);
                        return halfSent.getCount() == 0 && out.predictionCount > 0 && completedCheckpoints(job) > 0;
                    });
            int checkpoints = completedCheckpoints(job);
            out.add(predictions, deadLetters, alerts);
            long killed = killTaskManager("taskmanager-1");
            TIMELINE.mark(String.format("kill -9 taskmanager-1 (pid %d) after ~%,d records sent: %,d predictions"
                    + " committed, %d checkpoints completed", killed, half, out.predictionCount, checkpoints));
            failed.countDown();
            script("flink-local.sh", "add-taskmanager");
            TIMELINE.mark("replacement TaskManager registered");

            await("job restored from a checkpoint", Duration.ofMinutes(3),
                    () -> numRestarts(job) >= 1 && restoredCheckpoint(job) != null && allTasksRunning(job));
            JsonNode restored = restoredCheckpoint(job);
            TIMELINE.mark(String.format("job running again, restored from checkpoint %d (%d restart(s))",
                    restored.path("id").asLong(), numRestarts(job)));

            IcuTrafficGenerator.Stats sent = sending.get(3, TimeUnit.MINUTES);
            TIMELINE.mark(String.format("input produced: %,d records in %.1f s", sent.total(), sent.nanos() / 1e9));
            assertThat(sent.vitals()).isEqualTo(expected.vitals);

            await("every prediction committed", Duration.ofMinutes(3), () -> {
                out.add(predictions, deadLetters, alerts);
                return out.predictionCount >= expected.predictionCount()
                        && out.vitalDeadLetters.size() >= expected.deadLetters.size();
            });
            TIMELINE.mark(String.format("%,d predictions committed", out.predictionCount));
            // Two more checkpoints: any duplicate a botched recovery would write is committed by then.
            int completed = completedCheckpoints(job);
            await("two more checkpoints", Duration.ofMinutes(1), () -> completedCheckpoints(job) >= completed + 2);
            out.add(predictions, deadLetters, alerts);
        } finally {
            producerThread.shutdownNow();
        }
        cancel(job);

        assertThat(out.predictions).as("one committed prediction per valid vital, no loss, no duplicates")
                .isEqualTo(expected.predictions);
        assertThat(out.predictionCount).isEqualTo(expected.predictionCount());
        assertThat(out.vitalDeadLetters).as("one dead letter per bad record")
                .containsExactlyInAnyOrderElementsOf(expected.deadLetters);
        assertThat(out.alertIds).as("alerts, none duplicated").isNotEmpty().hasSize(out.alertCount);
        TIMELINE.note("verified: %,d predictions = %,d valid vitals, each once; %d dead letters = %d bad records;"
                        + " %d alerts, no duplicate", out.predictionCount, expected.predictionCount(),
                out.vitalDeadLetters.size(), expected.bad.size(), out.alertCount);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Expected and actual outputs

    private static IcuSimulator simulator() {
        return new IcuSimulator(IcuSimulationConfig.builder()
                .seed(SEED)
                .patients(PATIENTS)
                .duration(SIMULATED)
                .build());
    }

    /** What the job must write, from the same simulated cohort replayed offline. */
    private static final class Expected {
        final Map<String, Integer> predictions = new HashMap<>();
        final List<String> deadLetters = new ArrayList<>();
        final List<BadRecord<BadRecords.Defect>> bad = BadRecords.generate(SEED, BAD_PER_DEFECT);
        long vitals;

        static Expected replay() {
            Expected e = new Expected();
            IcuReplay replay = new IcuReplay(Duration.ofHours(4));
            AvroCodec<VitalObservation> codec = AvroCodec.of(VitalObservation.class);
            for (SimEvent event : simulator()) {
                boolean scored = replay.apply(event,
                        (patient, asOf, features) -> e.predictions.merge(patient + "@" + asOf, 1, Integer::sum));
                if (event.kind() == SimEvent.Kind.VITAL) {
                    e.vitals++;
                    if (!scored) {
                        e.deadLetters.add(Arrays.toString(codec.encode(event.vital())));
                    }
                }
            }
            for (BadRecord<BadRecords.Defect> b : e.bad) {
                e.deadLetters.add(Arrays.toString(b.value()));
            }
            return e;
        }

        long predictionCount() {
            return predictions.values().stream().mapToLong(Integer::longValue).sum();
        }
    }

    /** The committed outputs read so far. */
    private static final class Outputs {
        final AvroCodec<Prediction> predictionCodec = AvroCodec.of(Prediction.class);
        final AvroCodec<DeadLetter> deadLetterCodec = AvroCodec.of(DeadLetter.class);
        final AvroCodec<DeteriorationAlert> alertCodec = AvroCodec.of(DeteriorationAlert.class);
        final Map<String, Integer> predictions = new HashMap<>();
        final List<String> vitalDeadLetters = new ArrayList<>();
        final Set<String> alertIds = new HashSet<>();
        long predictionCount;
        int alertCount;

        void add(CommittedTail predictionTail, CommittedTail deadLetterTail, CommittedTail alertTail) {
            for (CommittedTail.Received r : predictionTail.drain()) {
                Prediction p = decode(predictionCodec, r);
                predictions.merge(p.getEntityId() + "@" + p.getEventTime().toEpochMilli(), 1, Integer::sum);
                predictionCount++;
            }
            for (CommittedTail.Received r : deadLetterTail.drain()) {
                DeadLetter d = decode(deadLetterCodec, r);
                // Other stages (label join, monitors) may dead-letter too; the vitals' are what this test counts.
                if (VigilTopics.ICU_VITALS.equals(d.getSourceTopic())) {
                    vitalDeadLetters.add(Arrays.toString(d.getOriginalValue().array()));
                }
            }
            for (CommittedTail.Received r : alertTail.drain()) {
                alertIds.add(decode(alertCodec, r).getAlertId());
                alertCount++;
            }
        }

        private static <T extends org.apache.avro.specific.SpecificRecord> T decode(
                AvroCodec<T> codec, CommittedTail.Received r) {
            try {
                return codec.decode(r.record().value());
            } catch (AvroDecodeException e) {
                throw new AssertionError("undecodable record in " + r.record().topic(), e);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Processes, Kafka and Flink's REST API

    /**
     * {@code producer}, except that its {@code send} number {@code pauseAt} (counting from 1) opens {@code reached}
     * and waits until {@code resume} opens.
     */
    @SuppressWarnings("unchecked")
    private static Producer<byte[], byte[]> pausingAt(
            Producer<byte[], byte[]> producer, long pauseAt, CountDownLatch reached, CountDownLatch resume) {
        AtomicLong sends = new AtomicLong();
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().equals("send") && sends.incrementAndGet() == pauseAt) {
                reached.countDown();
                if (!resume.await(5, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("not resumed within 5 minutes");
                }
            }
            try {
                return method.invoke(producer, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (Producer<byte[], byte[]>) Proxy.newProxyInstance(
                Producer.class.getClassLoader(), new Class<?>[] {Producer.class}, handler);
    }

    /** The shaded job jar, built by {@code package} (before {@code integration-test}). */
    private static Path jobJar() throws IOException {
        try (Stream<Path> files = Files.list(MODULE.resolve("target"))) {
            return files.filter(p -> p.getFileName().toString().matches("vigil-pipelines-.*-job\\.jar"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no shaded job jar in target/ (mvn -DskipTests package)"));
        }
    }

    private static Map<String, String> scriptEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KAFKA_PORT", Integer.toString(KAFKA_PORT));
        env.put("KAFKA_CONTROLLER_PORT", Integer.toString(KAFKA_CONTROLLER_PORT));
        env.put("KAFKA_RUN_DIR", RUN.resolve("kafka").toString());
        env.put("KAFKA_HEAP_OPTS", "-Xms128m -Xmx512m");
        env.put("FLINK_RUN_DIR", FLINK_RUN.toString());
        env.put("FLINK_REST_PORT", Integer.toString(REST_PORT));
        env.put("FLINK_RPC_PORT", Integer.toString(RPC_PORT));
        env.put("FLINK_PROM_PORTS", "19270-19289");
        return env;
    }

    /** Runs a script of {@code scripts/}; returns its stdout; its stderr goes to {@code scripts.log}. */
    private static String script(String name, String... args) {
        List<String> command = new ArrayList<>();
        command.add(SCRIPTS.resolve(name).toString());
        command.addAll(List.of(args));
        Path log = RUN.resolve("scripts.log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            builder.environment().putAll(scriptEnvironment());
            Process process = builder.start();
            byte[] stdout = process.getInputStream().readAllBytes();
            if (!process.waitFor(SCRIPT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish; see " + log);
            }
            if (process.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + " failed (exit " + process.exitValue()
                        + "):\n" + tail(log, 30));
            }
            return new String(stdout, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static void stopQuietly() {
        for (String name : List.of("flink-local.sh", "kafka-local.sh")) {
            try {
                script(name, "stop");
            } catch (RuntimeException | AssertionError e) {
                System.err.println("stopping with " + name + " failed: " + e.getMessage());
            }
        }
    }

    /** Sends SIGKILL to a TaskManager process of the cluster and waits until it is gone; returns its pid. */
    private static long killTaskManager(String name) throws Exception {
        long pid = Long.parseLong(Files.readString(FLINK_RUN.resolve(name + ".pid")).trim());
        ProcessHandle process = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError(name + " is not running"));
        // The pid is ours if the process runs a TaskManager of this cluster (/proc's command line is NUL-separated).
        String commandLine = Files.readString(Paths.get("/proc", Long.toString(pid), "cmdline"), StandardCharsets.UTF_8)
                .replace('\0', ' ');
        assertThat(commandLine).contains("TaskManagerRunner").contains(FLINK_RUN.toString());
        assertThat(process.destroyForcibly()).as("SIGKILL sent").isTrue(); // destroyForcibly is SIGKILL on Linux
        process.onExit().get(30, TimeUnit.SECONDS);
        return pid;
    }

    private static void createTopics(Map<String, Integer> topics) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(topics.entrySet().stream()
                            .map(t -> new NewTopic(t.getKey(), t.getValue(), (short) 1))
                            .collect(Collectors.toList()))
                    .all()
                    .get(1, TimeUnit.MINUTES);
        }
    }

    private static JsonNode rest(String path) {
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + REST_PORT + path))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + ": HTTP " + response.statusCode() + " "
                        + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void cancel(String job) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + REST_PORT + "/jobs/" + job + "?mode=cancel"))
                        .method("PATCH", HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("cancel: %s", response.body()).isEqualTo(202);
        await("job cancelled", Duration.ofMinutes(1),
                () -> "CANCELED".equals(rest("/jobs/" + job).path("state").asText()));
    }

    private static boolean allTasksRunning(String job) {
        JsonNode details = rest("/jobs/" + job);
        if (!"RUNNING".equals(details.path("state").asText())) {
            assertThat(details.path("state").asText()).as("job state").isIn("CREATED", "INITIALIZING",
                    "RESTARTING", "CANCELLING", "FAILING");
            return false;
        }
        for (JsonNode vertex : details.path("vertices")) {
            if (!"RUNNING".equals(vertex.path("status").asText())) {
                return false;
            }
        }
        return true;
    }

    private static int completedCheckpoints(String job) {
        return rest("/jobs/" + job + "/checkpoints").path("counts").path("completed").asInt();
    }

    private static long numRestarts(String job) {
        for (JsonNode metric : rest("/jobs/" + job + "/metrics?get=numRestarts")) {
            return metric.path("value").asLong();
        }
        return 0;
    }

    /** {@code latest.restored} of the job's checkpoint statistics, or null before any restore. */
    private static JsonNode restoredCheckpoint(String job) {
        JsonNode restored = rest("/jobs/" + job + "/checkpoints").path("latest").path("restored");
        return restored.isMissingNode() || restored.isNull() ? null : restored;
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for: " + what
                        + "\n" + TIMELINE.summary() + "\nlogs in " + FLINK_RUN.resolve("log"));
            }
            Thread.sleep(250);
        }
    }

    private static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(" + file + " unreadable: " + e.getMessage() + ")";
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Wall-clock milestones of the run, for the summary. */
    private static final class Timeline {
        private final long start = System.nanoTime();
        private long last = start;
        private final List<String> lines = new ArrayList<>();

        synchronized void mark(String event) {
            long now = System.nanoTime();
            lines.add(String.format("%7.1f s  (+%5.1f s)  %s", (now - start) / 1e9, (now - last) / 1e9, event));
            last = now;
        }

        synchronized void note(String format, Object... args) {
            lines.add("                       " + String.format(format, args));
        }

        synchronized String summary() {
            return "local cluster check (1 JobManager, 2 TaskManagers, Kafka broker process):\n"
                    + String.join("\n", lines);
        }
    }
}
