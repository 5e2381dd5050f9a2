package dev.vigil.pipelines.cli;

import dev.vigil.pipelines.icu.IcuJob;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil run icu}: builds a pipeline and executes it in the current Flink environment: on a cluster when
 * submitted as the job jar's entry class (settings from the cluster's config.yaml plus {@code -D}), or on a local
 * MiniCluster when run from the launcher.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = "Run a pipeline (icu) in the current Flink environment.")
final class RunCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "Pipeline to run: icu.")
    String pipeline;

    @Option(names = "-D", description = "A Flink or Vigil option, e.g. -Dvigil.kafka.bootstrap-servers=host:9092.")
    Map<String, String> options = Map.of();

    @Override
    public Integer call() throws Exception {
        Configuration overrides = Configuration.fromMap(options);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(overrides);
        Configuration effective = new Configuration();
        effective.addAll(Configuration.fromMap(env.getConfiguration().toMap()));
        effective.addAll(overrides);
        switch (pipeline) {
            case "icu":
                IcuJob.build(env, effective);
                env.execute("vigil-icu");
                return 0;
            default:
                System.err.println("Unknown pipeline: " + pipeline + " (known: icu)");
                return 2;
        }
    }
}
