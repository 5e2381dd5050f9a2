package dev.vigil.pipelines.cli;

import dev.vigil.pipelines.eval.InputFormat;
import dev.vigil.pipelines.eval.InputFormatException;
import dev.vigil.pipelines.eval.TabularReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * What the commands that read a recorded table ({@code INPUT}, {@code --format}, {@code --missing}) share: opening the
 * input, and turning a failure into one line on stderr and an exit code.
 */
final class TableInput {

    /** Exit code for bad input or options. */
    static final int EXIT_BAD_INPUT = 2;

    /** Exit code when the input cannot be read (an I/O error, not a malformed record). */
    static final int EXIT_IO = 1;

    /** A command's work, writing to its stdout and stderr; returns the exit code. */
    @FunctionalInterface
    interface Body {
        int run(PrintWriter out, PrintWriter err) throws IOException;
    }

    private TableInput() {}

    /**
     * Opens {@code input} ({@link InputFormat#STDIN}: {@code stdin}, or {@code System.in} when that is null) in
     * {@code format}, with the empty value and {@code missing} meaning missing.
     */
    static TabularReader open(String input, String format, List<String> missing, InputStream stdin)
            throws IOException {
        LinkedHashSet<String> missingValues = new LinkedHashSet<>(missing);
        missingValues.add("");
        InputFormat inputFormat = InputFormat.parse(format);
        return inputFormat.open(input, stdin != null ? stdin : System.in, missingValues);
    }

    /** Whether {@code e} means bad input or options: an {@link InputFormatException} or IllegalArgumentException. */
    static boolean isBadInput(RuntimeException e) {
        return e instanceof InputFormatException || e instanceof IllegalArgumentException;
    }

    /**
     * Runs {@code body}. On bad input or options (a runtime exception {@code badInput} accepts) it flushes {@code out},
     * prints {@code "command: "} and the exception's message rewritten by {@code message} to {@code err} and returns
     * {@link #EXIT_BAD_INPUT}; on a missing file likewise; on another I/O error it returns {@link #EXIT_IO}. Other
     * exceptions propagate.
     */
    static int call(
            String command,
            PrintWriter out,
            PrintWriter err,
            Predicate<RuntimeException> badInput,
            UnaryOperator<String> message,
            Body body) {
        try {
            return body.run(out, err);
        } catch (RuntimeException e) {
            if (!badInput.test(e)) {
                throw e;
            }
            out.flush();
            err.println(command + ": " + message.apply(e.getMessage()));
            err.flush();
            return EXIT_BAD_INPUT;
        } catch (NoSuchFileException e) {
            err.println(command + ": no such file: " + e.getFile());
            err.flush();
            return EXIT_BAD_INPUT;
        } catch (IOException e) {
            err.println(command + ": cannot read the input: " + e);
            err.flush();
            return EXIT_IO;
        }
    }
}
