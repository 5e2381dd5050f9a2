package dev.vigil.pipelines.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code vigil} command line: {@code ./vigil demo}, {@code ./vigil run icu}, {@code ./vigil generate icu},
 * {@code ./vigil models train-icu}. Also the entry class of the shaded job jar on a Flink cluster ({@code run icu}).
 */
@Command(
        name = "vigil",
        mixinStandardHelpOptions = true,
        version = "Vigil 0.1.0",
        description = "Streaming ML on Apache Flink: in-process ONNX scoring, online learning, drift and fairness.",
        subcommands = {
            DemoCommand.class,
            RunCommand.class,
            GenerateCommand.class,
            ModelsCommand.class,
            BenchCommand.class,
            DriftEvalCommand.class,
            DriftCalibrateCommand.class,
            PrequentialCommand.class,
            FairnessAuditCommand.class,
            CommandLine.HelpCommand.class
        })
public final class VigilCli implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        int code = new CommandLine(new VigilCli()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
        System.exit(code);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
