package dev.vigil.pipelines.eval;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * The file formats the offline evaluation reads, and how an input is opened: a path ({@code .gz} decompressed) or
 * standard input ({@code -}), in a named format or {@link #AUTO}-detected.
 */
public enum InputFormat {
    /** By the file name ({@code .arff}, {@code .arff.gz}: ARFF; otherwise CSV); on stdin by the first content line. */
    AUTO,
    /** Comma-separated values with a header row ({@link CsvReader}). */
    CSV,
    /** Tab-separated values with a header row ({@link CsvReader} with a tab delimiter). */
    TSV,
    /** Weka/MOA ARFF ({@link ArffReader}). */
    ARFF;

    /** The format called {@code name} (any case), e.g. {@code csv}. */
    public static InputFormat parse(String name) {
        for (InputFormat f : values()) {
            if (f.name().equalsIgnoreCase(name.strip())) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown format '" + name + "'; known: auto, csv, tsv, arff");
    }

    /** The name of standard input on the command line. */
    public static final String STDIN = "-";

    /** How far {@link #AUTO} looks ahead on stdin for the first content line (characters). */
    private static final int SNIFF_LIMIT = 1 << 16;

    /**
     * Opens {@code input} ({@link #STDIN} reads {@code stdin}) in this format.
     *
     * @param missing values read as missing in CSV/TSV (ARFF's is {@code ?})
     */
    public TabularReader open(String input, InputStream stdin, Set<String> missing) throws IOException {
        boolean fromStdin = input == null || input.equals(STDIN);
        InputStream raw = fromStdin ? stdin : Files.newInputStream(Path.of(input));
        try {
            InputStream bytes = new BufferedInputStream(raw, 1 << 16);
            if (!fromStdin && input.toLowerCase(Locale.ROOT).endsWith(".gz")) {
                bytes = new BufferedInputStream(new GZIPInputStream(bytes, 1 << 16), 1 << 16);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(bytes, StandardCharsets.UTF_8), 1 << 16);
            InputFormat format = this != AUTO ? this : fromStdin ? sniff(reader) : byName(input);
            return switch (format) {
                case ARFF -> new ArffReader(reader);
                case TSV -> new CsvReader(reader, '\t', missing);
                default -> new CsvReader(reader, ',', missing);
            };
        } catch (IOException | RuntimeException e) {
            if (!fromStdin) {
                raw.close();
            }
            throw e;
        }
    }

    /** The format a file name implies: ARFF for {@code .arff[.gz]}, TSV for {@code .tsv[.gz]}, else CSV. */
    static InputFormat byName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".gz")) {
            n = n.substring(0, n.length() - 3);
        }
        return n.endsWith(".arff") ? ARFF : n.endsWith(".tsv") ? TSV : CSV;
    }

    /** ARFF if the first line that is not blank or a {@code %} comment starts with {@code @relation}; else CSV. */
    static InputFormat sniff(BufferedReader reader) throws IOException {
        reader.mark(SNIFF_LIMIT);
        try {
            int read = 0;
            String line;
            while ((line = reader.readLine()) != null && (read += line.length() + 1) < SNIFF_LIMIT) {
                String s = line.strip();
                if (s.isEmpty() || s.startsWith("%")) {
                    continue;
                }
                return s.toLowerCase(Locale.ROOT).startsWith("@relation") ? ARFF : CSV;
            }
            return CSV;
        } finally {
            reader.reset();
        }
    }
}
