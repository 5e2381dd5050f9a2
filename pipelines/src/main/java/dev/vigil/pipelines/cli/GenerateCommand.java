package dev.vigil.pipelines.cli;

import dev.vigil.pipelines.icu.IcuTrafficGenerator;
import dev.vigil.pipelines.sim.icu.BadRecords;
import dev.vigil.pipelines.sim.icu.IcuSimulationConfig;
import dev.vigil.pipelines.sim.icu.IcuSimulator;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.Producer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vigil generate icu}: sends a simulated cohort to a Kafka cluster (e.g. the local broker process). */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = "Send simulated input streams to Kafka.")
final class GenerateCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "Stream to generate: icu.")
    String stream;

    @Option(names = "--bootstrap-servers", defaultValue = "localhost:9092",
            description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Option(names = "--patients", defaultValue = "500", description = "Simulated patients (default: ${DEFAULT-VALUE}).")
    int patients;

    @Option(names = "--hours", defaultValue = "48", description = "Simulated hours (default: ${DEFAULT-VALUE}).")
    int hours;

    @Option(names = "--seed", defaultValue = "42", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--rate", defaultValue = "0", description = "Events per second, 0 = unpaced (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--bad-per-defect", defaultValue = "0", description = "Bad records per defect kind (default: ${DEFAULT-VALUE}).")
    int badPerDefect;

    @Override
    public Integer call() {
        if (!"icu".equals(stream)) {
            System.err.println("Unknown stream: " + stream + " (known: icu)");
            return 2;
        }
        IcuSimulator simulator = new IcuSimulator(IcuSimulationConfig.builder()
                .seed(seed).patients(patients).duration(Duration.ofHours(hours)).build());
        List<BadRecords.BadRecord> bad = badPerDefect > 0 ? BadRecords.generate(seed, badPerDefect) : List.of();
        try (Producer<byte[], byte[]> producer = IcuTrafficGenerator.producer(bootstrapServers)) {
            IcuTrafficGenerator.Stats stats = IcuTrafficGenerator.send(simulator, bad, producer, rate);
            System.out.printf("sent %,d records (%,d vitals, %,d context, %,d outcomes, %d bad) in %.1f s%n",
                    stats.total(), stats.vitals(), stats.contexts(), stats.outcomes(), stats.badTotal(),
                    stats.nanos() / 1e9);
        }
        return 0;
    }
}
