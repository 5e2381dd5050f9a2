package dev.vigil.pipelines.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs Debian's {@code chromium} headless on a local file: {@code --dump-dom} to read the page's DOM after load, or
 * {@code --screenshot}. Console messages and uncaught exceptions come back from Chromium's own log
 * ({@code --enable-logging=stderr}), which prints each as a {@code CONSOLE} line.
 *
 * <p>The binary is {@value #DEFAULT_BINARY}, or the one the system property {@value #BINARY_PROPERTY} names.
 */
final class HeadlessChromium {

    static final String DEFAULT_BINARY = "/usr/bin/chromium";
    static final String BINARY_PROPERTY = "vigil.chromium";
    static final String SKIP_PROPERTY = "vigil.skip-browser-tests";

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    /** A log line of a console message: {@code [pid:tid:date/time:INFO:CONSOLE:12] "message", source: ... (12)}. */
    private static final Pattern CONSOLE_LINE = Pattern.compile("^\\[[^\\]]*:CONSOLE[^\\]]*] (.*)$", Pattern.MULTILINE);

    private final Path binary;

    private HeadlessChromium(Path binary) {
        this.binary = binary;
    }

    /** The configured binary if it exists and is executable. */
    static Optional<HeadlessChromium> find() {
        Path binary = Paths.get(System.getProperty(BINARY_PROPERTY, DEFAULT_BINARY));
        return Files.isExecutable(binary) ? Optional.of(new HeadlessChromium(binary)) : Optional.empty();
    }

    /** The configured binary path, for messages. */
    static String configuredBinary() {
        return System.getProperty(BINARY_PROPERTY, DEFAULT_BINARY);
    }

    /** Whether browser tests were explicitly switched off. */
    static boolean skipRequested() {
        return Boolean.parseBoolean(System.getProperty(SKIP_PROPERTY, "false"));
    }

    /** What one Chromium run printed. */
    record Run(int exitCode, String stdout, String stderr, List<String> consoleLines) {}

    /** Loads {@code page} in a 1280 x 900 window and returns its DOM as serialized after the load event. */
    Run dumpDom(Path page, Path profileDir) throws IOException, InterruptedException {
        return run(profileDir, List.of("--window-size=1280,900", "--dump-dom", page.toUri().toString()));
    }

    /**
     * Loads {@code page} in a {@code width} x {@code height} window, returns its DOM as serialized after the load
     * event and writes a PNG of the window to {@code png}, in one browser run.
     */
    Run dumpDomAndScreenshot(Path page, Path png, int width, int height, Path profileDir)
            throws IOException, InterruptedException {
        return run(profileDir, List.of("--window-size=" + width + "," + height, "--hide-scrollbars",
                "--screenshot=" + png.toAbsolutePath(), "--dump-dom", page.toUri().toString()));
    }

    private Run run(Path profileDir, List<String> modeArgs) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                binary.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--force-device-scale-factor=1",
                "--user-data-dir=" + profileDir.toAbsolutePath(),
                "--enable-logging=stderr",
                "--v=0"));
        command.addAll(modeArgs);
        Path out = Files.createTempFile(profileDir.getParent(), "chromium", ".out");
        Path err = Files.createTempFile(profileDir.getParent(), "chromium", ".err");
        Process process = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Paths.get("/dev/null").toFile()))
                .start();
        try {
            if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("chromium did not finish within " + TIMEOUT + ": "
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        List<String> console = new ArrayList<>();
        Matcher m = CONSOLE_LINE.matcher(stderr);
        while (m.find()) {
            console.add(m.group(1));
        }
        return new Run(process.exitValue(), stdout, stderr, console);
    }
}
