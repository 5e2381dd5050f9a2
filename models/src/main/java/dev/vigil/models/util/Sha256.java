package dev.vigil.models.util;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 (FIPS 180-4) digests as lowercase hex strings, the form model artifacts are identified and verified by in
 * the registry and on the model-control topic. Files and streams are hashed in fixed-size chunks, never loaded whole.
 */
public final class Sha256 {

    private static final int BUFFER_SIZE = 64 * 1024;
    private static final HexFormat HEX = HexFormat.of();

    private Sha256() {}

    /** Hex SHA-256 of {@code bytes}. */
    public static String hex(byte[] bytes) {
        Checks.checkNotNull(bytes, "bytes");
        return HEX.formatHex(newDigest().digest(bytes));
    }

    /** Hex SHA-256 of the UTF-8 encoding of {@code text}. */
    public static String hexUtf8(String text) {
        Checks.checkNotNull(text, "text");
        return hex(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Hex SHA-256 of the file at {@code file}, read in 64 KiB chunks. */
    public static String hex(Path file) throws IOException {
        Checks.checkNotNull(file, "file");
        try (InputStream in = Files.newInputStream(file)) {
            return hex(in);
        }
    }

    /** Hex SHA-256 of everything remaining in {@code in}; the stream is read to its end but not closed. */
    public static String hex(InputStream in) throws IOException {
        Checks.checkNotNull(in, "in");
        MessageDigest digest = newDigest();
        byte[] buffer = new byte[BUFFER_SIZE];
        int read;
        while ((read = in.read(buffer)) != -1) {
            digest.update(buffer, 0, read);
        }
        return HEX.formatHex(digest.digest());
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform is required to provide SHA-256.
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
