package dev.vigil.operators.inference;

import java.io.IOException;

/**
 * The bytes read for a model are not the ones its {@link ModelRef} announced: the sha-256 differs. Thrown before any
 * ONNX Runtime session is created, so a scorer keeps serving its previous version.
 */
public class ModelIntegrityException extends IOException {

    private static final long serialVersionUID = 1L;

    /** Message format; stable so that logs and dead letters can be searched for it. */
    public static final String MESSAGE_FORMAT =
            "Model %s refused: sha-256 of %s is %s but %s was announced (%d bytes read)";

    private final ModelRef model;
    private final String actualSha256;

    public ModelIntegrityException(ModelRef model, String actualSha256, long bytesRead) {
        super(
                String.format(
                        MESSAGE_FORMAT,
                        model.label(),
                        model.uri(),
                        actualSha256,
                        model.sha256(),
                        bytesRead));
        this.model = model;
        this.actualSha256 = actualSha256;
    }

    public ModelRef model() {
        return model;
    }

    public String expectedSha256() {
        return model.sha256();
    }

    public String actualSha256() {
        return actualSha256;
    }
}
