package dev.vigil.pipelines.cli;

import dev.vigil.pipelines.chat.ChatHeadTraining;
import dev.vigil.pipelines.chat.ChatHeadTraining.Config;
import dev.vigil.pipelines.sim.chat.ChatCorpus;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vigil models train-chat}: rebuilds the bundled chat triage head, deterministically. */
@Command(
        name = "train-chat",
        mixinStandardHelpOptions = true,
        description = "Train the chat triage head (an MLP on frozen all-MiniLM-L6-v2 embeddings) on the generated"
                + " chat corpus, evaluate it on held-out templates and export it to ONNX. With the defaults it"
                + " rebuilds the committed head byte for byte.")
public final class TrainChatCommand implements Callable<Integer> {

    @Option(names = "--out", description = "Output directory (default: ${DEFAULT-VALUE}).",
            defaultValue = ChatHeadTraining.RESOURCE_DIR)
    Path out;

    @Option(names = "--seed", description = "Corpus and training seed (default: ${DEFAULT-VALUE}).",
            defaultValue = "" + ChatCorpus.Config.DEFAULT_SEED)
    long seed;

    @Option(names = "--per-template", description = "Messages per template (default: ${DEFAULT-VALUE}).",
            defaultValue = "24")
    int perTemplate;

    @Option(names = "--model-version", description = "Version label (default: ${DEFAULT-VALUE}).",
            defaultValue = Config.DEFAULT_VERSION)
    String version;

    @Override
    public Integer call() throws Exception {
        Path dir = out.isAbsolute() ? out : ModelsCommand.home().resolve(out);
        long start = System.nanoTime();
        Config defaults = Config.defaults();
        Config config = new Config(defaults.corpus().withSeed(seed).withPerTemplate(perTemplate), defaults.hidden(),
                defaults.dropout(), defaults.learningRate(), defaults.epochs(), defaults.minibatch(), version);
        ChatHeadTraining.Result r = ChatHeadTraining.train(config);
        Path file = ChatHeadTraining.write(r, dir);
        System.out.printf(Locale.ROOT, "model      %s version %s (%d bytes)%n", file, version, r.onnx().length);
        System.out.printf(Locale.ROOT, "sha256     %s%n", r.sha256());
        System.out.printf(Locale.ROOT, "training   %d messages (EDA included), accuracy %.3f%n", r.trainRows(),
                r.train().accuracy());
        System.out.printf(Locale.ROOT, "held out   %d messages of unseen templates: accuracy %.3f, macro-F1 %.3f%n",
                r.heldOutRows(), r.heldOut().accuracy(), r.heldOut().macroF1());
        System.out.print(r.heldOut().confusionTable());
        System.out.printf(Locale.ROOT, "with the language heuristic: accuracy %.3f, macro-F1 %.3f%n",
                r.heldOutCombined().accuracy(), r.heldOutCombined().macroF1());
        ChatHeadTraining.LanguageDetection l = r.language();
        System.out.printf(Locale.ROOT, "out-of-scope recall/precision: head %.3f/%.3f  heuristic %.3f/%.3f"
                        + "  combined %.3f/%.3f%n", l.headRecall(), l.headPrecision(), l.heuristicRecall(),
                l.heuristicPrecision(), l.combinedRecall(), l.combinedPrecision());
        System.out.printf(Locale.ROOT, "took       %.1f s%n", (System.nanoTime() - start) / 1e9);
        return 0;
    }
}
